// Events: the audit records of every write (GET /v1/auditrecords), each partner's webhook registration,
// the webhook deliveries (an outbox written in the write's own transaction, so that no event is lost
// when the process dies before it is sent) and the key that signs them.
// Frozen in time: never import from src/, never edit after release; add a new migration instead.
import { sql, type Kysely } from 'kysely'

export async function up (db: Kysely<any>): Promise<void> {
  await db.schema.createTable('audit_records')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('partner_tenant_id', 'uuid', (c) => c.notNull().references('partner_tenants.id').onDelete('cascade'))
    .addColumn('customer_id', 'text')
    .addColumn('customer_name', 'text')
    .addColumn('user_principal_name', 'text')
    .addColumn('application_id', 'text', (c) => c.notNull())
    .addColumn('resource_type', 'text', (c) => c.notNull())
    .addColumn('resource_old_value', 'text')
    .addColumn('resource_new_value', 'text')
    .addColumn('operation_type', 'text', (c) => c.notNull())
    .addColumn('operation_status', 'text', (c) => c.notNull())
    .addColumn('operation_date', 'timestamptz', (c) => c.notNull())
    .addColumn('original_correlation_id', 'text')
    .addColumn('customized_data', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .execute()
  // The list reads one partner's records in (date, id) order from a date: seek paging on this index.
  await db.schema.createIndex('audit_records_partner_date').on('audit_records').columns(['partner_tenant_id', 'operation_date', 'id']).execute()

  await db.schema.createTable('webhook_registrations')
    .addColumn('partner_tenant_id', 'uuid', (c) => c.primaryKey().references('partner_tenants.id').onDelete('cascade'))
    .addColumn('subscriber_id', 'uuid', (c) => c.notNull())
    .addColumn('webhook_url', 'text', (c) => c.notNull())
    .addColumn('webhook_events', sql`text[]`, (c) => c.notNull())
    .addColumn('signature_token_to_ms_signature_header', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('last_modified_at', 'timestamptz', (c) => c.notNull())
    .execute()

  await db.schema.createTable('webhook_deliveries')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('partner_tenant_id', 'uuid', (c) => c.notNull().references('partner_tenants.id').onDelete('cascade'))
    .addColumn('correlation_id', 'uuid', (c) => c.notNull())
    .addColumn('webhook_url', 'text', (c) => c.notNull())
    .addColumn('event_name', 'text', (c) => c.notNull())
    // The payload is built from these at every attempt, the same bytes each time (the base URL is the emulator's).
    .addColumn('resource_path', 'text', (c) => c.notNull())
    .addColumn('resource_name', 'text', (c) => c.notNull())
    .addColumn('audit_id', 'uuid')
    .addColumn('resource_changed_at', 'timestamptz', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('pending'))
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'timestamptz', (c) => c.notNull())
    .addColumn('results', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()
  // The dispatcher's query: the pending deliveries that are due.
  await db.schema.createIndex('webhook_deliveries_due').on('webhook_deliveries').columns(['next_attempt_at']).where(sql.ref('status'), '=', 'pending').execute()
  await db.schema.createIndex('webhook_deliveries_correlation').on('webhook_deliveries').columns(['partner_tenant_id', 'correlation_id']).execute()

  // One signing key for every instance sharing the database (made by the first to start).
  await db.schema.createTable('webhook_signing_keys')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('private_key', 'text', (c) => c.notNull())
    .addColumn('certificate', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()
}

export async function down (db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('webhook_signing_keys').execute()
  await db.schema.dropTable('webhook_deliveries').execute()
  await db.schema.dropTable('webhook_registrations').execute()
  await db.schema.dropTable('audit_records').execute()
}
