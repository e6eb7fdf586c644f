// The MFA reporting APIs, read from the request journal the auth hook writes: the partner's app+user
// requests of the last 7 days, its users who called without MFA, and MFA adoption per application and
// day. Shapes from Microsoft's CustomerService Swagger (SecurityComplianceStatus).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { sql } from 'kysely'
import { Type } from 'typebox'
import { invalidRequest } from '../../errors.js'
import { partnerOf, type AuthPolicy } from '../../plugins/auth/index.js'
import { selfOf } from '../../lib/url.js'
import { AttributesSchema, collectionOf, ErrorRef, protectedErrors, SeekCollectionSchema } from '../../schemas/common.js'

// Reference §2.7: the MFA reporting APIs are app+user only; §2.5 names Security admin among the roles for them.
const REPORTS: AuthPolicy = { appOnly: false, partnerRoles: ['admin_agent', 'global_admin', 'security_admin'] }
const tags = ['mfa reports']
const errors = { ...protectedErrors, 404: ErrorRef }
/** "In the last 7 days"; "only the first 10,000 most recent records" (the Swagger's summaries). */
const WINDOW_MS = 7 * 86_400_000
const MAX_RECORDS = 10_000

const PartnerRequestSchema = Type.Object({
  requestId: Type.String(),
  correlationId: Type.String(),
  operationName: Type.String(),
  requestDateTime: Type.String({ format: 'date-time' }),
  sourceIpAddress: Type.String(),
  objectId: Type.String(),
  tenantId: Type.String(),
  upn: Type.String(),
  applicationId: Type.String(),
  mfaCompliant: Type.Boolean(),
  attributes: AttributesSchema('PartnerRequest')
})

const NonCompliantPrincipalSchema = Type.Object({
  objectId: Type.String(),
  tenantId: Type.String(),
  upn: Type.String(),
  lastNonMfaCompliantRequestDateTime: Type.String({ format: 'date-time', description: 'The Swagger\'s name' }),
  lastNonMfaCompliantLoginDateTime: Type.String({ format: 'date-time', description: 'The same instant under the name of the current documentation' }),
  attributes: AttributesSchema('NonMfaCompliantPartnerPrincipal')
})

const AdoptionSchema = Type.Object({
  loginDate: Type.String({ description: 'The day (UTC), yyyy-MM-dd' }),
  mfaCompliantRequestCount: Type.Integer(),
  totalRequestCount: Type.Integer(),
  applicationId: Type.String(),
  applicationName: Type.String()
})

const mfaReports: FastifyPluginAsyncTypebox = async (app) => {
  /** The partner's app+user decisions since `since`, newest first; the journal is flushed first so the latest count. */
  async function userRequests (partnerTenantId: string, since: Date, until?: Date) {
    await app.identity.journal.flush()
    let query = app.db.selectFrom('request_journal').selectAll()
      .where('partner_tenant_id', '=', partnerTenantId).where('token_kind', '=', 'user').where('occurred_at', '>=', since)
    if (until) query = query.where('occurred_at', '<', until)
    return query.orderBy('id', 'desc').limit(MAX_RECORDS).execute()
  }

  app.get('/v1/partnerRequests', {
    config: { auth: REPORTS },
    schema: {
      operationId: 'listPartnerRequests', tags, summary: 'App+user requests of the partner\'s users in the last 7 days (newest 10,000)',
      response: { 200: SeekCollectionSchema(PartnerRequestSchema, 'Partner requests'), ...errors }
    }
  }, async (request) => {
    const rows = await userRequests(partnerOf(request), new Date(Date.now() - WINDOW_MS))
    return collectionOf(rows.map((r) => ({
      requestId: r.request_id,
      correlationId: r.correlation_id,
      operationName: r.operation ?? r.path,
      requestDateTime: r.occurred_at.toISOString(),
      sourceIpAddress: r.ip_address ?? '',
      objectId: r.object_id ?? '',
      tenantId: r.partner_tenant_id ?? '',
      upn: r.user_principal_name ?? '',
      applicationId: r.app_id ?? '',
      mfaCompliant: r.mfa_compliant === true,
      attributes: { objectType: 'PartnerRequest' }
    })), selfOf(request))
  })

  app.get('/v1/nonMfaCompliantPartnerPrincipals', {
    config: { auth: REPORTS },
    schema: {
      operationId: 'listNonMfaCompliantPartnerPrincipals', tags, summary: 'The partner\'s users who called without MFA in the last 7 days',
      response: { 200: SeekCollectionSchema(NonCompliantPrincipalSchema, 'Non-MFA-compliant principals'), ...errors }
    }
  }, async (request) => {
    const rows = await userRequests(partnerOf(request), new Date(Date.now() - WINDOW_MS))
    const latest = new Map<string, (typeof rows)[number]>()
    for (const row of rows) if (row.mfa_compliant === false && row.object_id && !latest.has(row.object_id)) latest.set(row.object_id, row)
    return collectionOf([...latest.values()].map((r) => ({
      objectId: r.object_id!,
      tenantId: r.partner_tenant_id!,
      upn: r.user_principal_name ?? '',
      lastNonMfaCompliantRequestDateTime: r.occurred_at.toISOString(),
      lastNonMfaCompliantLoginDateTime: r.occurred_at.toISOString(),
      attributes: { objectType: 'NonMfaCompliantPartnerPrincipal' }
    })), selfOf(request))
  })

  app.get('/v1/applicationmfaadoptionstatus', {
    config: { auth: REPORTS },
    schema: {
      operationId: 'listApplicationMfaAdoptionStatus', tags, summary: 'MFA-compliant and total app+user requests per application and day (a bare array)',
      querystring: Type.Object({
        startDate: Type.Optional(Type.String({ description: 'Default: 7 days ago' })),
        endDate: Type.Optional(Type.String({ description: 'Default: now (exclusive)' }))
      }),
      response: { 200: Type.Array(AdoptionSchema), ...errors }
    }
  }, async (request) => {
    const parse = (value: string | undefined, fallback: Date) => {
      if (value === undefined) return fallback
      const date = new Date(value)
      if (Number.isNaN(date.getTime())) throw invalidRequest(`${value} is not a date.`)
      return date
    }
    const end = parse(request.query.endDate, new Date())
    const start = parse(request.query.startDate, new Date(end.getTime() - WINDOW_MS))
    if (start >= end) throw invalidRequest('startDate must be before endDate.')
    await app.identity.journal.flush()
    const rows = await app.db.selectFrom('request_journal as j')
      .leftJoin('partner_apps as a', (join) => join.on(sql`a.id::text`, '=', sql.ref('j.app_id')))
      .select([
        sql<string>`to_char(j.occurred_at at time zone 'UTC', 'YYYY-MM-DD')`.as('day'),
        'j.app_id',
        'a.display_name',
        (eb) => eb.fn.countAll<string>().as('total'),
        sql<string>`count(*) filter (where j.mfa_compliant)`.as('compliant')
      ])
      .where('j.partner_tenant_id', '=', partnerOf(request)).where('j.token_kind', '=', 'user')
      .where('j.occurred_at', '>=', start).where('j.occurred_at', '<', end)
      .groupBy(['day', 'j.app_id', 'a.display_name']).orderBy('day', 'desc').orderBy('j.app_id').execute()
    return rows.map((r) => ({
      loginDate: r.day,
      mfaCompliantRequestCount: Number(r.compliant),
      totalRequestCount: Number(r.total),
      applicationId: r.app_id ?? '',
      applicationName: r.display_name ?? ''
    }))
  })
}

export default mfaReports
