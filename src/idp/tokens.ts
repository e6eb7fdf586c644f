// Mints access tokens from the development identity provider. Claims follow the Partner Center
// sample token (v1 shape: appid, scp, amr, upn, tid, oid) plus the RFC 9068 ones (client_id, jti),
// typed `at+jwt` and signed ES256 so that no rule of the Entra pipeline can accept them.
import { SignJWT, type JWTPayload } from 'jose'
import { surfaceOfAudience, USER_SCOPE } from '../directory/resources.js'
import { devIssuer } from './issuer.js'
import { DEV_ALG, type DevKeyStore } from './keys.js'

export interface MintRequest {
  publicBaseUrl: string
  tenantId: string
  appId: string
  audience: string
  expiresInSeconds: number
  /** Absent for an app-only token. */
  user?: { id: string, userPrincipalName: string, displayName: string }
  amr?: unknown
  claims?: Record<string, unknown>
}

export async function mintDevToken (keys: DevKeyStore, req: MintRequest): Promise<string> {
  const now = Math.floor(Date.now() / 1000)
  const base: JWTPayload = {
    iss: devIssuer(req.publicBaseUrl, req.tenantId),
    aud: req.audience,
    iat: now,
    nbf: now,
    exp: now + req.expiresInSeconds,
    jti: crypto.randomUUID(),
    tid: req.tenantId,
    appid: req.appId,
    appidacr: '1',
    client_id: req.appId,
    ver: '1.0'
  }
  const subject = req.user
    ? {
        idtyp: 'user',
        oid: req.user.id,
        sub: req.user.id,
        scp: USER_SCOPE[surfaceOfAudience(req.audience) ?? 'partnerCenter'],
        amr: req.amr === undefined ? ['pwd', 'mfa'] : req.amr,
        upn: req.user.userPrincipalName,
        unique_name: req.user.userPrincipalName,
        name: req.user.displayName
      }
    // We model no separate service principal: the app's object id is its app id.
    : { idtyp: 'app', oid: req.appId, sub: req.appId }
  const { kid, privateKey } = await keys.signingKey()
  return new SignJWT({ ...base, ...subject, ...req.claims })
    .setProtectedHeader({ alg: DEV_ALG, typ: 'at+jwt', kid })
    .sign(privateKey)
}
