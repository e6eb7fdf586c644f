// Sign-in with MFA: how each partner tenant and user signs in (MFA policy, federation), public client
// apps and their redirect URIs, TOTP registrations, signed-in sessions, the state of a sign-in in
// progress, authorization codes, refresh tokens (rotating, in families) and device codes. Codes and
// tokens are kept as SHA-256 hashes only.
// Frozen in time: never import from src/, never edit after release; add a new migration instead.
import { sql, type Kysely } from 'kysely'

export async function up (db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('partner_tenants')
    // enforced: MFA at every sign-in (security defaults or conditional access); on_request: only when an app asks for it.
    .addColumn('mfa_policy', 'text', (c) => c.notNull().defaultTo('on_request'))
    .execute()
  await db.schema.alterTable('partner_apps')
    .addColumn('public_client', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('redirect_uris', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'::text[]`))
    .execute()
  await db.schema.alterTable('partner_users')
    // null: a managed identity; compatible / incompatible: federated, with an identity provider whose MFA Entra accepts or not.
    .addColumn('federation', 'text')
    .addColumn('password_changed_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()

  await db.schema.createTable('mfa_registrations')
    .addColumn('user_id', 'uuid', (c) => c.primaryKey().references('partner_users.id').onDelete('cascade'))
    .addColumn('method', 'text', (c) => c.notNull())
    .addColumn('secret', 'text', (c) => c.notNull())
    .addColumn('registered_at', 'timestamptz', (c) => c.notNull())
    // The last TOTP time step accepted: a code is good once.
    .addColumn('last_step', 'bigint', (c) => c.notNull().defaultTo(0))
    .execute()

  await db.schema.createTable('sign_in_sessions')
    .addColumn('id_hash', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'uuid', (c) => c.notNull().references('partner_tenants.id').onDelete('cascade'))
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('partner_users.id').onDelete('cascade'))
    .addColumn('amr', sql`text[]`, (c) => c.notNull())
    .addColumn('auth_time', 'timestamptz', (c) => c.notNull())
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('sign_in_sessions_user').on('sign_in_sessions').column('user_id').execute()

  await db.schema.createTable('sign_in_requests')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    // The authority the client named: a tenant id, or common / organizations until the user is known.
    .addColumn('authority', 'text', (c) => c.notNull())
    .addColumn('params', 'jsonb', (c) => c.notNull())
    .addColumn('user_id', 'uuid', (c) => c.references('partner_users.id').onDelete('cascade'))
    .addColumn('amr', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'::text[]`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .execute()

  await db.schema.createTable('authorization_codes')
    .addColumn('code_hash', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'uuid', (c) => c.notNull().references('partner_tenants.id').onDelete('cascade'))
    .addColumn('app_id', 'uuid', (c) => c.notNull())
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('partner_users.id').onDelete('cascade'))
    .addColumn('redirect_uri', 'text', (c) => c.notNull())
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('code_challenge', 'text')
    .addColumn('code_challenge_method', 'text')
    .addColumn('nonce', 'text')
    .addColumn('amr', sql`text[]`, (c) => c.notNull())
    .addColumn('auth_time', 'timestamptz', (c) => c.notNull())
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('redeemed_at', 'timestamptz')
    .execute()

  await db.schema.createTable('refresh_tokens')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('family_id', 'uuid', (c) => c.notNull())
    .addColumn('tenant_id', 'uuid', (c) => c.notNull().references('partner_tenants.id').onDelete('cascade'))
    .addColumn('app_id', 'uuid', (c) => c.notNull())
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('partner_users.id').onDelete('cascade'))
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('amr', sql`text[]`, (c) => c.notNull())
    .addColumn('auth_time', 'timestamptz', (c) => c.notNull())
    // Real time, compared with the user's password change; and the emulator clock, for the 90 days of inactivity.
    .addColumn('issued_at', 'timestamptz', (c) => c.notNull())
    .addColumn('issued_at_clock', 'timestamptz', (c) => c.notNull())
    .addColumn('spent_at', 'timestamptz')
    .addColumn('revoked_at', 'timestamptz')
    .execute()
  await db.schema.createIndex('refresh_tokens_family').on('refresh_tokens').column('family_id').execute()
  await db.schema.createIndex('refresh_tokens_user').on('refresh_tokens').column('user_id').execute()

  await db.schema.createTable('device_codes')
    .addColumn('device_code_hash', 'text', (c) => c.primaryKey())
    .addColumn('user_code', 'text', (c) => c.notNull().unique())
    .addColumn('authority', 'text', (c) => c.notNull())
    .addColumn('app_id', 'uuid', (c) => c.notNull())
    .addColumn('scope', 'text', (c) => c.notNull())
    // pending until the user signs in, then approved (or declined), then redeemed.
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('tenant_id', 'uuid', (c) => c.references('partner_tenants.id').onDelete('cascade'))
    .addColumn('user_id', 'uuid', (c) => c.references('partner_users.id').onDelete('cascade'))
    .addColumn('amr', sql`text[]`)
    .addColumn('auth_time', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('last_polled_at', 'timestamptz')
    .execute()
}

export async function down (db: Kysely<any>): Promise<void> {
  for (const table of ['device_codes', 'refresh_tokens', 'authorization_codes', 'sign_in_requests', 'sign_in_sessions', 'mfa_registrations']) {
    await db.schema.dropTable(table).execute()
  }
  await db.schema.alterTable('partner_users').dropColumn('federation').dropColumn('password_changed_at').execute()
  await db.schema.alterTable('partner_apps').dropColumn('public_client').dropColumn('redirect_uris').execute()
  await db.schema.alterTable('partner_tenants').dropColumn('mfa_policy').execute()
}
