// npm run db:migrate | db:rollback: applies (latest) or reverts one (down) migration on the configured database.
import { environmentWithDotEnv, loadConfig } from '../config.js'
import { openDatabase } from './index.js'
import { assertSucceeded, createMigrator } from './migrate.js'

const direction = process.argv[2] === 'down' ? 'down' : 'latest'
const config = loadConfig(environmentWithDotEnv())
const handle = await openDatabase({ databaseUrl: config.DATABASE_URL, pgliteDataDir: config.PGLITE_DATA_DIR })
try {
  const migrator = await createMigrator(handle.db)
  const result = assertSucceeded(direction === 'down' ? await migrator.migrateDown() : await migrator.migrateToLatest())
  const done = result.results ?? []
  process.stdout.write(done.length === 0
    ? `${handle.backend}: nothing to do\n`
    : done.map((r) => `${handle.backend}: ${r.direction} ${r.migrationName} ${r.status}\n`).join(''))
} finally {
  await handle.close()
}
