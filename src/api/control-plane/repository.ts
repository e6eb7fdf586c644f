// SQL of the control plane: the health probe, the journal's newest rows, and the reset, which clears
// every table the migrations made except those it names as kept.
import { sql, type Kysely } from 'kysely'
import type { Database } from '../../db/schema.js'

/** What a reset keeps: the signing keys (tokens already minted stay verifiable), the webhook signing key (receivers keep its certificate), the emulator's settings (the clock is reset by itself), the migrator's bookkeeping. */
const KEPT_TABLES = ['signing_keys', 'webhook_signing_keys', 'emulator_settings', 'kysely_migration', 'kysely_migration_lock']

export function createControlPlaneRepository (db: Kysely<Database>) {
  return {
    async partnerTenantCount (): Promise<number> {
      const { count } = await db.selectFrom('partner_tenants').select((eb) => eb.fn.countAll<string>().as('count')).executeTakeFirstOrThrow()
      return Number(count)
    },

    /** The newest decisions, of one partner tenant when given. */
    journal (tenantId: string | undefined, limit: number) {
      let query = db.selectFrom('request_journal').selectAll().orderBy('id', 'desc').limit(limit)
      if (tenantId) query = query.where('partner_tenant_id', '=', tenantId.toLowerCase())
      return query.execute()
    },

    /** Empties every table of the current schema but the kept ones, in one statement. */
    async clearData (): Promise<void> {
      const { rows } = await sql<{ name: string }>`select tablename as name from pg_tables
        where schemaname = current_schema() and not (tablename = any(${KEPT_TABLES}::text[])) order by tablename`.execute(db)
      await sql`truncate table ${sql.join(rows.map((r) => sql.table(r.name)))}`.execute(db)
    }
  }
}
