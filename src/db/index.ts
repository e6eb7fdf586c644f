// Opens the database: PostgreSQL through pg when DATABASE_URL is set, embedded PGlite otherwise.
import { mkdir } from 'node:fs/promises'
import { PGlite } from '@electric-sql/pglite'
import { Kysely, PostgresDialect, sql } from 'kysely'
import { PGliteDialect } from 'kysely-pglite-dialect'
import pg from 'pg'
import type { Database } from './schema.js'

export type Backend = 'postgres' | 'pglite'

export interface DatabaseHandle {
  db: Kysely<Database>
  backend: Backend
  /** Resolves when the database answers a trivial query. */
  ping: () => Promise<void>
  close: () => Promise<void>
}

export interface DatabaseOptions {
  databaseUrl: string
  pgliteDataDir: string
}

export async function openDatabase ({ databaseUrl, pgliteDataDir }: DatabaseOptions): Promise<DatabaseHandle> {
  const { dialect, backend } = databaseUrl
    ? { dialect: postgresDialect(databaseUrl), backend: 'postgres' as const }
    : { dialect: new PGliteDialect(await openPglite(pgliteDataDir)), backend: 'pglite' as const }
  const db = new Kysely<Database>({ dialect })
  return {
    db,
    backend,
    ping: async () => { await sql`select 1`.execute(db) },
    close: () => db.destroy()
  }
}

function postgresDialect (connectionString: string): PostgresDialect {
  const pool = new pg.Pool({ connectionString, max: 10, connectionTimeoutMillis: 5000 })
  // An idle client that loses its server must not crash the process; the next query reports it.
  pool.on('error', () => {})
  return new PostgresDialect({ pool })
}

async function openPglite (dataDir: string): Promise<PGlite> {
  if (!dataDir.includes('://')) await mkdir(dataDir, { recursive: true })
  const pglite = new PGlite(dataDir)
  await pglite.waitReady
  return pglite
}
