// GDAP and customer directories: the emulator clock, partner security groups, relationships with
// their requests, access assignments and operations; customer users, directory role members,
// subscribed SKUs and license assignments.
// Frozen in time: never import from src/, never edit after release; add a new migration instead.
import { sql, type Kysely } from 'kysely'

const now = sql`now()`

export async function up (db: Kysely<any>): Promise<void> {
  // Settings shared by every instance on the database (the clock offset that tests move).
  await db.schema.createTable('emulator_settings')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('value', 'jsonb', (c) => c.notNull())
    .execute()

  await db.schema.createTable('security_groups')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('partner_tenant_id', 'uuid', (c) => c.notNull().references('partner_tenants.id').onDelete('cascade'))
    .addColumn('display_name', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addUniqueConstraint('security_groups_name', ['partner_tenant_id', 'display_name'])
    .execute()

  await db.schema.createTable('security_group_members')
    .addColumn('group_id', 'uuid', (c) => c.notNull().references('security_groups.id').onDelete('cascade'))
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('partner_users.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('security_group_members_pk', ['group_id', 'user_id'])
    .execute()
  await db.schema.createIndex('security_group_members_user').on('security_group_members').column('user_id').execute()

  await db.schema.createTable('gdap_relationships')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('partner_tenant_id', 'uuid', (c) => c.notNull().references('partner_tenants.id').onDelete('cascade'))
    .addColumn('display_name', 'text', (c) => c.notNull())
    .addColumn('duration', 'text', (c) => c.notNull())
    .addColumn('customer_tenant_id', 'uuid')
    .addColumn('customer_display_name', 'text')
    .addColumn('roles', sql`text[]`, (c) => c.notNull())
    .addColumn('auto_extend_duration', 'text', (c) => c.notNull())
    // The status last set by an action; the status shown is derived from it and the clock.
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('last_modified_at', 'timestamptz', (c) => c.notNull())
    .addColumn('lock_requested_at', 'timestamptz')
    .addColumn('activated_at', 'timestamptz')
    .addColumn('terminate_requested_at', 'timestamptz')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addUniqueConstraint('gdap_relationships_name', ['partner_tenant_id', 'display_name'])
    .execute()
  await db.schema.createIndex('gdap_relationships_customer').on('gdap_relationships')
    .columns(['partner_tenant_id', 'customer_tenant_id']).execute()

  await db.schema.createTable('gdap_requests')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('relationship_id', 'text', (c) => c.notNull().references('gdap_relationships.id').onDelete('cascade'))
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('last_modified_at', 'timestamptz', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('gdap_requests_relationship').on('gdap_requests').column('relationship_id').execute()

  await db.schema.createTable('gdap_access_assignments')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('relationship_id', 'text', (c) => c.notNull().references('gdap_relationships.id').onDelete('cascade'))
    .addColumn('group_id', 'uuid', (c) => c.notNull())
    .addColumn('roles', sql`text[]`, (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('last_modified_at', 'timestamptz', (c) => c.notNull())
    .addColumn('delete_requested_at', 'timestamptz')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute()
  await db.schema.createIndex('gdap_access_assignments_relationship').on('gdap_access_assignments').column('relationship_id').execute()

  await db.schema.createTable('gdap_operations')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('relationship_id', 'text', (c) => c.notNull().references('gdap_relationships.id').onDelete('cascade'))
    .addColumn('operation_type', 'text', (c) => c.notNull())
    .addColumn('data', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('gdap_operations_relationship').on('gdap_operations').column('relationship_id').execute()

  await db.schema.createTable('customer_users')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('customer_id', 'uuid', (c) => c.notNull().references('customers.id').onDelete('cascade'))
    .addColumn('user_principal_name', 'text', (c) => c.notNull())
    .addColumn('first_name', 'text')
    .addColumn('last_name', 'text')
    .addColumn('display_name', 'text', (c) => c.notNull())
    .addColumn('usage_location', 'text')
    .addColumn('immutable_id', 'text')
    .addColumn('phone_number', 'text')
    .addColumn('state', 'text', (c) => c.notNull().defaultTo('active'))
    .addColumn('soft_deleted_at', 'timestamptz')
    .addColumn('password_hash', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute()
  await db.schema.createIndex('customer_users_upn').on('customer_users')
    .expression(sql`customer_id, lower(user_principal_name)`).unique().execute()
  // Keyset paging of a customer's users by UPN, then id.
  await db.schema.createIndex('customer_users_paging').on('customer_users')
    .columns(['customer_id', 'user_principal_name', 'id']).execute()

  await db.schema.createTable('customer_directory_role_members')
    .addColumn('customer_id', 'uuid', (c) => c.notNull().references('customers.id').onDelete('cascade'))
    .addColumn('role_id', 'uuid', (c) => c.notNull())
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('customer_users.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('customer_directory_role_members_pk', ['customer_id', 'role_id', 'user_id'])
    .execute()

  await db.schema.createTable('customer_subscribed_skus')
    .addColumn('customer_id', 'uuid', (c) => c.notNull().references('customers.id').onDelete('cascade'))
    .addColumn('sku_id', 'uuid', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('sku_part_number', 'text', (c) => c.notNull())
    .addColumn('target_type', 'text', (c) => c.notNull())
    .addColumn('license_group_id', 'text', (c) => c.notNull())
    .addColumn('active_units', 'integer', (c) => c.notNull())
    .addColumn('suspended_units', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('warning_units', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('service_plans', 'jsonb', (c) => c.notNull())
    .addPrimaryKeyConstraint('customer_subscribed_skus_pk', ['customer_id', 'sku_id'])
    .execute()

  await db.schema.createTable('customer_user_licenses')
    .addColumn('customer_id', 'uuid', (c) => c.notNull())
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('customer_users.id').onDelete('cascade'))
    .addColumn('sku_id', 'uuid', (c) => c.notNull())
    .addColumn('excluded_plans', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'::text[]`))
    .addColumn('assigned_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addPrimaryKeyConstraint('customer_user_licenses_pk', ['user_id', 'sku_id'])
    .addForeignKeyConstraint('customer_user_licenses_sku', ['customer_id', 'sku_id'], 'customer_subscribed_skus', ['customer_id', 'sku_id'], (c) => c.onDelete('cascade'))
    .execute()
  await db.schema.createIndex('customer_user_licenses_sku').on('customer_user_licenses').columns(['customer_id', 'sku_id']).execute()
}

export async function down (db: Kysely<any>): Promise<void> {
  for (const table of [
    'customer_user_licenses', 'customer_subscribed_skus', 'customer_directory_role_members', 'customer_users',
    'gdap_operations', 'gdap_access_assignments', 'gdap_requests', 'gdap_relationships',
    'security_group_members', 'security_groups', 'emulator_settings'
  ]) {
    await db.schema.dropTable(table).execute()
  }
}
