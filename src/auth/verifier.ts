// Steps 3 to 6 of the auth decision table: token shape, issuer routing on the unverified `iss`,
// verification with that issuer's keys only, and classification as app-only or app+user.
// Verified tokens are cached by a hash of the whole token, never past their `exp`.
import { hash } from 'node:crypto'
import { createRemoteJWKSet, decodeJwt, errors as joseErrors, jwtVerify, type CryptoKey, type FlattenedJWSInput, type JWSHeaderParameters, type JWTPayload } from 'jose'
import type { DirectoryCache } from '../directory/cache.js'
import { AUDIENCES, type Surface } from '../directory/resources.js'
import { invalidToken, serviceUnavailable } from '../errors.js'
import { devIssuerTenant } from '../idp/issuer.js'
import { DEV_ALG, type DevKeyStore } from '../idp/keys.js'
import { isGuid } from '../lib/ids.js'

export type IssuerKind = 'dev' | 'entra'

/** What the hook knows about the caller once the token is verified. */
export interface VerifiedToken {
  issuer: IssuerKind
  kind: 'app' | 'user'
  tenantId: string
  objectId: string
  appId: string
  userPrincipalName: string | null
  claims: JWTPayload
}

export interface VerifierOptions {
  devKeys: DevKeyStore | undefined
  directory: DirectoryCache
  publicBaseUrl: string
  entraJwksUri: string
  clockToleranceS: number
  maxTokenAgeS: number
  /** The longest a token may live (exp - iat). */
  maxLifetimeS: number
  jwksCooldownMs: number
  jwksCacheMaxAgeMs: number
}

/** Larger tokens are refused before any parsing (Entra tokens with groups stay well below). */
export const MAX_TOKEN_LENGTH = 12 * 1024
const TOKEN_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/
const ENTRA_V1 = /^https:\/\/sts\.windows\.net\/([0-9a-f-]{36})\/$/
const ENTRA_V2 = /^https:\/\/login\.microsoftonline\.com\/([0-9a-f-]{36})\/v2\.0$/
const CACHE_LIMIT = 10_000

/** The cache never holds tokens themselves, only a hash of the whole token (and the surface it was checked for). */
const cacheKeyOf = (token: string, surface: Surface) => `${surface}:${hash('sha256', token, 'base64url')}`

export class TokenVerifier {
  readonly #options: VerifierOptions
  readonly #entraRemoteKeys: ReturnType<typeof createRemoteJWKSet>
  readonly #cache = new Map<string, { token: VerifiedToken, expiresAt: number }>()

  constructor (options: VerifierOptions) {
    this.#options = options
    this.#entraRemoteKeys = createRemoteJWKSet(new URL(options.entraJwksUri), {
      cooldownDuration: options.jwksCooldownMs,
      cacheMaxAge: options.jwksCacheMaxAgeMs,
      timeoutDuration: 5000
    })
  }

  /** Entra key lookup plus Microsoft's signing-key issuer check: a v2 key names the issuer (template) it signs for. */
  async #entraKey (header: JWSHeaderParameters, token: FlattenedJWSInput, tid: string): Promise<CryptoKey> {
    let key: CryptoKey
    try {
      key = await this.#entraRemoteKeys(header, token)
    } catch (error) {
      if (error instanceof joseErrors.JWKSNoMatchingKey || error instanceof joseErrors.JWKSMultipleMatchingKeys ||
        error instanceof joseErrors.JOSENotSupported || error instanceof joseErrors.JOSEAlgNotAllowed) throw error
      throw serviceUnavailable('The Entra ID signing keys could not be fetched.')
    }
    const jwk = this.#entraRemoteKeys.jwks()?.keys.find((k) => k.kid === header.kid) as { issuer?: unknown } | undefined
    if (typeof jwk?.issuer === 'string' && jwk.issuer.replace('{tenantid}', tid) !== `https://login.microsoftonline.com/${tid}/v2.0`) {
      throw invalidToken('The token is signed with a key that does not belong to its tenant.')
    }
    return key
  }

  /** A token verified earlier and not yet expired, without any I/O: the hook's hot path. */
  cached (token: string, surface: Surface): VerifiedToken | undefined {
    return token.length > MAX_TOKEN_LENGTH ? undefined : this.#fresh(cacheKeyOf(token, surface))
  }

  async verify (token: string, surface: Surface): Promise<VerifiedToken> {
    // Step 3: shape and size, before anything is decoded (or hashed).
    if (token.length > MAX_TOKEN_LENGTH) throw invalidToken(`The token is larger than ${MAX_TOKEN_LENGTH} bytes.`)
    const key = cacheKeyOf(token, surface)
    const hit = this.#fresh(key)
    if (hit) return hit
    if (!TOKEN_SHAPE.test(token)) throw invalidToken('The token is not a JWT (three base64url segments).')
    const verified = await this.#verifyUncached(token, surface)
    if (this.#cache.size >= CACHE_LIMIT) this.#cache.delete(this.#cache.keys().next().value as string)
    this.#cache.set(key, { token: verified, expiresAt: (verified.claims.exp as number) * 1000 })
    return verified
  }

  /** The cached token under `key` while it has not expired; an expired one is forgotten. */
  #fresh (key: string): VerifiedToken | undefined {
    const hit = this.#cache.get(key)
    if (hit === undefined) return undefined
    if (hit.expiresAt > Date.now()) return hit.token
    this.#cache.delete(key)
    return undefined
  }

  async #verifyUncached (token: string, surface: Surface): Promise<VerifiedToken> {
    // Step 4: route on the unverified issuer. Nothing decoded here authorizes anything.
    let unverified: JWTPayload
    try {
      unverified = decodeJwt(token)
    } catch {
      throw invalidToken('The token payload is not valid JSON.')
    }
    const route = await this.#route(unverified)

    // Step 5: verify with that issuer's keys and rules only, then the times jose takes on trust.
    const { payload } = await this.#jwtVerify(token, route, surface)
    checkTimes(payload, this.#options.maxLifetimeS)

    // Step 6: classify, rejecting inconsistent claims.
    return classify(payload, route.issuer)
  }

  async #route (payload: JWTPayload): Promise<{ issuer: IssuerKind, iss: string, tid: string, version?: '1.0' | '2.0' }> {
    const iss = payload.iss
    if (typeof iss !== 'string') throw invalidToken('The token has no issuer (iss).')
    if (Object.keys(payload).filter((k) => k.toLowerCase() === 'tid').length > 1) {
      throw invalidToken('The token carries its tenant id (tid) more than once.')
    }
    const dev = this.#options.devKeys ? devIssuerTenant(this.#options.publicBaseUrl, iss) : undefined
    const v1 = ENTRA_V1.exec(iss)
    const v2 = ENTRA_V2.exec(iss)
    const issuerTenant = dev ?? (v1 ?? v2)?.[1]
    if (issuerTenant === undefined) throw invalidToken('The token issuer is not trusted by this service.')
    if (!isGuid(issuerTenant) || payload.tid !== issuerTenant) {
      throw invalidToken('The token tenant (tid) does not match its issuer.')
    }
    const tenant = await this.#options.directory.partnerTenant(issuerTenant)
    if (!tenant) throw invalidToken('The token tenant is not a partner tenant of this service.')
    if (dev !== undefined) return { issuer: 'dev', iss, tid: issuerTenant }
    if (!tenant.entraTrusted) throw invalidToken('Entra ID tokens are not trusted for this partner tenant; onboard it first.')
    return { issuer: 'entra', iss, tid: issuerTenant, version: v1 ? '1.0' : '2.0' }
  }

  async #jwtVerify (token: string, route: { issuer: IssuerKind, iss: string, tid: string, version?: string }, surface: Surface) {
    const common = {
      issuer: route.iss,
      audience: AUDIENCES[surface],
      clockTolerance: this.#options.clockToleranceS,
      maxTokenAge: this.#options.maxTokenAgeS
    }
    try {
      if (route.issuer === 'dev') {
        return await jwtVerify(token, this.#options.devKeys!.getKey, {
          ...common, algorithms: [DEV_ALG], typ: 'at+jwt', requiredClaims: ['exp', 'iat', 'tid', 'jti']
        })
      }
      const result = await jwtVerify(token, (header, input) => this.#entraKey(header, input, route.tid), {
        ...common, algorithms: ['RS256'], typ: 'JWT', requiredClaims: ['exp', 'iat', 'nbf', 'tid', 'ver', 'oid']
      })
      if (result.payload.ver !== route.version) throw invalidToken('The token version (ver) does not match its issuer.')
      return result
    } catch (error) {
      throw explainVerificationFailure(error)
    }
  }

  /** Drops every cached verification (keys rotated, tenants changed). */
  clear (): void {
    this.#cache.clear()
  }
}

/**
 * jose checks that exp, nbf and iat are numbers, and JSON's 1e400 is one (Infinity): a token that
 * never expires. Each must be finite, and a token may not live longer than `maxLifetimeS`.
 */
function checkTimes (claims: JWTPayload, maxLifetimeS: number): void {
  for (const name of ['exp', 'nbf', 'iat'] as const) {
    if (claims[name] !== undefined && !Number.isFinite(claims[name])) throw invalidToken(`The token claim ${name} is not a finite time.`)
  }
  if (claims.exp! - claims.iat! > maxLifetimeS) throw invalidToken(`The token lives longer than ${maxLifetimeS} seconds (exp - iat).`)
}

function classify (claims: JWTPayload, issuer: IssuerKind): VerifiedToken {
  const { idtyp, scp, roles } = claims
  if (scp !== undefined && (typeof scp !== 'string' || scp.trim() === '')) throw invalidToken('The scp claim must be a non-empty string.')
  if (roles !== undefined && !(Array.isArray(roles) && roles.every((r) => typeof r === 'string'))) {
    throw invalidToken('The roles claim must be an array of strings.')
  }
  let kind: 'app' | 'user'
  if (idtyp === undefined) kind = scp === undefined ? 'app' : 'user'
  else if (idtyp === 'app' && scp === undefined) kind = 'app'
  else if (idtyp === 'user' && scp !== undefined) kind = 'user'
  else throw invalidToken('The token type claims are inconsistent (idtyp and scp disagree).')

  const appId = claims.ver === '2.0' ? claims.azp : claims.appid
  if (typeof appId !== 'string' || appId === '') throw invalidToken('The token names no client application (appid/azp).')
  const clientAuth = claims.ver === '2.0' ? claims.azpacr : claims.appidacr
  if (kind === 'app' && clientAuth === '0') throw invalidToken('An app-only token must come from a confidential client.')
  if (!isGuid(claims.oid)) throw invalidToken('The token has no valid object id (oid).')

  const upn = kind === 'user' ? (claims.upn ?? claims.unique_name ?? claims.preferred_username) : undefined
  return {
    issuer,
    kind,
    tenantId: claims.tid as string,
    objectId: (claims.oid as string).toLowerCase(),
    appId,
    userPrincipalName: typeof upn === 'string' ? upn : null,
    claims
  }
}

/** Maps jose failures to a reason that names the failed check and never echoes token content. */
function explainVerificationFailure (error: unknown): Error {
  if (error instanceof joseErrors.JWTExpired) return invalidToken('The token has expired.')
  if (error instanceof joseErrors.JWTClaimValidationFailed) {
    switch (error.claim) {
      case 'aud': return invalidToken('The token audience (aud) is not this API.')
      case 'iss': return invalidToken('The token issuer (iss) is not accepted.')
      case 'nbf': return invalidToken('The token is not valid yet (nbf).')
      case 'iat': return invalidToken('The token issue time (iat) is in the future or too long ago.')
      case 'typ': return invalidToken('The token type header (typ) is not accepted for this issuer.')
      default:
        return error.reason === 'missing'
          ? invalidToken(`The token lacks the required claim ${error.claim}.`)
          : invalidToken(`The token claim ${error.claim} is not valid.`)
    }
  }
  if (error instanceof joseErrors.JOSEAlgNotAllowed) return invalidToken('The token signing algorithm is not accepted for this issuer.')
  if (error instanceof joseErrors.JWSSignatureVerificationFailed) return invalidToken('The token signature is invalid.')
  if (error instanceof joseErrors.JWKSNoMatchingKey) return invalidToken('The token is signed with an unknown key.')
  if (error instanceof joseErrors.JWKSTimeout) return serviceUnavailable('The Entra ID signing keys could not be fetched in time.')
  if (error instanceof joseErrors.JOSEError) return invalidToken('The token is malformed.')
  if (error instanceof Error && 'statusCode' in error) return error
  // Key/algorithm mismatches surface as TypeErrors; a failed key fetch as a network error.
  if (error instanceof TypeError && /fetch/i.test(error.message)) return serviceUnavailable('The Entra ID signing keys could not be fetched.')
  return invalidToken('The token could not be verified.')
}
