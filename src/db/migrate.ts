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
  return assertSucceeded(await (await createMigrator(db)).migrateToLatest())
}

export function assertSucceeded (result: MigrationResultSet): MigrationResultSet {
  if (result.error) {
    const failed = result.results?.find((r) => r.status === 'Error')
    throw new Error(`migration ${failed?.migrationName ?? '(unknown)'} failed`, { cause: result.error })
  }
  return result
}
