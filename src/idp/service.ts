// What the development identity provider answers: OpenID metadata, the token endpoint's grants
// (client credentials for app-only tokens; resource-owner password for app+user tokens without MFA,
// which is exactly what Partner Center refuses), and the control plane's minted tokens and personas.
// Errors of the token endpoint are OAuth 2.0 errors (RFC 6749 §5.2), as Entra answers them.
import type { Config } from '../config.js'
import { requireTenant } from '../directory/accounts.js'
import type { Account, DirectoryRepository } from '../directory/repository.js'
import { AUDIENCES, surfaceOfAudience } from '../directory/resources.js'
import { ApiError } from '../errors.js'
import {
  applicationNotFound, clientSecretRequired, invalidClientSecret, invalidCredentials, malformedTokenRequest, missingParameter,
  resourceNotServed, tenantNotFound, tenantRequired, unsupportedGrantType
} from './errors.js'
import { verifySecret } from '../lib/secrets.js'
import type { DevKeyStore } from './keys.js'
import { instanceDiscovery, MULTI_TENANT_AUTHORITIES, openIdConfiguration, type Authority, type Capabilities } from './metadata.js'
import type { MintToken, TokenForm } from './schemas.js'
import { mintDevToken } from './tokens.js'

const LIFETIME_S = 3599
/** What the token endpoint and the pages support: the metadata lists no more. */
const CAPABILITIES: Capabilities = { grantTypes: ['client_credentials', 'password'], authorize: false, deviceCode: false, endSession: false }

export function createIdentityProvider (directory: DirectoryRepository, devKeys: DevKeyStore, config: Config) {
  const base = config.PUBLIC_BASE_URL

  async function resolveTenant (tenant: string): Promise<Account> {
    const found = await directory.tenant(tenant)
    if (!found) throw tenantNotFound(tenant)
    return found
  }

  /** A tenant by id or verified domain, or one of the multi-tenant aliases. */
  async function resolveAuthority (name: string): Promise<Authority> {
    const alias = MULTI_TENANT_AUTHORITIES.find((a) => a === name.toLowerCase())
    return alias ? { kind: 'multi', name: alias } : { kind: 'tenant', tenantId: (await resolveTenant(name)).id }
  }

  return {
    async openIdConfiguration (authority: string, version: 1 | 2) {
      return openIdConfiguration(base, await resolveAuthority(authority), version, CAPABILITIES)
    },

    instanceDiscovery: (authorizationEndpoint: string | undefined) => instanceDiscovery(base, authorizationEndpoint),

    publicKeys: () => devKeys.publicJwks(),

    /**
     * The token endpoint: client_credentials or password, with a v1 `resource` or a v2 `scope` ending in
     * /.default. Under `common` or `organizations` a password sign-in finds the user's tenant by the user
     * name; an application has no tenant to find.
     */
    async issueToken (authorityName: string, form: TokenForm, authorization?: string) {
      const client = clientCredentials(form, authorization)
      const authority = await resolveAuthority(authorityName)
      const tenant = authority.kind === 'tenant'
        ? { id: authority.tenantId }
        : form.grant_type === 'password' && form.username ? await directory.tenantOfUser(form.username) : undefined
      if (!tenant) throw form.grant_type === 'password' ? invalidCredentials() : tenantRequired(authorityName)
      const audience = audienceOf(form, tenant.id)
      const appAccount = await directory.app(tenant.id, client.id)
      if (!appAccount) throw applicationNotFound(client.id, tenant.id)

      let user
      if (form.grant_type === 'client_credentials') {
        if (!client.secret) throw clientSecretRequired()
        if (!await verifySecret(client.secret, appAccount.secretHash)) throw invalidClientSecret(appAccount.id)
      } else if (form.grant_type === 'password') {
        if (client.secret && !await verifySecret(client.secret, appAccount.secretHash)) throw invalidClientSecret(appAccount.id)
        const account = form.username ? await directory.user(tenant.id, form.username) : undefined
        if (!account || !form.password || !await verifySecret(form.password, account.passwordHash)) {
          throw invalidCredentials()
        }
        user = account
      } else {
        throw unsupportedGrantType(form.grant_type ?? '')
      }

      const accessToken = await mintDevToken(devKeys, {
        publicBaseUrl: base,
        tenantId: tenant.id,
        appId: appAccount.id,
        audience,
        expiresInSeconds: LIFETIME_S,
        // A password sign-in proves one factor only: no "mfa" in amr.
        ...(user ? { user, amr: ['pwd'] } : {})
      })
      return { token_type: 'Bearer', expires_in: LIFETIME_S, ext_expires_in: LIFETIME_S, access_token: accessToken }
    },

    /** The control plane's minting (dev mode): any claims, so tests can craft tokens the hook must refuse. */
    async mint (body: MintToken) {
      const tenant = await requireTenant(directory, body.tenantId)
      const appAccount = await directory.app(tenant.id, body.appId)
      if (!appAccount) throw new ApiError(404, 1000, `App ${body.appId ?? '(default)'} is not registered in tenant ${tenant.id}.`)
      const user = body.userId ? await directory.user(tenant.id, body.userId) : undefined
      if (body.userId && !user) throw new ApiError(404, 1000, `User ${body.userId} does not exist in tenant ${tenant.id}.`)
      const expiresIn = body.expiresInSeconds ?? 3600
      const accessToken = await mintDevToken(devKeys, {
        publicBaseUrl: base,
        tenantId: tenant.id,
        appId: appAccount.id,
        audience: body.audience ?? AUDIENCES.partnerCenter[0]!,
        expiresInSeconds: expiresIn,
        ...(user ? { user } : {}),
        ...(body.amr !== undefined ? { amr: body.amr } : {}),
        ...(body.claims ? { claims: body.claims } : {})
      })
      return { access_token: accessToken, token_type: 'Bearer' as const, expires_in: expiresIn }
    },

    /** Every partner tenant with its apps and users. */
    async personas () {
      const { tenants, apps, users } = await directory.personas()
      return tenants.map((t) => ({
        tenantId: t.id,
        name: t.name,
        domain: t.default_domain,
        entraTrusted: t.entra_trusted,
        apps: apps.filter((a) => a.partner_tenant_id === t.id).map((a) => ({ appId: a.id, displayName: a.display_name })),
        users: users.filter((u) => u.partner_tenant_id === t.id)
          .map((u) => ({ objectId: u.id, userPrincipalName: u.user_principal_name, displayName: u.display_name, roles: u.roles }))
      }))
    }
  }
}

function clientCredentials (form: TokenForm, authorization?: string) {
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

/** v1 `resource`, or v2 `scope` "<resource>/.default"; the resource must be one of our surfaces. */
function audienceOf (form: TokenForm, tenantId: string): string {
  const scopeResource = form.scope?.split(' ').find((s) => s.endsWith('/.default'))?.slice(0, -'/.default'.length)
  const resource = form.resource ?? scopeResource ?? AUDIENCES.partnerCenter[0]!
  if (!surfaceOfAudience(resource)) throw resourceNotServed(resource, tenantId)
  return resource
}
