// The token endpoint's grants, as Entra answers them:
// - client_credentials: an app-only token (client secret);
// - password: an app+user token proving one factor (amr ["pwd"]); refused (AADSTS50076) where the
//   tenant enforces MFA at sign-in or the request asks for it: a non-interactive flow cannot do MFA;
//   failures count towards the smart lockout (lockout.ts);
// - authorization_code: the code the sign-in pages sent back, with PKCE; an ID token with `openid`,
//   a refresh token with `offline_access`, MSAL's client_info on request;
// - refresh_token: good once; redeeming one gives the next of its family, with the amr and auth_time
//   of the original sign-in (the Secure Application Model); a spent one revokes the family;
// - device_code (RFC 8628): pending until the user signs in on /devicelogin.
// Under a customer's tenant (a partner's customer as authority), client_credentials and refresh_token
// serve an application its partner consented there (grants/consent.ts): the customer side of the
// Secure Application Model. Every other grant serves partner tenants only.
import type { Kysely } from 'kysely'
import type { Clock } from '../../clock/clock.js'
import type { Database } from '../../db/schema.js'
import { appServesTenant } from '../../directory/accounts.js'
import { createDirectoryRepository, type AppAccount } from '../../directory/repository.js'
import { AUDIENCES, surfaceOfAudience } from '../../directory/resources.js'
import { verifySecret } from '../../lib/secrets.js'
import {
  applicationNotFound, clientSecretRequired, invalidClientSecret, invalidCredentials, invalidParameter, invalidScope, malformedTokenRequest,
  missingParameter, mfaInteractionRequired, resourceNotServed, servicePrincipalMissing, tenantNotFound, tenantRequired, unsupportedGrantType
} from '../errors.js'
import type { DevKeyStore } from '../keys.js'
import { createLockout } from '../lockout.js'
import { isMultiTenantAuthority } from '../metadata.js'
import { asksForMfa, requestedScopes, validClaims, type RequestedScopes } from '../requests.js'
import type { TokenForm } from '../schemas.js'
import { grantedPermissions } from './consent.js'
import { createDeviceCodeGrant } from './device-code.js'
import { createRefreshGrant } from './refresh.js'
import { createTokenIssuer } from './issue.js'

export interface TokenContext {
  /** The client's address, for the token's ipaddr. */
  ipAddress: string
  /** The client's Authorization header (client_secret_basic). */
  authorization?: string | undefined
}

export interface GrantDependencies { db: Kysely<Database>, devKeys: DevKeyStore, clock: Clock, publicBaseUrl: string }

export function createTokenService (deps: GrantDependencies) {
  const directory = createDirectoryRepository(deps.db)
  const lockout = createLockout(deps.db)
  const issuer = createTokenIssuer(deps)
  const refresh = createRefreshGrant(deps, issuer)
  const deviceCode = createDeviceCodeGrant(deps, issuer)

  /** The authority's tenant id, or undefined for common / organizations. */
  async function tenantOfAuthority (authority: string): Promise<string | undefined> {
    if (isMultiTenantAuthority(authority)) return undefined
    const tenant = await directory.tenant(authority)
    if (!tenant) throw tenantNotFound(authority)
    return tenant.id
  }

  /**
   * The authority's tenant, a partner's or a customer's (`customerOf`: the partner owning it), or
   * undefined for common / organizations: the authorities of client credentials and refresh tokens.
   */
  async function anyTenantOfAuthority (authority: string): Promise<{ id: string, customerOf?: string } | undefined> {
    if (isMultiTenantAuthority(authority)) return undefined
    const partner = await directory.tenant(authority)
    if (partner) return { id: partner.id }
    const customer = await directory.customerTenant(authority)
    if (!customer) throw tenantNotFound(authority)
    return { id: customer.id, customerOf: customer.partnerTenantId }
  }

  /**
   * The client: a registered app; a confidential one always proves itself with its secret, as Entra
   * requires. Under a customer's tenant (`anyTenant`) the consent, checked after, decides instead.
   */
  async function authenticateClient (form: TokenForm, authorization: string | undefined, tenantId: string | undefined, anyTenant = false): Promise<AppAccount> {
    const client = clientCredentials(form, authorization)
    const app = await directory.app(undefined, client.id)
    if (!app || (tenantId && !anyTenant && !appServesTenant(app, tenantId))) throw applicationNotFound(client.id, tenantId ?? 'common')
    if (app.publicClient) return app
    if (!client.secret) throw clientSecretRequired()
    if (!await verifySecret(client.secret, app.secretHash)) throw invalidClientSecret(app.id)
    return app
  }

  async function clientCredentialsGrant (authority: string, form: TokenForm, context: TokenContext) {
    const tenant = await anyTenantOfAuthority(authority)
    if (!tenant) throw tenantRequired(authority)
    const scopes = v1OrDefaultScope(form, tenant.id)
    const app = await authenticateClient(form, context.authorization, tenant.id, tenant.customerOf !== undefined)
    // Only a confidential client proves who it is without a user: a public one never gets an app's token.
    if (app.publicClient) throw clientSecretRequired()
    if (!tenant.customerOf) return issuer.appOnly({ tenantId: tenant.id, app, audience: scopes.audience, ipAddress: context.ipAddress })
    // A customer's tenant: only an app consented there has a service principal; the consent's grant on
    // the resource gives the token's roles (none when it granted nothing there, as Entra issues it).
    const consent = await directory.consent(tenant.id, app.id)
    if (!consent) throw servicePrincipalMissing(app.id, tenant.id)
    return issuer.appOnly({ tenantId: tenant.id, app, audience: scopes.audience, ipAddress: context.ipAddress, roles: grantedPermissions(consent, scopes.audience) })
  }

  async function passwordGrant (authority: string, form: TokenForm, context: TokenContext) {
    const tenantId = await tenantOfAuthority(authority) ?? (form.username ? (await directory.tenantOfUser(form.username))?.id : undefined)
    if (!tenantId) throw invalidCredentials()
    const scopes = v1OrDefaultScope(form, tenantId)
    const app = await authenticateClient(form, context.authorization, tenantId)
    const user = form.username ? await directory.user(tenantId, form.username) : undefined
    if (!user || user.federation) throw invalidCredentials()
    const now = new Date()
    const locked = await lockout.refusal(user.id, now)
    if (locked) throw locked
    if (!form.password || !await verifySecret(form.password, user.passwordHash)) {
      await lockout.failed(user.id, now)
      throw invalidCredentials()
    }
    // A password proves one factor only: where MFA is needed, the user must sign in interactively.
    if (asksForMfa(form) || await directory.mfaPolicy(tenantId) === 'enforced') throw mfaInteractionRequired(scopes.audience)
    await lockout.succeeded(user.id)
    return issuer.forUser({ tenantId, app, user, amr: ['pwd'], authTime: now, scopes, form, ipAddress: context.ipAddress })
  }

  return {
    async issue (authority: string, form: TokenForm, context: TokenContext) {
      if (!validClaims(form.claims)) throw invalidParameter('claims', 'it must be a JSON object')
      switch (form.grant_type) {
        case 'client_credentials': return clientCredentialsGrant(authority, form, context)
        case 'password': return passwordGrant(authority, form, context)
        case 'authorization_code':
        case 'refresh_token':
        case 'urn:ietf:params:oauth:grant-type:device_code':
        case 'device_code': { // RFC 8628's name, and the short one MSAL sends (Entra takes both)
          // A code or token redeemed under a tenant's authority must have been issued for that tenant; a
          // refresh token may also be redeemed under a customer's tenant of the user's partner (refresh.ts).
          const tenant: { id?: string | undefined, customerOf?: string } | undefined =
            form.grant_type === 'refresh_token' ? await anyTenantOfAuthority(authority) : { id: await tenantOfAuthority(authority) }
          const app = await authenticateClient(form, context.authorization, undefined)
          const redemption = { app, form, ipAddress: context.ipAddress, tenantId: tenant?.id, customerOf: tenant?.customerOf }
          if (form.grant_type === 'authorization_code') return issuer.redeemCode(redemption)
          if (form.grant_type === 'refresh_token') return refresh.redeem(redemption)
          return deviceCode.redeem(redemption)
        }
        default: throw unsupportedGrantType(form.grant_type ?? '')
      }
    },

    /** POST /{authority}/oauth2/v2.0/devicecode: a code for the user to enter on /devicelogin. */
    async startDeviceFlow (authority: string, form: TokenForm) {
      if (!form.client_id) throw missingParameter('client_id')
      const tenantId = await tenantOfAuthority(authority)
      const app = await directory.app(undefined, form.client_id)
      if (!app || (tenantId && !appServesTenant(app, tenantId))) throw applicationNotFound(form.client_id, authority)
      if (!requestedScopes(form.scope, form.resource)) throw invalidScope(form.scope ?? form.resource ?? '')
      return deviceCode.start(tenantId ?? authority.toLowerCase(), app, form)
    }
  }
}

/** The resource of a client credentials or password request: v1 `resource`, or v2 `scope` "<resource>/.default". */
function v1OrDefaultScope (form: TokenForm, tenantId: string): RequestedScopes {
  const scopeResource = form.scope?.split(' ').find((s) => s.endsWith('/.default'))?.slice(0, -'/.default'.length)
  const resource = form.resource ?? scopeResource ?? AUDIENCES.partnerCenter[0]!
  if (!surfaceOfAudience(resource)) throw resourceNotServed(resource, tenantId)
  return requestedScopes(form.scope?.split(' ').filter((s) => !s.endsWith('/.default')).join(' '), resource)!
}

/** client_secret_basic (the Authorization header) or client_secret_post (the form). */
function clientCredentials (form: TokenForm, authorization?: string): { id: string, secret: string | undefined } {
  const basic = /^basic +(.+)$/i.exec(authorization ?? '')
  if (basic) {
    const decoded = Buffer.from(basic[1]!, 'base64').toString('utf8')
    const colon = decoded.indexOf(':')
    try {
      if (colon > 0) return { id: decodeURIComponent(decoded.slice(0, colon)), secret: decodeURIComponent(decoded.slice(colon + 1)) }
    } catch {
      throw malformedTokenRequest()
    }
  }
  if (!form.client_id) throw missingParameter('client_id')
  return { id: form.client_id, secret: form.client_secret }
}
