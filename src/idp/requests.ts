// Reading an OAuth request the way Entra does: which resource and scopes it asks for, whether it
// asks for MFA, which redirect URIs a client may use, and PKCE (RFC 7636).
import { createHash, timingSafeEqual } from 'node:crypto'
import { AUDIENCES, surfaceOfAudience, USER_SCOPE } from '../directory/resources.js'

/** The OpenID Connect scopes; any other scope names a resource's permission. */
const OIDC_SCOPES = new Set(['openid', 'profile', 'email', 'offline_access'])

export interface RequestedScopes {
  /** The resource the access token is for (its `aud`). */
  audience: string
  /** The permissions on it (`scp`). */
  scp: string
  openid: boolean
  offlineAccess: boolean
}

/**
 * The resource and permissions of a v2.0 `scope` ("https://api.partnercenter.microsoft.com/user_impersonation
 * openid offline_access") or a v1 `resource`. A bare permission (User.Read) is Microsoft Graph's, as in
 * Entra; `.default` asks for the resource's usual permission. Undefined when the resource is not served.
 */
export function requestedScopes (scope: string | undefined, resource?: string): RequestedScopes | undefined {
  const words = (scope ?? '').split(/\s+/).filter(Boolean)
  const permissions = words.filter((w) => !OIDC_SCOPES.has(w.toLowerCase()))
  const resourceOf = (w: string) => w.includes('/') ? w.slice(0, w.lastIndexOf('/')) : AUDIENCES.graph[0]!
  const audience = resource ?? (permissions.length > 0 ? resourceOf(permissions[0]!) : AUDIENCES.graph[0]!)
  const surface = surfaceOfAudience(audience)
  if (!surface || permissions.some((p) => resourceOf(p) !== audience)) return undefined
  const names = permissions.map((p) => p.slice(p.lastIndexOf('/') + 1)).filter((p) => p !== '.default')
  return {
    audience,
    scp: names.length > 0 ? [...new Set(names)].join(' ') : USER_SCOPE[surface],
    openid: words.includes('openid'),
    offlineAccess: words.includes('offline_access') || resource !== undefined
  }
}

/**
 * An application asks for MFA: a `claims` request for amr "mfa" (or an acrs challenge), `amr_values=mfa`
 * (Entra's v1 parameter, what Partner Center's own pages send) or an `acr_values` naming it.
 */
export function asksForMfa (params: { claims?: string | undefined, amr_values?: string | undefined, acr_values?: string | undefined }): boolean {
  if (params.amr_values?.split(/\s+/).includes('mfa') || params.acr_values?.split(/\s+/).includes('mfa')) return true
  if (!params.claims) return false
  try {
    const claims = JSON.parse(params.claims) as Record<string, Record<string, { values?: unknown, value?: unknown, essential?: unknown }>>
    return Object.values(claims).some((target) => target !== null && typeof target === 'object' &&
      ((Array.isArray(target.amr?.values) && target.amr.values.includes('mfa')) || target.acrs !== undefined))
  } catch {
    return false
  }
}

/** Loopback redirect URIs (any port and path on http://localhost or 127.0.0.1), as Entra allows for native clients, or a registered one. */
export function allowedRedirect (uri: string, registered: readonly string[]): boolean {
  if (registered.includes(uri)) return true
  try {
    const url = new URL(uri)
    return url.protocol === 'http:' && (url.hostname === 'localhost' || url.hostname === '127.0.0.1') && url.hash === ''
  } catch {
    return false
  }
}

/** PKCE: the verifier matches the challenge made from it (S256), or equals it (plain). */
export function pkceMatches (verifier: string, challenge: string, method: string): boolean {
  const derived = method === 'S256' ? createHash('sha256').update(verifier).digest('base64url') : verifier
  const a = Buffer.from(derived)
  const b = Buffer.from(challenge)
  return a.length === b.length && timingSafeEqual(a, b)
}
