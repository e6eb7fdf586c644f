// Sign-in safeguards: which apps other tenants' users may sign in to (multi-tenant apps); Entra's
// smart lockout (consecutive failed passwords or codes lock the account for a while); the refresh
// token family an authorization code began, to revoke when the code comes back. Device codes no
// longer record polls.
// Frozen in time: never import from src/, never edit after release; add a new migration instead.
import type { Kysely } from 'kysely'

export async function up (db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('partner_apps')
    .addColumn('multi_tenant', 'boolean', (c) => c.notNull().defaultTo(false))
    .execute()
  await db.schema.alterTable('partner_users')
    .addColumn('failed_sign_ins', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('locked_until', 'timestamptz')
    .execute()
  await db.schema.alterTable('authorization_codes')
    .addColumn('family_id', 'uuid')
    .execute()
  await db.schema.alterTable('device_codes').dropColumn('last_polled_at').execute()
}

export async function down (db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('device_codes').addColumn('last_polled_at', 'timestamptz').execute()
  await db.schema.alterTable('authorization_codes').dropColumn('family_id').execute()
  await db.schema.alterTable('partner_users').dropColumn('failed_sign_ins').dropColumn('locked_until').execute()
  await db.schema.alterTable('partner_apps').dropColumn('multi_tenant').execute()
}
