// The database plugin: opens Kysely (PostgreSQL or PGlite), runs the migrations, closes on shutdown,
// and keeps the emulator clock (its offset is database state shared by every instance).
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import type { Kysely } from 'kysely'
import type { Config } from '../config.js'
import { openDatabase, type Backend, type DatabaseHandle } from '../db/index.js'
import { migrateToLatest } from '../db/migrate.js'
import { scopedDatabase } from '../db/scope.js'
import type { Database } from '../db/schema.js'
import { Clock } from '../clock/clock.js'
import { createClockRepository } from '../clock/repository.js'

declare module 'fastify' {
  interface FastifyInstance {
    db: Kysely<Database>
    database: Pick<DatabaseHandle, 'backend' | 'ping' | 'copyRows'>
    clock: Clock
  }
}

async function dbPlugin (app: FastifyInstance, { config }: { config: Config }) {
  const handle = await openDatabase({ databaseUrl: config.DATABASE_URL, pgliteDataDir: config.PGLITE_DATA_DIR, timeoutMs: config.DATABASE_TIMEOUT_MS })
  app.addHook('onClose', () => handle.close())
  await handle.untimed(migrateToLatest)
  // Every query through app.db joins the transaction of the request it runs for, if it has one (db/scope.ts).
  const db = scopedDatabase(handle.db)
  app.decorate('db', db)
  app.decorate('database', { backend: handle.backend as Backend, ping: handle.ping, copyRows: handle.copyRows })
  app.decorate('clock', new Clock(createClockRepository(db), config.ROLE_CACHE_TTL_MS))
}

export default fp(dbPlugin, { name: 'db' })
