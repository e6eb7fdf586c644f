// The development identity provider's signing keys: ES256 for access tokens (so that no rule of the
// Entra pipeline, which takes RS256 only, can accept one) and RS256 for ID tokens (what Entra signs
// them with, and what OpenID clients expect by default). They live in the database, so tokens survive
// a restart and every instance sharing the database signs and verifies with the same key set.
import { createLocalJWKSet, exportJWK, generateKeyPair, importJWK, type CryptoKey, type JSONWebKeySet, type JWK, type JWTVerifyGetKey } from 'jose'
import type { SigningKeyRepository } from './repository.js'

/** The access tokens' algorithm. */
export const DEV_ALG = 'ES256'
/** The ID tokens' algorithm. */
export const ID_TOKEN_ALG = 'RS256'
const ALGORITHMS = [DEV_ALG, ID_TOKEN_ALG] as const
export type SigningAlgorithm = typeof ALGORITHMS[number]

export interface DevSigningKey { kid: string, alg: SigningAlgorithm, privateKey: CryptoKey }

export class DevKeyStore {
  readonly #keys: SigningKeyRepository
  readonly #cooldownMs: number
  #jwks: JSONWebKeySet = { keys: [] }
  #localSet: JWTVerifyGetKey = createLocalJWKSet(this.#jwks)
  readonly #signingKeys = new Map<SigningAlgorithm, Promise<DevSigningKey>>()
  #refreshedAt = 0
  #refreshing: Promise<void> | undefined

  constructor (keys: SigningKeyRepository, cooldownMs: number) {
    this.#keys = keys
    this.#cooldownMs = cooldownMs
  }

  /** Loads the key set, creating a key of each algorithm the database has none of. */
  async init (): Promise<void> {
    await this.#reload()
    const missing = ALGORITHMS.filter((alg) => !this.#jwks.keys.some((k) => k.alg === alg))
    for (const alg of missing) await this.#createKey(alg)
    if (missing.length > 0) await this.#reload()
  }

  /** The public keys, as published at /{tenant}/discovery/v2.0/keys. */
  publicJwks (): JSONWebKeySet {
    return this.#jwks
  }

  /** The newest key of an algorithm: ES256 signs access tokens, RS256 ID tokens. */
  signingKey (alg: SigningAlgorithm = DEV_ALG): Promise<DevSigningKey> {
    let key = this.#signingKeys.get(alg)
    if (!key) {
      key = this.#loadNewestPrivateKey(alg)
      this.#signingKeys.set(alg, key)
    }
    return key
  }

  /** Key resolver for jose: an unknown kid reloads the set (another instance may have added a key), at most once per cooldown. */
  readonly getKey: JWTVerifyGetKey = async (header, token) => {
    try {
      return await this.#localSet(header, token)
    } catch (error) {
      if ((error as { code?: string }).code !== 'ERR_JWKS_NO_MATCHING_KEY' || Date.now() - this.#refreshedAt < this.#cooldownMs) throw error
      this.#refreshing ??= this.#reload().finally(() => { this.#refreshing = undefined })
      await this.#refreshing
      return this.#localSet(header, token)
    }
  }

  async #reload (): Promise<void> {
    const rows = await this.#keys.publicKeys()
    this.#jwks = { keys: rows.map((r) => ({ ...(r.public_jwk as JWK), kid: r.kid, alg: r.alg, use: 'sig' })) }
    this.#localSet = createLocalJWKSet(this.#jwks)
    this.#refreshedAt = Date.now()
  }

  async #createKey (alg: SigningAlgorithm): Promise<void> {
    const { publicKey, privateKey } = await generateKeyPair(alg, { extractable: true })
    await this.#keys.insert({ kid: crypto.randomUUID(), alg, publicJwk: await exportJWK(publicKey), privateJwk: await exportJWK(privateKey) })
  }

  async #loadNewestPrivateKey (alg: SigningAlgorithm): Promise<DevSigningKey> {
    const row = await this.#keys.newestPrivateKey(alg)
    return { kid: row.kid, alg, privateKey: await importJWK(row.private_jwk as JWK, alg) as CryptoKey }
  }
}
