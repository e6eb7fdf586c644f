// What the development identity provider answers: OpenID metadata, the token endpoint's grants
// (client credentials for app-only tokens; resource-owner password for app+user tokens without MFA,
// which is exactly what Partner Center refuses), and the control plane's minted tokens and personas.
// Errors of the token endpoint are OAuth 2.0 errors (RFC 6749 §5.2), as Entra answers them.
import type { Config } from '../config.js'
import { requireTenant } from '../directory/accounts.js'
import type { Account, DirectoryRepository } from '../directory/repository.js'
import { AUDIENCES, surfaceOfAudience } from '../directory/resources.js'
import { ApiError, OAuthError } from '../errors.js'
import { verifySecret } from '../lib/secrets.js'
import { devIssuer } from './issuer.js'
import type { DevKeyStore } from './keys.js'
import type { MintToken, TokenForm } from './schemas.js'
import { mintDevToken } from './tokens.js'

const LIFETIME_S = 3599

export function createIdentityProvider (directory: DirectoryRepository, devKeys: DevKeyStore, config: Config) {
  const base = config.PUBLIC_BASE_URL

  async function resolveTenant (tenant: string): Promise<Account> {
    const found = await directory.tenant(tenant)
    if (!found) throw new OAuthError(400, 'invalid_request', `Tenant ${tenant} was not found in this identity provider.`)
    return found
  }

  return {
    async openIdConfiguration (tenantName: string) {
      const tenant = await resolveTenant(tenantName)
      return {
        issuer: devIssuer(base, tenant.id),
        token_endpoint: `${base}/${tenant.id}/oauth2/v2.0/token`,
        jwks_uri: `${base}/${tenant.id}/discovery/v2.0/keys`,
        response_types_supported: ['token'],
        grant_types_supported: ['client_credentials', 'password'],
        subject_types_supported: ['pairwise'],
        id_token_signing_alg_values_supported: ['ES256'],
        token_endpoint_auth_methods_supported: ['client_secret_post', 'client_secret_basic'],
        scopes_supported: ['openid', 'profile', 'offline_access'],
        tenant_region_scope: 'WW',
        cloud_instance_name: 'emulator'
      }
    },

    publicKeys: () => devKeys.publicJwks(),

    /** The token endpoint: client_credentials or password, with a v1 `resource` or a v2 `scope` ending in /.default. */
    async issueToken (tenantName: string, form: TokenForm, authorization?: string) {
      const tenant = await resolveTenant(tenantName)
      const client = clientCredentials(form, authorization)
      const audience = audienceOf(form)
      const appAccount = await directory.app(tenant.id, client.id)
      if (!appAccount) throw new OAuthError(400, 'unauthorized_client', 'The client application is not registered in this tenant.')

      let user
      if (form.grant_type === 'client_credentials') {
        if (!client.secret || !await verifySecret(client.secret, appAccount.secretHash)) {
          throw new OAuthError(401, 'invalid_client', 'The client secret is not valid for this application.')
        }
      } else if (form.grant_type === 'password') {
        if (client.secret && !await verifySecret(client.secret, appAccount.secretHash)) {
          throw new OAuthError(401, 'invalid_client', 'The client secret is not valid for this application.')
        }
        const account = form.username ? await directory.user(tenant.id, form.username) : undefined
        if (!account || !form.password || !await verifySecret(form.password, account.passwordHash)) {
          throw new OAuthError(400, 'invalid_grant', 'The user name or password is incorrect.')
        }
        user = account
      } else {
        throw new OAuthError(400, 'unsupported_grant_type', 'Supported grants: client_credentials, password.')
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
      throw new OAuthError(400, 'invalid_request', 'The Basic credentials are not URL-encoded correctly.')
    }
  }
  if (!form.client_id) throw new OAuthError(400, 'invalid_request', 'client_id is required.')
  return { id: form.client_id, secret: form.client_secret }
}

/** v1 `resource`, or v2 `scope` "<resource>/.default"; the resource must be one of our surfaces. */
function audienceOf (form: TokenForm): string {
  const scopeResource = form.scope?.split(' ').find((s) => s.endsWith('/.default'))?.slice(0, -'/.default'.length)
  const resource = form.resource ?? scopeResource ?? AUDIENCES.partnerCenter[0]!
  if (!surfaceOfAudience(resource)) throw new OAuthError(400, 'invalid_resource', `The resource ${resource} is not served by this emulator.`)
  return resource
}
