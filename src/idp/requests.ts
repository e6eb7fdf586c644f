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
  /** The permissions were named; otherwise `.default` (or nothing) asked for the resource's usual ones. */
  explicit: boolean
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
    explicit: names.length > 0,
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

/**
 * A redirect URI the app registered: exactly, or a registered loopback URI (http on localhost or
 * 127.0.0.1) on another port, as Entra allows for native clients (RFC 8252 §7.3): the port is ignored,
 * the host and path are not.
 */
export function allowedRedirect (uri: string, registered: readonly string[]): boolean {
  if (registered.includes(uri)) return true
  const asked = loopback(uri)
  return asked !== undefined && registered.some((r) => loopback(r) === asked)
}

/** A loopback URI without its port, or undefined for any other URI. */
function loopback (uri: string): string | undefined {
  try {
    const url = new URL(uri)
    if (url.protocol !== 'http:' || (url.hostname !== 'localhost' && url.hostname !== '127.0.0.1') || url.hash !== '') return undefined
    return `${url.hostname}${url.pathname}${url.search}`
  } catch {
    return undefined
  }
}

/** The PKCE challenge a client sends: 43 to 128 unreserved characters (RFC 7636 §4.2), with method S256 or plain. */
export function validChallenge (challenge: string, method: string | undefined): boolean {
  return /^[A-Za-z0-9._~-]{43,128}$/.test(challenge) && (method === undefined || method === 'S256' || method === 'plain')
}

/** A `claims` request is a JSON object (OpenID Connect Core §5.5). */
export function validClaims (claims: string | undefined): boolean {
  if (claims === undefined) return true
  try {
    const parsed: unknown = JSON.parse(claims)
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)
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
