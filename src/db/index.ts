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
  /** Runs `fn` on a database without the statement timeout (migrations may take long). */
  untimed: <T>(fn: (db: Kysely<Database>) => Promise<T>) => Promise<T>
  close: () => Promise<void>
}

export interface DatabaseOptions {
  databaseUrl: string
  pgliteDataDir: string
  /**
   * PostgreSQL: the longest a connection attempt or a statement may take (connect timeout, client
   * query timeout and server statement_timeout), so that an outage answers instead of hanging.
   * Default 5 s. PGlite runs in the process: no timeout applies.
   */
  timeoutMs?: number
}

export async function openDatabase ({ databaseUrl, pgliteDataDir, timeoutMs = 5000 }: DatabaseOptions): Promise<DatabaseHandle> {
  if (!databaseUrl) {
    const db = new Kysely<Database>({ dialect: new PGliteDialect(await openPglite(pgliteDataDir)) })
    return { db, backend: 'pglite', ping: pingOf(db), untimed: (fn) => fn(db), close: () => db.destroy() }
  }
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    max: 10,
    connectionTimeoutMillis: timeoutMs,
    query_timeout: timeoutMs,
    statement_timeout: timeoutMs,
    keepAlive: true
  })
  // A client that loses its server must not crash the process (an 'error' event without a listener
  // throws), idle in the pool or checked out between two queries; the next query on it reports the loss.
  pool.on('error', () => {})
  pool.on('connect', (client) => client.on('error', () => {}))
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) })
  return { db, backend: 'postgres', ping: pingOf(db), copyRows: copyRowsInto(pool), untimed: untimedOn(databaseUrl), close: () => db.destroy() }
}

/** A one-connection pool without timeouts, for the time of `fn`. */
function untimedOn (databaseUrl: string) {
  return async <T>(fn: (db: Kysely<Database>) => Promise<T>): Promise<T> => {
    const pool = new pg.Pool({ connectionString: databaseUrl, max: 1 })
    pool.on('error', () => {})
    pool.on('connect', (client) => client.on('error', () => {}))
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) })
    try { return await fn(db) } finally { await db.destroy() }
  }
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
