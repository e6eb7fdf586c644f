// What the development identity provider answers besides its grants (grants/) and pages (sign-in/):
// OpenID metadata, instance discovery and signing keys, and the control plane's minted tokens and
// personas.
import type { Config } from '../config.js'
import { requireTenant } from '../directory/accounts.js'
import type { DirectoryRepository } from '../directory/repository.js'
import { AUDIENCES } from '../directory/resources.js'
import { ApiError } from '../errors.js'
import { tenantNotFound } from './errors.js'
import type { DevKeyStore } from './keys.js'
import { instanceDiscovery, MULTI_TENANT_AUTHORITIES, openIdConfiguration, type Authority, type Capabilities } from './metadata.js'
import type { MintToken } from './schemas.js'
import { mintDevToken } from './tokens.js'

/** What the token endpoint and the pages support: the metadata lists no more. */
const CAPABILITIES: Capabilities = {
  grantTypes: ['authorization_code', 'refresh_token', 'client_credentials', 'password', 'urn:ietf:params:oauth:grant-type:device_code'],
  authorize: true,
  deviceCode: true,
  endSession: true
}

export function createIdentityProvider (directory: DirectoryRepository, devKeys: DevKeyStore, config: Config) {
  const base = config.PUBLIC_BASE_URL

  /**
   * A partner's tenant, or a customer's: clients (MSAL) read a customer tenant's metadata before they
   * ask its token endpoint for a consented app's token (grants/consent.ts).
   */
  async function resolveTenant (tenant: string): Promise<{ id: string }> {
    const found = await directory.tenant(tenant) ?? await directory.customerTenant(tenant)
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
        mfaPolicy: t.mfa_policy,
        apps: apps.filter((a) => a.partner_tenant_id === t.id)
          .map((a) => ({ appId: a.id, displayName: a.display_name, clientType: a.public_client ? 'public' : 'confidential' })),
        users: users.filter((u) => u.partner_tenant_id === t.id).map((u) => ({
          objectId: u.id,
          userPrincipalName: u.user_principal_name,
          displayName: u.display_name,
          roles: u.roles,
          signIn: u.federation === null ? 'managed' : `federated (${u.federation} MFA)`,
          mfaRegistered: u.method !== null
        }))
      }))
    }
  }
}
