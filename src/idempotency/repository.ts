// SQL of MS-RequestId idempotency: one row per (partner, request id, method, path), inserted in the
// write's own transaction and completed with its answer before that transaction commits.
import { sql, type Kysely } from 'kysely'
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
    /**
     * True when this request is the first with its key. In a transaction, a concurrent first request's
     * row is waited for (PostgreSQL's unique index waits for its transaction) for at most `waitMs`.
     */
    async claim (key: IdempotencyKey, at: Date, waitMs: number): Promise<boolean> {
      const { previous } = (await sql<{ previous: string }>`select current_setting('lock_timeout') as previous`.execute(db)).rows[0]!
      await sql`select set_config('lock_timeout', ${`${waitMs}ms`}, true)`.execute(db)
      const inserted = await db.insertInto('idempotent_requests').values({ ...key, claimed_at: at })
        .onConflict((oc) => oc.doNothing()).returning('request_id').executeTakeFirst()
      await sql`select set_config('lock_timeout', ${previous}, true)`.execute(db)
      return inserted !== undefined
    },

    find (key: IdempotencyKey): Promise<IdempotentRequestRow | undefined> {
      return db.selectFrom('idempotent_requests').selectAll().where((eb) => eb.and(key)).executeTakeFirst()
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
