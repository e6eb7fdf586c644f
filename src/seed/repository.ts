// SQL of the demo data: inserts into an empty database, inside the seeding transaction.
import { sql, type Insertable, type Kysely } from 'kysely'
import type { Database } from '../db/schema.js'

type Rows<T extends keyof Database> = Array<Insertable<Database[T]>>

export function createSeedRepository (db: Kysely<Database>) {
  const insert = async <T extends keyof Database>(table: T, rows: Rows<T>): Promise<void> => {
    // Kysely cannot check a table chosen by a type parameter; each caller's rows are typed by `Rows<T>`.
    if (rows.length > 0) await db.insertInto(table).values(rows as never).execute()
  }
  return {
    async hasPartnerTenants (): Promise<boolean> {
      return (await db.selectFrom('partner_tenants').select('id').limit(1).executeTakeFirst()) !== undefined
    },

    /** Serializes concurrent starts on one database: only the first instance seeds. */
    async lockPartnerTenants (): Promise<void> {
      await sql`lock table partner_tenants in share row exclusive mode`.execute(db)
    },

    insert
  }
}
