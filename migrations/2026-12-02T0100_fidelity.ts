// Fidelity: the journal keeps each request's operation as the MFA reports name it ("Get
// /v{version}/customers": the method and the route's template), beside the emulator's operation id.
// Frozen in time: never import from src/, never edit after release; add a new migration instead.
import type { Kysely } from 'kysely'

export async function up (db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('request_journal').addColumn('operation_name', 'text').execute()
}

export async function down (db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('request_journal').dropColumn('operation_name').execute()
}
