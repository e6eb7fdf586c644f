// Customer management: a partner may end its reseller relationship with a customer (the row stays, for
// the history its orders and charges refer to, but the partner sees the customer no more), an integration
// sandbox partner may delete a customer (its domain becomes free again), partner tenants keep their
// organization and legal business profiles, and indirect providers their indirect resellers.
// Frozen in time: never import from src/, never edit after release; add a new migration instead.
import { sql, type Kysely } from 'kysely'

export async function up (db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('partner_tenants')
    .addColumn('integration_sandbox', 'boolean', (c) => c.notNull().defaultTo(false))
    .execute()

  await db.schema.alterTable('customers')
    // When the partner's relationship ended (PATCH relationshipToPartner none, or a sandbox DELETE).
    .addColumn('removed_at', 'timestamptz')
    // Set by a sandbox DELETE only: the tenant is gone, and so is its hold on the domain.
    .addColumn('deleted_at', 'timestamptz')
    .execute()
  await db.schema.dropIndex('customers_domain').execute()
  await db.schema.createIndex('customers_domain').on('customers').expression(sql`lower(domain)`).unique()
    .where(sql.ref('deleted_at'), 'is', null).execute()

  // One row per partner tenant; a JSON document per profile, each with its own version (its ETag).
  await db.schema.createTable('partner_profiles')
    .addColumn('partner_tenant_id', 'uuid', (c) => c.primaryKey().references('partner_tenants.id').onDelete('cascade'))
    .addColumn('organization', 'jsonb')
    .addColumn('organization_version', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('legal_business', 'jsonb')
    .addColumn('legal_business_version', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()

  // The indirect resellers an indirect provider works with (reseller tenants outside the emulator).
  await db.schema.createTable('indirect_resellers')
    .addColumn('partner_tenant_id', 'uuid', (c) => c.notNull().references('partner_tenants.id').onDelete('cascade'))
    .addColumn('reseller_tenant_id', 'uuid', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('mpn_id', 'text', (c) => c.notNull())
    .addColumn('location', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull().defaultTo('Active'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('indirect_resellers_pk', ['partner_tenant_id', 'reseller_tenant_id'])
    .execute()
}

export async function down (db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('indirect_resellers').execute()
  await db.schema.dropTable('partner_profiles').execute()
  await db.schema.dropIndex('customers_domain').execute()
  // Deleted customers would collide with the old index: they go with it.
  await db.deleteFrom('customers').where('deleted_at', 'is not', null).execute()
  await db.schema.createIndex('customers_domain').on('customers').expression(sql`lower(domain)`).unique().execute()
  await db.schema.alterTable('customers').dropColumn('removed_at').dropColumn('deleted_at').execute()
  await db.schema.alterTable('partner_tenants').dropColumn('integration_sandbox').execute()
}
