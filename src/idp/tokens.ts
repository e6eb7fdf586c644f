// Mints the development identity provider's tokens.
// - Access tokens follow the Partner Center sample token (v1 shape: acr, amr, appid, appidacr,
//   auth_time, ipaddr, name, oid, scp, tid, unique_name, upn, ver) plus the RFC 9068 ones (client_id,
//   jti), typed `at+jwt` and signed ES256 so that no rule of the Entra pipeline can accept them.
// - ID tokens are Entra's v2.0 ID tokens, signed RS256.
// - client_info is what MSAL builds its account from: the user's object id and tenant.
import { createHash } from 'node:crypto'
import { SignJWT, type JWTPayload } from 'jose'
import { APP_ROLES, surfaceOfAudience, USER_SCOPE } from '../directory/resources.js'
import { devIssuer } from './issuer.js'
import { DEV_ALG, ID_TOKEN_ALG, type DevKeyStore } from './keys.js'

export interface TokenUser { id: string, userPrincipalName: string, displayName: string }

export interface MintRequest {
  publicBaseUrl: string
  tenantId: string
  appId: string
  audience: string
  expiresInSeconds: number
  /** Absent for an app-only token. */
  user?: TokenUser
  amr?: unknown
  /** When the user signed in (seconds); default now. */
  authTime?: number
  /** The delegated scopes granted (`scp`); default the surface's usual one. */
  scopes?: string
  /** The client authenticated with a secret (appidacr 1) or is a public client (0). */
  confidential?: boolean
  ipAddress?: string
  /** App-only: the application permissions granted on the resource (`roles`); default a partner app's own grants (APP_ROLES). */
  roles?: readonly string[]
  claims?: Record<string, unknown>
}

const seconds = (ms: number) => Math.floor(ms / 1000)

/** An app-only token's `roles`: the application permissions granted on its resource (none: no claim, as Entra). */
function appRolesOf (audience: string, granted?: readonly string[]): { roles?: string[] } {
  const roles = granted ?? APP_ROLES[surfaceOfAudience(audience) ?? 'partnerCenter']
  return roles.length > 0 ? { roles: [...roles] } : {}
}

export async function mintDevToken (keys: DevKeyStore, req: MintRequest): Promise<string> {
  const now = seconds(Date.now())
  const base: JWTPayload = {
    iss: devIssuer(req.publicBaseUrl, req.tenantId),
    aud: req.audience,
    iat: now,
    nbf: now,
    exp: now + req.expiresInSeconds,
    jti: crypto.randomUUID(),
    tid: req.tenantId,
    appid: req.appId,
    appidacr: req.confidential === false ? '0' : '1',
    client_id: req.appId,
    ...(req.ipAddress ? { ipaddr: req.ipAddress } : {}),
    ver: '1.0'
  }
  const subject = req.user
    ? {
        idtyp: 'user',
        acr: '1',
        oid: req.user.id,
        sub: req.user.id,
        scp: req.scopes ?? USER_SCOPE[surfaceOfAudience(req.audience) ?? 'partnerCenter'],
        amr: req.amr === undefined ? ['pwd', 'mfa'] : req.amr,
        auth_time: req.authTime ?? now,
        upn: req.user.userPrincipalName,
        unique_name: req.user.userPrincipalName,
        name: req.user.displayName
      }
    // We model no separate service principal: the app's object id is its app id.
    : { idtyp: 'app', oid: req.appId, sub: req.appId, ...appRolesOf(req.audience, req.roles) }
  const { kid, privateKey } = await keys.signingKey(DEV_ALG)
  return new SignJWT({ ...base, ...subject, ...req.claims })
    .setProtectedHeader({ alg: DEV_ALG, typ: 'at+jwt', kid })
    .sign(privateKey)
}

export interface IdTokenRequest {
  publicBaseUrl: string
  tenantId: string
  appId: string
  user: TokenUser
  nonce?: string | undefined
  authTime: number
  amr: string[]
}

/** An Entra v2.0 ID token: for the client (aud is its id), naming the user, valid an hour. */
export async function mintIdToken (keys: DevKeyStore, req: IdTokenRequest): Promise<string> {
  const now = seconds(Date.now())
  const { kid, privateKey } = await keys.signingKey(ID_TOKEN_ALG)
  return new SignJWT({
    iss: devIssuer(req.publicBaseUrl, req.tenantId),
    aud: req.appId,
    iat: now,
    nbf: now,
    exp: now + 3600,
    // Entra's subjects are pairwise: the same user has another sub in every application.
    sub: createHash('sha256').update(`${req.user.id}|${req.appId}`).digest('base64url').slice(0, 43),
    oid: req.user.id,
    tid: req.tenantId,
    name: req.user.displayName,
    preferred_username: req.user.userPrincipalName,
    auth_time: req.authTime,
    amr: req.amr,
    ...(req.nonce ? { nonce: req.nonce } : {}),
    uti: crypto.randomUUID().replaceAll('-', '').slice(0, 22),
    ver: '2.0'
  }).setProtectedHeader({ alg: ID_TOKEN_ALG, typ: 'JWT', kid }).sign(privateKey)
}

/** MSAL's client_info: base64url JSON of the user's object id and home tenant. */
export const clientInfoOf = (userId: string, tenantId: string) =>
  Buffer.from(JSON.stringify({ uid: userId, utid: tenantId })).toString('base64url')
