// Every migration has a working down: up, down to nothing, up again. On PostgreSQL in a database of
// its own, as going down drops tables.
import { sql } from 'kysely'
import t from 'tap'
import { openDatabase } from '../../src/db/index.js'
import { createMigrator, migrateToLatest } from '../../src/db/migrate.js'
import { isolatedDatabaseUrl } from '../helper.js'

t.test('up, down, up', async (t) => {
  const handle = await openDatabase({ databaseUrl: await isolatedDatabaseUrl(t), pgliteDataDir: 'memory://' })
  t.teardown(() => handle.close())
  const up = await migrateToLatest(handle.db)
  t.ok(up.results!.length > 0)
  const migrator = await createMigrator(handle.db)
  for (let i = 0; i < up.results!.length; i++) {
    const { error } = await migrator.migrateDown()
    t.error(error)
  }
  const { rows } = await sql<{ name: string }>`select table_name as name from information_schema.tables where table_schema = current_schema()`.execute(handle.db)
  t.same(rows.map((r) => r.name).filter((n) => !n.startsWith('kysely_')), [], 'everything is gone')
  const again = await migrateToLatest(handle.db)
  t.equal(again.results!.length, up.results!.length)
})
