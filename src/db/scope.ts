// A request's own transaction, seen by every query the request makes. Partner Center writes with an
// MS-RequestId run in one transaction with their idempotency record (src/idempotency/), so that the
// write and its stored answer commit together or not at all. The repositories were made with `app.db`
// long before: `app.db` is this proxy, which sends each query to the transaction of the request it
// runs for (AsyncLocalStorage), or to the database outside one. A service's own `db.transaction()`
// inside the request becomes a savepoint: its failure still undoes only its own work.
import { AsyncLocalStorage } from 'node:async_hooks'
import { sql, type ControlledTransaction, type Kysely, type Transaction } from 'kysely'
import type { Database } from './schema.js'

/** The transaction of a request, while it is open. */
export interface RequestScope { trx: ControlledTransaction<Database> | undefined }

const scopes = new AsyncLocalStorage<RequestScope>()

/** Runs `fn` (and everything it starts) in `scope`. */
export const runInScope = <T>(scope: RequestScope, fn: () => T): T => scopes.run(scope, fn)

/** Runs `fn` (and everything it starts) outside any request's transaction: background work a request wakes must not join it. */
export const outsideRequests = <T>(fn: () => T): T => scopes.exit(fn)

/** The database as the code of a request sees it: its transaction while one is open, the database otherwise. */
export function scopedDatabase (db: Kysely<Database>): Kysely<Database> {
  let savepoints = 0
  return new Proxy(db, {
    get (target, property) {
      const trx = scopes.getStore()?.trx
      if (trx && property === 'transaction') return () => nestedTransaction(trx, `request_sp_${++savepoints}`)
      const source: object = trx ?? target
      // Kysely keeps its state in private fields: its methods must run on the real object, never on the proxy.
      const value: unknown = Reflect.get(source, property, source)
      return typeof value === 'function' ? value.bind(source) : value
    }
  })
}

/**
 * `db.transaction().execute(fn)` inside a request's transaction: a savepoint, released or rolled back.
 * In SQL rather than Kysely's savepoint methods, which the PGlite driver does not implement.
 */
function nestedTransaction (trx: ControlledTransaction<Database>, name: string) {
  const savepoint = sql.id(name)
  return {
    async execute<T> (fn: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
      await sql`savepoint ${savepoint}`.execute(trx)
      try {
        const result = await fn(trx)
        await sql`release savepoint ${savepoint}`.execute(trx)
        return result
      } catch (error) {
        await sql`rollback to savepoint ${savepoint}`.execute(trx)
        throw error
      }
    }
  }
}
