// SQL of MS-RequestId idempotency: one row per (partner, request id, method, path), claimed by the
// first request and completed with its answer.
import type { Kysely } from 'kysely'
import type { Database, IdempotentRequestRow } from '../db/schema.js'

export interface IdempotencyKey { partner_tenant_id: string, request_id: string, method: string, path: string }

export interface StoredAnswer {
  status_code: number
  body: string | null
  location: string | null
  content_type: string | null
}

export function createIdempotencyRepository (db: Kysely<Database>) {
  return {
    /** True when this request is the first with its key. */
    async claim (key: IdempotencyKey, at: Date): Promise<boolean> {
      const inserted = await db.insertInto('idempotent_requests').values({ ...key, claimed_at: at })
        .onConflict((oc) => oc.doNothing()).returning('request_id').executeTakeFirst()
      return inserted !== undefined
    },

    find (key: IdempotencyKey): Promise<IdempotentRequestRow | undefined> {
      return db.selectFrom('idempotent_requests').selectAll().where((eb) => eb.and(key)).executeTakeFirst()
    },

    /** Takes over a claim that has had no answer since `claimedAt`; false when another request was faster. */
    async takeOver (key: IdempotencyKey, claimedAt: Date, at: Date): Promise<boolean> {
      const taken = await db.updateTable('idempotent_requests').set({ claimed_at: at })
        .where((eb) => eb.and(key)).where('claimed_at', '=', claimedAt).where('status_code', 'is', null).executeTakeFirst()
      return taken.numUpdatedRows === 1n
    },

    async storeAnswer (key: IdempotencyKey, answer: StoredAnswer): Promise<void> {
      await db.updateTable('idempotent_requests').set(answer).where((eb) => eb.and(key)).execute()
    },

    async release (key: IdempotencyKey): Promise<void> {
      await db.deleteFrom('idempotent_requests').where((eb) => eb.and(key)).execute()
    },

    /** Forgets every answer claimed before `before`. */
    async sweep (before: Date): Promise<void> {
      await db.deleteFrom('idempotent_requests').where('claimed_at', '<', before).execute()
    }
  }
}
