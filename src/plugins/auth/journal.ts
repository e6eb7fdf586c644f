// The request journal: every auth decision (who, which app, which operation, app-only or app+user,
// MFA or not, outcome and reason). Rows are buffered and written in batches so that journaling adds
// no database round trip to a request; the buffer is flushed on close.
import type { FastifyBaseLogger } from 'fastify'
import type { Kysely } from 'kysely'
import type { Database, NewJournalRow } from '../../db/schema.js'

const FLUSH_EVERY_MS = 200
const MAX_BATCH = 500

export class RequestJournal {
  readonly #db: Kysely<Database>
  readonly #log: FastifyBaseLogger
  #buffer: NewJournalRow[] = []
  #timer: NodeJS.Timeout | undefined
  #flushing: Promise<void> = Promise.resolve()

  constructor (db: Kysely<Database>, log: FastifyBaseLogger) {
    this.#db = db
    this.#log = log
  }

  record (row: NewJournalRow): void {
    this.#buffer.push(row)
    if (this.#buffer.length >= MAX_BATCH) void this.flush()
    else this.#timer ??= setTimeout(() => { void this.flush() }, FLUSH_EVERY_MS).unref()
  }

  /** Writes what is buffered; resolves when every row recorded so far is stored. */
  flush (): Promise<void> {
    clearTimeout(this.#timer)
    this.#timer = undefined
    const batch = this.#buffer
    this.#buffer = []
    this.#flushing = this.#flushing.then(async () => {
      if (batch.length === 0) return
      try {
        await this.#db.insertInto('request_journal').values(batch).execute()
      } catch (err) {
        this.#log.error({ err, rows: batch.length }, 'request journal rows could not be written')
      }
    })
    return this.#flushing
  }
}
