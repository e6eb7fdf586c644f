// Application consents (the Secure Application Model's customer onboarding): a partner's application
// consented in one of its customers' tenants, with the grants (resource application, scopes) the
// customer gave it. The identity provider reads them to issue tokens for the customer's tenant.
// Frozen in time: never import from src/, never edit after release; add a new migration instead.
import { sql, type Kysely } from 'kysely'

export async function up (db: Kysely<any>): Promise<void> {
  await db.schema.createTable('application_consents')
    .addColumn('customer_id', 'uuid', (c) => c.notNull().references('customers.id').onDelete('cascade'))
    .addColumn('application_id', 'uuid', (c) => c.notNull().references('partner_apps.id').onDelete('cascade'))
    // Every row that belongs to a partner carries its tenant: each query of the API filters on it.
    .addColumn('partner_tenant_id', 'uuid', (c) => c.notNull().references('partner_tenants.id').onDelete('cascade'))
    .addColumn('display_name', 'text', (c) => c.notNull())
    .addColumn('grants', 'jsonb', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    // One consent per application in a customer: a second one is a conflict, not a second row.
    .addPrimaryKeyConstraint('application_consents_pk', ['customer_id', 'application_id'])
    .execute()
}

export async function down (db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('application_consents').execute()
}
