// Billing: closed billing periods, the invoices they produce (charges and usage point at their
// invoice), and the daily rated usage of Azure plan subscriptions.
// Frozen in time: never import from src/, never edit after release; add a new migration instead.
import { sql, type Kysely } from 'kysely'

export async function up (db: Kysely<any>): Promise<void> {
  await db.schema.createTable('billing_periods')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('partner_tenant_id', 'uuid', (c) => c.notNull().references('partner_tenants.id').onDelete('cascade'))
    .addColumn('period_start', 'timestamptz', (c) => c.notNull())
    .addColumn('period_end', 'timestamptz', (c) => c.notNull())
    .addColumn('closed_at', 'timestamptz', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('billing_periods_partner').on('billing_periods').columns(['partner_tenant_id', 'period_end']).execute()

  await db.schema.createTable('invoices')
    .addColumn('number', 'bigserial', (c) => c.primaryKey())
    // Invoice ids look like Partner Center's new-commerce ones: G and nine digits.
    .addColumn('id', 'text', (c) => c.generatedAlwaysAs(sql`'G' || lpad(number::text, 9, '0')`).stored().notNull().unique())
    .addColumn('partner_tenant_id', 'uuid', (c) => c.notNull().references('partner_tenants.id').onDelete('cascade'))
    .addColumn('billing_period_id', 'bigint', (c) => c.notNull().references('billing_periods.id').onDelete('cascade'))
    .addColumn('invoice_date', 'timestamptz', (c) => c.notNull())
    .addColumn('period_start', 'timestamptz', (c) => c.notNull())
    .addColumn('period_end', 'timestamptz', (c) => c.notNull())
    .addColumn('currency_code', 'text', (c) => c.notNull())
    .addColumn('currency_symbol', 'text', (c) => c.notNull())
    .addColumn('total_minor', 'bigint', (c) => c.notNull())
    .addColumn('line_count', 'integer', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('invoices_partner_date').on('invoices').columns(['partner_tenant_id', 'invoice_date', 'number']).execute()
  await db.schema.createIndex('charges_invoice').on('charges').columns(['invoice_id', 'id']).execute()

  // Daily rated usage of Azure plan subscriptions, metered for each whole day (one row per day and meter).
  await db.schema.createTable('usage_records')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('partner_tenant_id', 'uuid', (c) => c.notNull())
    .addColumn('customer_id', 'uuid', (c) => c.notNull())
    .addColumn('subscription_id', 'uuid', (c) => c.notNull().references('subscriptions.id').onDelete('cascade'))
    .addColumn('usage_date', 'timestamptz', (c) => c.notNull())
    .addColumn('meter_id', 'uuid', (c) => c.notNull())
    .addColumn('meter_name', 'text', (c) => c.notNull())
    .addColumn('meter_category', 'text', (c) => c.notNull())
    .addColumn('meter_sub_category', 'text', (c) => c.notNull())
    .addColumn('meter_region', 'text', (c) => c.notNull())
    .addColumn('unit_of_measure', 'text', (c) => c.notNull())
    .addColumn('quantity', 'integer', (c) => c.notNull())
    .addColumn('unit_price_minor', 'bigint', (c) => c.notNull())
    .addColumn('amount_minor', 'bigint', (c) => c.notNull())
    .addColumn('currency_code', 'text', (c) => c.notNull())
    .addColumn('invoice_id', 'text')
    .addUniqueConstraint('usage_records_day', ['subscription_id', 'meter_id', 'usage_date'])
    .execute()
  await db.schema.createIndex('usage_records_invoice').on('usage_records').columns(['partner_tenant_id', 'invoice_id', 'id']).execute()
}

export async function down (db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('usage_records').execute()
  await db.schema.dropIndex('charges_invoice').execute()
  await db.schema.dropTable('invoices').execute()
  await db.schema.dropTable('billing_periods').execute()
}
