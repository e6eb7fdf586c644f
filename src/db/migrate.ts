// Runs the migrations in migrations/ (TypeScript under tsx, compiled JavaScript under dist/).
import { promises as fs } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { FileMigrationProvider, Migrator, type Kysely, type MigrationResultSet } from 'kysely'

const migrationFolder = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../migrations')

export function createMigrator (db: Kysely<any>): Migrator {
  return new Migrator({ db, provider: new FileMigrationProvider({ fs, path, migrationFolder }) })
}

/** Applies every pending migration; throws the first failure. */
export async function migrateToLatest (db: Kysely<any>): Promise<MigrationResultSet> {
  return assertSucceeded(await createMigrator(db).migrateToLatest())
}

export function assertSucceeded (result: MigrationResultSet): MigrationResultSet {
  if (result.error) {
    const failed = result.results?.find((r) => r.status === 'Error')
    throw new Error(`migration ${failed?.migrationName ?? '(unknown)'} failed`, { cause: result.error })
  }
  return result
}
