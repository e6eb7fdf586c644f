// SQL of the request journal: batches of decisions. On PostgreSQL a batch is loaded with COPY, the
// cheapest way in for the server, and its text format is cheap to build. On PGlite it travels as one
// array parameter per column, unpacked by unnest(): one short statement whatever the batch size,
// where a multi-row VALUES list would bind 16 parameters per row (measured against a VALUES list and
// against jsonb_to_recordset, it costs least on both sides).
import { sql, type Kysely } from 'kysely'
import type { DatabaseHandle } from '../db/index.js'
import type { Database, NewJournalRow } from '../db/schema.js'
import { copyLine, copyText } from '../lib/copy-text.js'

/** A decision as the hook records it: the time as epoch milliseconds (a Date and its ISO string cost more, per request). */
export type JournalEntry = Omit<NewJournalRow, 'occurred_at' | 'id'> & { occurred_at: number }

const COLUMN_TYPES = {
  occurred_at: 'float8',
  request_id: 'text',
  correlation_id: 'text',
  method: 'text',
  path: 'text',
  operation: 'text',
  operation_name: 'text',
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

/** A journal row in COPY's text format. */
export const journalCopyLine = (row: JournalEntry) =>
  copyLine(COLUMNS.map((column) => column === 'occurred_at' ? new Date(row.occurred_at).toISOString() : copyText(row[column])))

export function createJournalRepository (db: Kysely<Database>, copyRows: DatabaseHandle['copyRows']) {
  return {
    async insert (rows: readonly JournalEntry[]): Promise<void> {
      if (copyRows) await copyRows('request_journal', COLUMNS, rows.map(journalCopyLine).join(''))
      else await insertBatch(rows).execute(db)
    }
  }
}

export type JournalRepository = ReturnType<typeof createJournalRepository>
