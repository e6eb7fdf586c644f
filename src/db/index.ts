// Opens the database: PostgreSQL through pg when DATABASE_URL is set, embedded PGlite otherwise.
import { mkdir } from 'node:fs/promises'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { PGlite } from '@electric-sql/pglite'
import { Kysely, PostgresDialect, sql } from 'kysely'
import { PGliteDialect } from 'kysely-pglite-dialect'
import pg from 'pg'
import { from as copyFrom } from 'pg-copy-streams'
import type { Database } from './schema.js'

export type Backend = 'postgres' | 'pglite'

export interface DatabaseHandle {
  db: Kysely<Database>
  backend: Backend
  /** Resolves when the database answers a trivial query. */
  ping: () => Promise<void>
  /**
   * Bulk load through `COPY … FROM STDIN` (PostgreSQL only): `rows` in COPY's text format. Much
   * cheaper for the server than the same rows in an INSERT; PGlite, where every query goes through
   * the one serialized connection that Kysely's transactions hold, has none.
   */
  copyRows?: (table: string, columns: readonly string[], rows: string) => Promise<void>
  close: () => Promise<void>
}

export interface DatabaseOptions {
  databaseUrl: string
  pgliteDataDir: string
}

export async function openDatabase ({ databaseUrl, pgliteDataDir }: DatabaseOptions): Promise<DatabaseHandle> {
  if (!databaseUrl) {
    const db = new Kysely<Database>({ dialect: new PGliteDialect(await openPglite(pgliteDataDir)) })
    return { db, backend: 'pglite', ping: pingOf(db), close: () => db.destroy() }
  }
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 10, connectionTimeoutMillis: 5000 })
  // An idle client that loses its server must not crash the process; the next query reports it.
  pool.on('error', () => {})
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) })
  return { db, backend: 'postgres', ping: pingOf(db), copyRows: copyRowsInto(pool), close: () => db.destroy() }
}

const pingOf = (db: Kysely<Database>) => async () => { await sql`select 1`.execute(db) }

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/

function copyRowsInto (pool: pg.Pool) {
  return async (table: string, columns: readonly string[], rows: string): Promise<void> => {
    // Names come from the code, never from a request; checked all the same, as COPY takes no parameters.
    if (![table, ...columns].every((name) => IDENTIFIER.test(name))) throw new Error(`not a plain identifier in COPY ${table} (${columns.join(', ')})`)
    const client = await pool.connect()
    try {
      await pipeline(Readable.from([rows]), client.query(copyFrom(`copy ${table} (${columns.join(', ')}) from stdin`)))
      client.release()
    } catch (error) {
      // A connection left in the middle of a COPY is of no further use: the pool drops it.
      client.release(error instanceof Error ? error : true)
      throw error
    }
  }
}

async function openPglite (dataDir: string): Promise<PGlite> {
  if (!dataDir.includes('://')) await mkdir(dataDir, { recursive: true })
  const pglite = new PGlite(dataDir)
  await pglite.waitReady
  return pglite
}
