// A stand-in for Entra ID's signing-key endpoint on loopback: serves an RS256 JWKS, counts fetches,
// and signs v1/v2 tokens shaped like real Partner Center tokens.
import { createServer } from 'node:http'
import { CompactSign, exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose'

export interface FakeEntra {
  jwksUri: string
  fetches: () => number
  /** Signs a token with the published key (or an unpublished one with `unknownKid`). */
  sign: (claims: Record<string, unknown>, options?: { kid?: string, unpublished?: boolean }) => Promise<string>
  /** Signs a payload given as JSON text, which may hold what JSON.stringify cannot write (1e400). */
  signRaw: (payloadJson: string) => Promise<string>
  /** Adds an `issuer` member to the published key (v2 keys carry one). */
  setKeyIssuer: (issuer: string | undefined) => void
  close: () => Promise<void>
}

export async function startFakeEntra (): Promise<FakeEntra> {
  const published = await generateKeyPair('RS256', { extractable: true })
  const unpublished = await generateKeyPair('RS256', { extractable: true })
  const publicJwk: JWK = { ...await exportJWK(published.publicKey), kid: 'entra-key-1', use: 'sig', alg: 'RS256' }
  let issuer: string | undefined
  let fetches = 0
  const server = createServer((_req, res) => {
    fetches++
    res.writeHead(200, { 'content-type': 'application/json' })
    res.end(JSON.stringify({ keys: [issuer ? { ...publicJwk, issuer } : publicJwk] }))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address() as { port: number }
  return {
    jwksUri: `http://127.0.0.1:${address.port}/common/discovery/v2.0/keys`,
    fetches: () => fetches,
    sign: (claims, options = {}) => {
      const key: CryptoKey = options.unpublished ? unpublished.privateKey : published.privateKey
      return new SignJWT(claims).setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: options.kid ?? 'entra-key-1' }).sign(key)
    },
    signRaw: (payloadJson) => new CompactSign(new TextEncoder().encode(payloadJson))
      .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: 'entra-key-1' }).sign(published.privateKey),
    setKeyIssuer: (value) => { issuer = value },
    close: () => new Promise((resolve) => server.close(() => resolve()))
  }
}

/** Claims of a real v1 Partner Center app+user token (the documented sample), for a tenant and user. */
export function v1UserClaims (tenantId: string, userId: string, extra: Record<string, unknown> = {}) {
  const now = Math.floor(Date.now() / 1000)
  return {
    aud: 'https://api.partnercenter.microsoft.com',
    iss: `https://sts.windows.net/${tenantId}/`,
    iat: now - 60,
    nbf: now - 60,
    exp: now + 3600,
    acr: '1',
    amr: ['pwd', 'mfa'],
    appid: '1950a258-227b-4e31-a9cf-717495945fc2',
    appidacr: '0',
    scp: 'user_impersonation',
    tid: tenantId,
    oid: userId,
    sub: 'pairwise-subject',
    upn: 'someone@example.com',
    ver: '1.0',
    ...extra
  }
}
