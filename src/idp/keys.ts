// The development identity provider's signing keys. They live in the database, so tokens survive a
// restart and every instance sharing the database signs and verifies with the same key set.
import { createLocalJWKSet, exportJWK, generateKeyPair, importJWK, type CryptoKey, type JSONWebKeySet, type JWK, type JWTVerifyGetKey } from 'jose'
import type { SigningKeyRepository } from './repository.js'

export const DEV_ALG = 'ES256'

export interface DevSigningKey { kid: string, privateKey: CryptoKey }

export class DevKeyStore {
  readonly #keys: SigningKeyRepository
  readonly #cooldownMs: number
  #jwks: JSONWebKeySet = { keys: [] }
  #localSet: JWTVerifyGetKey = createLocalJWKSet(this.#jwks)
  #signingKey: Promise<DevSigningKey> | undefined
  #refreshedAt = 0
  #refreshing: Promise<void> | undefined

  constructor (keys: SigningKeyRepository, cooldownMs: number) {
    this.#keys = keys
    this.#cooldownMs = cooldownMs
  }

  /** Loads the key set, creating the first key when the database has none. */
  async init (): Promise<void> {
    await this.#reload()
    if (this.#jwks.keys.length === 0) {
      await this.#createKey()
      await this.#reload()
    }
  }

  /** The public keys, as published at /{tenant}/discovery/v2.0/keys. */
  publicJwks (): JSONWebKeySet {
    return this.#jwks
  }

  /** The newest key, used to sign every token this process mints. */
  signingKey (): Promise<DevSigningKey> {
    this.#signingKey ??= this.#loadNewestPrivateKey()
    return this.#signingKey
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
    this.#jwks = { keys: rows.map((r) => ({ ...(r.public_jwk as JWK), kid: r.kid, alg: DEV_ALG, use: 'sig' })) }
    this.#localSet = createLocalJWKSet(this.#jwks)
    this.#refreshedAt = Date.now()
  }

  async #createKey (): Promise<void> {
    const { publicKey, privateKey } = await generateKeyPair(DEV_ALG, { extractable: true })
    const kid = crypto.randomUUID()
    await this.#keys.insert({ kid, alg: DEV_ALG, publicJwk: await exportJWK(publicKey), privateJwk: await exportJWK(privateKey) })
  }

  async #loadNewestPrivateKey (): Promise<DevSigningKey> {
    const row = await this.#keys.newestPrivateKey()
    return { kid: row.kid, privateKey: await importJWK(row.private_jwk as JWK, DEV_ALG) as CryptoKey }
  }
}
