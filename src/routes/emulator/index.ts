// The control plane (dev mode only): token minting for tests, personas, the request journal, reset.
// It is not behind the auth hook: in dev mode anyone who reaches the port can mint tokens, which is
// its purpose. Never expose a DEV_MODE instance beyond the machines that test against it.
import type { FastifyInstance } from 'fastify'
import { sql } from 'kysely'
import { Type, type Static } from 'typebox'
import type { Config } from '../../config.js'
import { findApp, findUser, requireTenant } from '../../identity/accounts.js'
import { AUDIENCES } from '../../identity/audiences.js'
import { mintDevToken } from '../../identity/dev-tokens.js'
import { ApiError, invalidRequest } from '../../errors.js'
import { ErrorRef } from '../../schemas/common.js'
import { seedDemoDataIfEmpty } from '../../seed/demo.js'
import billingControlPlane from './billing.js'
import gdapControlPlane from './gdap.js'

const MintTokenSchema = Type.Object({
  tenantId: Type.String({ description: 'Partner tenant id or default domain' }),
  userId: Type.Optional(Type.String({ description: 'User object id or UPN; absent for an app-only token' })),
  appId: Type.Optional(Type.String({ description: 'Client app id; default: the tenant\'s first app' })),
  amr: Type.Optional(Type.Unknown({ description: 'The amr claim as given (default ["pwd","mfa"] for users)' })),
  audience: Type.Optional(Type.String({ description: `Default ${AUDIENCES.partnerCenter[0]}` })),
  expiresInSeconds: Type.Optional(Type.Integer({ minimum: -86400, maximum: 86400, description: 'Default 3600; negative for an expired token' })),
  claims: Type.Optional(Type.Record(Type.String(), Type.Unknown(), { description: 'Extra or overriding claims' }))
})

const TokenResponse = Type.Object({ access_token: Type.String(), token_type: Type.Literal('Bearer'), expires_in: Type.Integer() })

export default async function controlPlane (app: FastifyInstance, { config }: { config: Config }) {
  if (config.SEED_DEMO_DATA) await seedDemoDataIfEmpty(app.db)
  await app.register(gdapControlPlane)
  await app.register(billingControlPlane)

  app.post('/_emulator/tokens', {
    schema: {
      operationId: 'mintToken', tags: ['emulator'], summary: 'Mint a dev access token',
      description: 'No userId: app-only token. A user token defaults to amr ["pwd","mfa"]. Claims override anything, so tests can craft bad tokens.',
      security: [], body: MintTokenSchema, response: { 200: TokenResponse, 400: ErrorRef, 404: ErrorRef }
    }
  }, async (request) => {
    const body = request.body as Static<typeof MintTokenSchema>
    const tenant = await requireTenant(app.db, body.tenantId)
    const appAccount = await findApp(app.db, tenant.id, body.appId)
    if (!appAccount) throw new ApiError(404, 1000, `App ${body.appId ?? '(default)'} is not registered in tenant ${tenant.id}.`)
    const user = body.userId ? await findUser(app.db, tenant.id, body.userId) : undefined
    if (body.userId && !user) throw new ApiError(404, 1000, `User ${body.userId} does not exist in tenant ${tenant.id}.`)
    const expiresIn = body.expiresInSeconds ?? 3600
    const accessToken = await mintDevToken(app.identity.devKeys!, {
      publicBaseUrl: config.PUBLIC_BASE_URL,
      tenantId: tenant.id,
      appId: appAccount.id,
      audience: body.audience ?? AUDIENCES.partnerCenter[0]!,
      expiresInSeconds: expiresIn,
      ...(user ? { user } : {}),
      ...(body.amr !== undefined ? { amr: body.amr } : {}),
      ...(body.claims ? { claims: body.claims } : {})
    })
    return { access_token: accessToken, token_type: 'Bearer' as const, expires_in: expiresIn }
  })

  app.get('/_emulator/personas', {
    schema: { operationId: 'listPersonas', tags: ['emulator'], summary: 'Partner tenants, their apps and users', security: [] }
  }, async () => {
    const tenants = await app.db.selectFrom('partner_tenants').select(['id', 'name', 'default_domain', 'entra_trusted']).orderBy('name').execute()
    const apps = await app.db.selectFrom('partner_apps').select(['id', 'partner_tenant_id', 'display_name']).execute()
    const users = await app.db.selectFrom('partner_users').select(['id', 'partner_tenant_id', 'user_principal_name', 'display_name', 'roles'])
      .orderBy('user_principal_name').execute()
    return tenants.map((t) => ({
      tenantId: t.id,
      name: t.name,
      domain: t.default_domain,
      entraTrusted: t.entra_trusted,
      apps: apps.filter((a) => a.partner_tenant_id === t.id).map((a) => ({ appId: a.id, displayName: a.display_name })),
      users: users.filter((u) => u.partner_tenant_id === t.id)
        .map((u) => ({ objectId: u.id, userPrincipalName: u.user_principal_name, displayName: u.display_name, roles: u.roles }))
    }))
  })

  app.put('/_emulator/tenants/:tenantId/entra-trust', {
    schema: {
      operationId: 'setEntraTrust', tags: ['emulator'], summary: 'Onboard (or not) a partner tenant for real Entra ID tokens',
      security: [], params: Type.Object({ tenantId: Type.String() }), body: Type.Object({ trusted: Type.Boolean() })
    }
  }, async (request) => {
    const { tenantId } = request.params as { tenantId: string }
    const { trusted } = request.body as { trusted: boolean }
    const tenant = await requireTenant(app.db, tenantId)
    await app.db.updateTable('partner_tenants').set({ entra_trusted: trusted }).where('id', '=', tenant.id).execute()
    app.identity.directory.clear()
    app.identity.verifier.clear()
    return { tenantId: tenant.id, entraTrusted: trusted }
  })

  app.get('/_emulator/journal', {
    schema: {
      operationId: 'readJournal', tags: ['emulator'], summary: 'The newest auth decisions',
      security: [],
      querystring: Type.Object({
        tenantId: Type.Optional(Type.String()),
        limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 }))
      })
    }
  }, async (request) => {
    const { tenantId, limit } = request.query as { tenantId?: string, limit: number }
    await app.identity.journal.flush()
    let query = app.db.selectFrom('request_journal').selectAll().orderBy('id', 'desc').limit(limit)
    if (tenantId) query = query.where('partner_tenant_id', '=', tenantId.toLowerCase())
    return (await query.execute()).map((r) => ({
      requestId: r.request_id,
      correlationId: r.correlation_id,
      occurredAt: r.occurred_at.toISOString(),
      method: r.method,
      path: r.path,
      operation: r.operation,
      partnerTenantId: r.partner_tenant_id,
      objectId: r.object_id,
      userPrincipalName: r.user_principal_name,
      appId: r.app_id,
      tokenKind: r.token_kind,
      mfaCompliant: r.mfa_compliant,
      outcome: r.outcome,
      statusCode: r.status_code,
      reason: r.reason
    }))
  })

  app.post('/_emulator/reset', {
    schema: {
      operationId: 'reset', tags: ['emulator'], summary: 'Erase all partner data and load the demo data again',
      description: 'Signing keys survive, so tokens already minted stay verifiable. The emulator clock goes back to real time.', security: []
    }
  }, async () => {
    await app.identity.journal.flush()
    await sql`truncate table request_journal, usage_records, invoices, billing_periods, charges, subscriptions, orders, carts, idempotent_requests, customer_agreements, customer_user_licenses, customer_subscribed_skus, customer_directory_role_members, customer_users, gdap_operations, gdap_access_assignments, gdap_requests, gdap_relationships, security_group_members, security_groups, customers, partner_users, partner_apps, partner_tenants`.execute(app.db)
    await app.clock.set(new Date())
    app.identity.directory.clear()
    app.identity.verifier.clear()
    if (!await seedDemoDataIfEmpty(app.db)) throw invalidRequest('The database was seeded concurrently; try again.')
    return { reset: true }
  })
}
