// Every migration has a working down: up, down to nothing, up again.
import t from 'tap'
import { openDatabase } from '../../src/db/index.js'
import { createMigrator, migrateToLatest } from '../../src/db/migrate.js'
import { freshDatabaseUrl } from '../helper.js'

t.test('up, down, up', async (t) => {
  const handle = await openDatabase({ databaseUrl: await freshDatabaseUrl(t), pgliteDataDir: 'memory://' })
  t.teardown(() => handle.close())
  const up = await migrateToLatest(handle.db)
  t.ok(up.results!.length > 0)
  const migrator = createMigrator(handle.db)
  for (let i = 0; i < up.results!.length; i++) {
    const { error } = await migrator.migrateDown()
    t.error(error)
  }
  const tables = await handle.db.introspection.getTables()
  t.same(tables.map((x) => x.name).filter((n) => !n.startsWith('kysely_')), [], 'everything is gone')
  const again = await migrateToLatest(handle.db)
  t.equal(again.results!.length, up.results!.length)
})
