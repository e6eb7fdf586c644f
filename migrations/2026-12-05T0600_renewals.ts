// Renewals: what a subscription's next term is to be (scheduledNextTermInstructions), which term it
// is in and when that term began (the clock renews subscriptions lazily at term end).
// Frozen in time: never import from src/, never edit after release; add a new migration instead.
import type { Kysely } from 'kysely'

export async function up (db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('subscriptions')
    // {product:{productId, skuId, availabilityId, billingCycle, termDuration}, quantity, customTermEndDate}: null when none.
    .addColumn('scheduled_next_term', 'jsonb')
    // 1 for the term bought; each renewal adds one (a renewal is applied once per term).
    .addColumn('term_number', 'integer', (c) => c.notNull().defaultTo(1))
    // null: the term began when the subscription was created.
    .addColumn('term_started_at', 'timestamptz')
    .execute()
  // The renewal sweep reads a partner's subscriptions whose term has ended.
  await db.schema.createIndex('subscriptions_term_end').on('subscriptions').columns(['partner_tenant_id', 'commitment_end_at']).execute()
}

export async function down (db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('subscriptions_term_end').execute()
  await db.schema.alterTable('subscriptions')
    .dropColumn('scheduled_next_term').dropColumn('term_number').dropColumn('term_started_at')
    .execute()
}
