// The export job: takes exports off the table (billing_exports), reads their lines from the database
// in keyset-paged batches up to the export's high-water id, and writes them as gzip JSON lines files
// of at most `rowsPerFile` records (files.ts). An export is leased while it runs and the lease renewed
// as it goes; a process that dies lets the lease end, and the next job starts that export again from
// scratch (its partial files dropped). After MAX_ATTEMPTS starts it fails.
import type { FastifyBaseLogger } from 'fastify'
import type { Kysely } from 'kysely'
import { createBillingRepository } from '../billing/repository.js'
import type { Clock } from '../clock/clock.js'
import type { BillingExportBlob, BillingExportRow, Database } from '../db/schema.js'
import { outsideRequests } from '../db/scope.js'
import { writeGzipFile } from './files.js'
import { sourceOf, type ExportSource } from './records.js'
import { createExportRepository } from './repository.js'

export interface ExportJobOptions {
  db: Kysely<Database>
  log: FastifyBaseLogger
  clock: Clock
  pollMs: number
  rowsPerFile: number
}

/** Records read per query: large enough that a query's cost is spread thin, small enough to hold. */
const BATCH = 1000
const LEASE_MS = 60_000
const MAX_ATTEMPTS = 3
/** Graph's failedOperation for an export with nothing in it (partners-billing-operation-get, example 2). */
export const NO_DATA = { code: '5000', message: 'No data available' }

class LeaseLost extends Error {}

/**
 * Reads an export's lines batch after batch, the next batch always on its way while the current one is
 * turned into records: the database works while this process does. `take(max)` gives up to `max`
 * rows, none once every line is read.
 */
function prefetching (source: ExportSource) {
  const read = (after: string | undefined) => {
    const batch = source.next(after, BATCH)
    // Awaited later; a failure meanwhile must not count as an unhandled rejection (it surfaces when awaited).
    batch.catch(() => {})
    return batch
  }
  let pending = read(undefined)
  let buffered: Array<{ id: string }> = []
  let done = false
  return async (max: number): Promise<Array<{ id: string }>> => {
    if (buffered.length === 0 && !done) {
      buffered = await pending
      if (buffered.length < BATCH) done = true
      else pending = read(source.idOf(buffered[buffered.length - 1]!))
    }
    return buffered.splice(0, max)
  }
}

export function createExportJobs (options: ExportJobOptions) {
  const exports = createExportRepository(options.db)
  const billing = createBillingRepository(options.db)
  let timer: NodeJS.Timeout | undefined
  let running: Promise<void> | undefined
  let stopped = false

  /** Writes the export's files; resolves to them, empty when the export has no lines. */
  async function writeFiles (row: BillingExportRow, source: ExportSource, renew: () => Promise<void>): Promise<BillingExportBlob[]> {
    const take = prefetching(source)
    const blobs: BillingExportBlob[] = []
    for (let index = 0; ; index++) {
      const first = await take(options.rowsPerFile)
      if (first.length === 0) return blobs
      let records = 0
      const lines = async function * () {
        for (let rows = first; rows.length > 0; rows = await take(options.rowsPerFile - records)) {
          records += rows.length
          yield * source.lines(rows)
          await renew()
          if (records >= options.rowsPerFile) return
        }
      }
      const blobIndex = index
      const bytes = await writeGzipFile(lines(), async (seq, offset, data) => {
        if (!await exports.insertChunk(row.id, row.attempts, blobIndex, seq, offset, data)) throw new LeaseLost('taken over')
      })
      blobs.push({ name: `part-${String(index).padStart(5, '0')}-${row.manifest_id}.c000.json.gz`, partitionValue: 'default', bytes, records })
    }
  }

  async function run (row: BillingExportRow): Promise<void> {
    if (row.attempts > MAX_ATTEMPTS) {
      await exports.fail(row.id, row.attempts, await options.clock.now(), 'InternalServerError', 'The export could not be completed; ask for it again.')
      return
    }
    let renewAt = Date.now() + LEASE_MS / 3
    const renew = async () => {
      if (stopped) throw new LeaseLost('stopping')
      if (Date.now() < renewAt) return
      if (!await exports.renew(row.id, row.attempts, new Date(Date.now() + LEASE_MS))) throw new LeaseLost('taken over')
      renewAt = Date.now() + LEASE_MS / 3
    }
    try {
      await exports.clearChunks(row.id)
      const source = sourceOf(row, billing, await exports.partnerName(row.partner_tenant_id))
      const blobs = await writeFiles(row, source, renew)
      const now = await options.clock.now()
      if (blobs.length === 0) await exports.fail(row.id, row.attempts, now, NO_DATA.code, NO_DATA.message)
      else await exports.succeed(row.id, row.attempts, now, blobs, blobs.reduce((n, b) => n + b.records, 0))
    } catch (err) {
      if (stopped) { await exports.release(row.id, row.attempts).catch(() => {}); return }
      if (err instanceof LeaseLost) return
      // The lease ends and a later round starts it again (a database outage, say).
      options.log.warn({ err, exportId: row.id, attempt: row.attempts }, 'billing export failed; it will be retried')
    }
  }

  async function tick (): Promise<void> {
    for (;;) {
      const row = stopped ? undefined : await exports.claim(new Date(), new Date(Date.now() + LEASE_MS))
      if (!row) return
      await run(row)
    }
  }

  function schedule (delayMs: number) {
    if (stopped || running) return
    clearTimeout(timer)
    // A request wakes the job: its work must not run in that request's transaction (db/scope.ts).
    timer = setTimeout(() => outsideRequests(() => {
      running = tick()
        .catch((err: unknown) => { if (!stopped) options.log.warn({ err }, 'billing exports could not be read') })
        .finally(() => { running = undefined; schedule(options.pollMs) })
    }), delayMs)
    timer.unref()
  }

  return {
    start: () => schedule(0),
    /** An export was just asked for: look now rather than at the next poll. */
    wake: () => schedule(0),
    /** Stops taking exports; the one running is let go (released for the next start) and awaited. */
    async stop (): Promise<void> {
      stopped = true
      clearTimeout(timer)
      await running
    }
  }
}
