// Azure entitlements (the Azure subscriptions of an Azure plan) that a partner cancels or reactivates
// apart from their plan. No row: the entitlement follows its plan. Usage is not metered while cancelled,
// and after a reactivation only from `metered_from` on, so the cancelled days are never back-filled.
// Frozen in time: never import from src/, never edit after release; add a new migration instead.
import type { Kysely } from 'kysely'

export async function up (db: Kysely<any>): Promise<void> {
  await db.schema.createTable('azure_entitlements')
    .addColumn('subscription_id', 'uuid', (c) => c.primaryKey().references('subscriptions.id').onDelete('cascade'))
    .addColumn('partner_tenant_id', 'uuid', (c) => c.notNull().references('partner_tenants.id').onDelete('cascade'))
    // 'canceled' or 'active' (reactivated).
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('cancellation_reason', 'text')
    .addColumn('changed_at', 'timestamptz', (c) => c.notNull())
    // null until a reactivation: usage is metered from this day on.
    .addColumn('metered_from', 'timestamptz')
    .execute()
}

export async function down (db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('azure_entitlements').execute()
}
