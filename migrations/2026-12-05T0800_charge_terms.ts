// Charges remember the term they were made in: its end, the offer's name, the term's duration and its
// billing cycle. Line items read these rather than the subscription's current values, which a renewal
// or a scheduled change at renewal moves on; charges made before this migration keep reading the
// subscription (null here).
// Frozen in time: never import from src/, never edit after release; add a new migration instead.
import type { Kysely } from 'kysely'

export async function up (db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('charges')
    .addColumn('term_end_at', 'timestamptz')
    .addColumn('offer_name', 'text')
    .addColumn('term_duration', 'text')
    .addColumn('billing_cycle', 'text')
    .execute()
}

export async function down (db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('charges')
    .dropColumn('term_end_at').dropColumn('offer_name').dropColumn('term_duration').dropColumn('billing_cycle')
    .execute()
}
