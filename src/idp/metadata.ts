// The identity provider's discovery documents, shaped like Entra's: OpenID metadata per authority
// (a tenant by id or verified domain, `common`, `organizations`; v2.0 and v1 paths) and instance
// discovery, so that MSAL resolves an authority on this host without reaching the internet. Only what
// the emulator really supports is listed.
import { devIssuer } from './issuer.js'

/** An authority as a client names it: one tenant, or a multi-tenant alias resolved at sign-in. */
export type Authority = { kind: 'tenant', tenantId: string } | { kind: 'multi', name: 'common' | 'organizations' }

export const MULTI_TENANT_AUTHORITIES = ['common', 'organizations'] as const

/** `common` or `organizations` (any case): the user's tenant is found at sign-in. */
export const isMultiTenantAuthority = (name: string): boolean => (MULTI_TENANT_AUTHORITIES as readonly string[]).includes(name.toLowerCase())

/** What the token endpoint accepts today; the metadata says no more. */
export interface Capabilities { grantTypes: readonly string[], authorize: boolean, deviceCode: boolean, endSession: boolean }

/** The OpenID Provider Metadata of an authority; `version` 1 is Entra's v1 endpoint layout. */
export function openIdConfiguration (base: string, authority: Authority, version: 1 | 2, can: Capabilities) {
  const segment = authority.kind === 'tenant' ? authority.tenantId : authority.name
  const oauth = version === 2 ? `${base}/${segment}/oauth2/v2.0` : `${base}/${segment}/oauth2`
  return {
    token_endpoint: `${oauth}/token`,
    token_endpoint_auth_methods_supported: ['client_secret_post', 'client_secret_basic'],
    jwks_uri: version === 2 ? `${base}/${segment}/discovery/v2.0/keys` : `${base}/${segment}/discovery/keys`,
    response_modes_supported: can.authorize ? ['query', 'form_post'] : [],
    subject_types_supported: ['pairwise'],
    id_token_signing_alg_values_supported: ['RS256'],
    response_types_supported: can.authorize ? ['code'] : [],
    grant_types_supported: can.grantTypes,
    code_challenge_methods_supported: can.authorize ? ['S256', 'plain'] : [],
    scopes_supported: ['openid', 'profile', 'offline_access'],
    // Entra's multi-tenant documents name the issuer with a {tenantid} template; MSAL fills it in.
    issuer: authority.kind === 'tenant' ? devIssuer(base, authority.tenantId) : devIssuer(base, '{tenantid}'),
    request_uri_parameter_supported: false,
    ...(can.authorize ? { authorization_endpoint: `${oauth}/authorize` } : {}),
    ...(can.deviceCode ? { device_authorization_endpoint: `${oauth}/devicecode` } : {}),
    ...(can.endSession ? { end_session_endpoint: `${oauth}/logout`, http_logout_supported: true } : {}),
    claims_supported: ['sub', 'iss', 'aud', 'exp', 'iat', 'auth_time', 'acr', 'amr', 'nonce', 'preferred_username', 'name', 'tid', 'ver', 'oid'],
    tenant_region_scope: 'WW',
    cloud_instance_name: new URL(base).host,
    msgraph_host: new URL(base).host
  }
}

/**
 * Instance discovery (`/common/discovery/instance`), as Entra answers it: where the tenant's metadata
 * is, and this host as its own only alias, so that MSAL caches tokens under it.
 */
export function instanceDiscovery (base: string, authorizationEndpoint: string | undefined) {
  const host = new URL(base).host
  let segment = 'common'
  try {
    const url = new URL(authorizationEndpoint ?? '')
    segment = url.pathname.split('/').filter(Boolean)[0] ?? 'common'
  } catch { /* no endpoint named: the common authority */ }
  return {
    tenant_discovery_endpoint: `${base}/${segment}/v2.0/.well-known/openid-configuration`,
    'api-version': '1.1',
    metadata: [{ preferred_network: host, preferred_cache: host, aliases: [host] }]
  }
}
