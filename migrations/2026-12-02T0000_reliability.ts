// Reliability: an idempotency record is now written in its request's own transaction, with its answer.
// Records claimed by the old code that never got an answer (their request died) can be neither replayed
// nor taken over any more: they go.
// Frozen in time: never import from src/, never edit after release; add a new migration instead.
import type { Kysely } from 'kysely'

export async function up (db: Kysely<any>): Promise<void> {
  await db.deleteFrom('idempotent_requests').where('status_code', 'is', null).execute()
}

export async function down (): Promise<void> {
  // Nothing to undo: the rows were dead claims.
}
