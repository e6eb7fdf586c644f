// Billing exports (Graph's partner billing export API): each export request is a long-running operation
// that a background job turns into gzip-compressed JSON lines files ("blobs"), stored in chunks so that
// neither writing nor downloading one holds a whole file in memory, and so every instance on the
// database can serve them.
// Frozen in time: never import from src/, never edit after release; add a new migration instead.
import { sql, type Kysely } from 'kysely'

export async function up (db: Kysely<any>): Promise<void> {
  await db.schema.createTable('billing_exports')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('partner_tenant_id', 'uuid', (c) => c.notNull().references('partner_tenants.id').onDelete('cascade'))
    // billed_reconciliation, unbilled_reconciliation, billed_usage or unbilled_usage.
    .addColumn('dataset', 'text', (c) => c.notNull())
    .addColumn('attribute_set', 'text', (c) => c.notNull())
    // The invoice whose lines are exported; null for the unbilled ones.
    .addColumn('invoice_id', 'text')
    .addColumn('billing_period', 'text')
    .addColumn('currency_code', 'text')
    // The highest charge or usage id when the export was asked for: lines added while it runs are not in it.
    .addColumn('high_water_id', 'bigint', (c) => c.notNull())
    // notStarted, running, succeeded or failed (Graph's longRunningOperationStatus).
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('last_action_at', 'timestamptz', (c) => c.notNull())
    // A job holds the export until then; if its process dies, another takes the export up again after it.
    .addColumn('lease_until', 'timestamptz', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('error_code', 'text')
    .addColumn('error_message', 'text')
    .addColumn('manifest_id', 'uuid', (c) => c.notNull().unique())
    .addColumn('record_count', 'bigint', (c) => c.notNull().defaultTo(0))
    // [{ name, partitionValue, bytes, records }] once succeeded.
    .addColumn('blobs', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    // The key that signs the export's SAS tokens (HMAC): a token opens this export's files and no other.
    .addColumn('sas_key', 'text', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('billing_exports_due').on('billing_exports').columns(['lease_until'])
    .where(sql.ref('status'), 'in', sql`('notStarted', 'running')`).execute()

  await db.schema.createTable('billing_export_chunks')
    .addColumn('export_id', 'uuid', (c) => c.notNull().references('billing_exports.id').onDelete('cascade'))
    .addColumn('blob_index', 'integer', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull())
    // Where the chunk starts in its blob: a ranged download reads only the chunks it needs.
    .addColumn('byte_offset', 'bigint', (c) => c.notNull())
    .addColumn('data', 'bytea', (c) => c.notNull())
    .addPrimaryKeyConstraint('billing_export_chunks_pk', ['export_id', 'blob_index', 'seq'])
    .execute()
}

export async function down (db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('billing_export_chunks').execute()
  await db.schema.dropTable('billing_exports').execute()
}
