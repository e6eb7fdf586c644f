// SQL of the development identity provider: its signing keys (the private half never leaves the
// database and this process).
import type { JWK } from 'jose'
import type { Kysely } from 'kysely'
import type { Database } from '../db/schema.js'

export function createSigningKeyRepository (db: Kysely<Database>) {
  return {
    /** Every key's public half, newest first. */
    publicKeys () {
      return db.selectFrom('signing_keys').select(['kid', 'alg', 'public_jwk']).orderBy('created_at', 'desc').execute()
    },

    newestPrivateKey (alg: string) {
      return db.selectFrom('signing_keys').select(['kid', 'private_jwk']).where('alg', '=', alg)
        .orderBy('created_at', 'desc').limit(1).executeTakeFirstOrThrow()
    },

    async insert (key: { kid: string, alg: string, publicJwk: JWK, privateJwk: JWK }): Promise<void> {
      await db.insertInto('signing_keys').values({
        kid: key.kid, alg: key.alg, public_jwk: JSON.stringify(key.publicJwk), private_jwk: JSON.stringify(key.privateJwk)
      }).execute()
    }
  }
}

export type SigningKeyRepository = ReturnType<typeof createSigningKeyRepository>
