// Subscription transitions (new commerce): each POST …/transitions, kept for GET …/transitions, the
// history of a subscription's transitions. Legacy upgrades (POST …/upgrades) leave no row: Microsoft's
// history lists new-commerce transitions only.
// Frozen in time: never import from src/, never edit after release; add a new migration instead.
import { sql, type Kysely } from 'kysely'

export async function up (db: Kysely<any>): Promise<void> {
  await db.schema.createTable('subscription_transitions')
    // The transition's operation id (GET …/transitions?operationId=).
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('partner_tenant_id', 'uuid', (c) => c.notNull().references('partner_tenants.id').onDelete('cascade'))
    .addColumn('customer_id', 'text', (c) => c.notNull())
    .addColumn('from_subscription_id', 'text', (c) => c.notNull())
    .addColumn('to_subscription_id', 'text', (c) => c.notNull())
    .addColumn('from_catalog_item_id', 'text', (c) => c.notNull())
    .addColumn('to_catalog_item_id', 'text', (c) => c.notNull())
    .addColumn('quantity', 'integer', (c) => c.notNull())
    .addColumn('term_duration', 'text', (c) => c.notNull())
    .addColumn('billing_cycle', 'text', (c) => c.notNull())
    .addColumn('transition_type', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    // [{name, status, timestamp}]: Conversion, then LicenseReassignment for a transfer of licenses.
    .addColumn('events', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .execute()
  // A subscription's history is read from either end (the source and the subscription that got the seats).
  await db.schema.createIndex('subscription_transitions_from').on('subscription_transitions')
    .columns(['partner_tenant_id', 'customer_id', 'from_subscription_id', 'created_at']).execute()
  await db.schema.createIndex('subscription_transitions_to').on('subscription_transitions')
    .columns(['partner_tenant_id', 'customer_id', 'to_subscription_id', 'created_at']).execute()
}

export async function down (db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('subscription_transitions').execute()
}
