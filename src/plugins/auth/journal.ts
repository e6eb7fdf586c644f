// The request journal: every auth decision (who, which app, which operation, app-only or app+user,
// MFA or not, outcome and reason). Rows are buffered and written in batches so that journaling adds
// no database round trip to a request; the buffer is flushed on close.
import type { FastifyBaseLogger } from 'fastify'
import { sql, type Kysely } from 'kysely'
import type { DatabaseHandle } from '../../db/index.js'
import type { Database, NewJournalRow } from '../../db/schema.js'

/** A decision as the hook records it: the time as epoch milliseconds (a Date and its ISO string cost more, per request). */
export type JournalEntry = Omit<NewJournalRow, 'occurred_at' | 'id'> & { occurred_at: number }

const FLUSH_EVERY_MS = 250
const MAX_BATCH = 500

// On PostgreSQL a batch is loaded with COPY: the cheapest way in for the server, and its text format
// is cheap to build. On PGlite it travels as one array parameter per column, unpacked by unnest():
// one short statement whatever the batch size, where a multi-row VALUES list would bind 16 parameters
// per row (measured against a VALUES list and against jsonb_to_recordset, it costs least on both sides).
const COLUMN_TYPES = {
  occurred_at: 'float8',
  request_id: 'text',
  correlation_id: 'text',
  method: 'text',
  path: 'text',
  operation: 'text',
  partner_tenant_id: 'uuid',
  object_id: 'text',
  user_principal_name: 'text',
  app_id: 'text',
  token_kind: 'text',
  mfa_compliant: 'boolean',
  outcome: 'text',
  status_code: 'integer',
  reason: 'text',
  ip_address: 'text'
} as const satisfies Record<Exclude<keyof NewJournalRow, 'id'>, string>

const COLUMNS = Object.keys(COLUMN_TYPES) as (keyof typeof COLUMN_TYPES)[]
const COLUMN_LIST = sql.join(COLUMNS.map((column) => sql.ref(column)))

const SELECT_LIST = sql.join(COLUMNS.map((column) => column === 'occurred_at' ? sql`to_timestamp(occurred_at / 1000.0)` : sql.ref(column)))

// PostgreSQL text cannot hold NUL (a dev token may put one in a claim): it is dropped, or the whole
// batch would be refused.
const withoutNul = (value: unknown) => typeof value === 'string' && value.includes('\0') ? value.replaceAll('\0', '') : value

function insertBatch (rows: readonly JournalEntry[]) {
  const arrays = COLUMNS.map((column) => sql`${rows.map((row) => withoutNul(row[column] ?? null))}::${sql.raw(COLUMN_TYPES[column])}[]`)
  return sql`insert into request_journal (${COLUMN_LIST})
    select ${SELECT_LIST} from unnest(${sql.join(arrays)}) as batch(${COLUMN_LIST})`
}

// COPY's text format: one line per row, columns separated by tabs, \N for null, and a backslash
// before what would end a column or a line; NUL is dropped here too.
const COPY_SPECIAL = /[\\\t\n\r\0]/
/** The same characters, every one of them: a global pattern of its own, as `test` on a global one keeps state. */
const COPY_SPECIALS = new RegExp(COPY_SPECIAL.source, 'g')
const COPY_ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r', '\0': '' }
const escapeCopy = (character: string) => COPY_ESCAPES[character]!

function copyText (value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return '\\N'
  if (typeof value !== 'string') return typeof value === 'boolean' ? (value ? 't' : 'f') : String(value)
  return COPY_SPECIAL.test(value) ? value.replace(COPY_SPECIALS, escapeCopy) : value
}

const copyLine = (row: JournalEntry) =>
  COLUMNS.map((column) => column === 'occurred_at' ? new Date(row.occurred_at).toISOString() : copyText(row[column])).join('\t') + '\n'

export class RequestJournal {
  readonly #db: Kysely<Database>
  readonly #copyRows: DatabaseHandle['copyRows']
  readonly #log: FastifyBaseLogger
  #buffer: JournalEntry[] = []
  #timer: NodeJS.Timeout | undefined
  #flushing: Promise<void> = Promise.resolve()

  constructor (db: Kysely<Database>, copyRows: DatabaseHandle['copyRows'], log: FastifyBaseLogger) {
    this.#db = db
    this.#copyRows = copyRows
    this.#log = log
  }

  record (row: JournalEntry): void {
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
        if (this.#copyRows) await this.#copyRows('request_journal', COLUMNS, batch.map(copyLine).join(''))
        else await insertBatch(batch).execute(this.#db)
      } catch (err) {
        this.#log.error({ err, rows: batch.length }, 'request journal rows could not be written')
      }
    })
    return this.#flushing
  }
}
