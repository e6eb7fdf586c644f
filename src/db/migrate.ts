// Runs the migrations in migrations/ (TypeScript under tsx, compiled JavaScript under dist/).
import { promises as fs } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { FileMigrationProvider, Migrator, sql, type Kysely, type MigrationResultSet } from 'kysely'

const migrationFolder = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../migrations')

/**
 * The migrator keeps its bookkeeping tables in the connection's current schema. Naming the schema
 * matters: without it Kysely finds a kysely_migration table of *any* schema (several databases can
 * share one PostgreSQL server through search_path, as the tests do).
 */
export async function createMigrator (db: Kysely<any>): Promise<Migrator> {
  const { rows: [current] } = await sql<{ schema: string }>`select current_schema() as schema`.execute(db)
  return new Migrator({
    db,
    provider: new FileMigrationProvider({ fs, path, migrationFolder }),
    migrationTableSchema: current?.schema ?? 'public'
  })
}

/** Applies every pending migration; throws the first failure. */
export async function migrateToLatest (db: Kysely<any>): Promise<MigrationResultSet> {
  if (await isUpToDate(db)) return { results: [] }
  return assertSucceeded(await (await createMigrator(db)).migrateToLatest())
}

/**
 * True when every migration file has been applied: one query, where the migrator's own checks (its
 * tables, its lock, the applied list) cost half a second of a restart on the embedded database.
 * Anything else (no bookkeeping table yet, a pending migration) goes through the migrator.
 */
async function isUpToDate (db: Kysely<any>): Promise<boolean> {
  const names = (await fs.readdir(migrationFolder))
    .filter((file) => /\.(js|ts)$/.test(file) && !file.endsWith('.d.ts'))
    .map((file) => file.replace(/\.(js|ts)$/, ''))
  try {
    const { rows } = await sql<{ name: string }>`select name from kysely_migration`.execute(db)
    const applied = new Set(rows.map((row) => row.name))
    return names.every((name) => applied.has(name))
  } catch {
    return false
  }
}

export function assertSucceeded (result: MigrationResultSet): MigrationResultSet {
  if (result.error) {
    const failed = result.results?.find((r) => r.status === 'Error')
    throw new Error(`migration ${failed?.migrationName ?? '(unknown)'} failed`, { cause: result.error })
  }
  return result
}
