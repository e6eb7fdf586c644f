// SQL of the export job: claiming an export with a lease, writing its files as ordered chunks of gzip
// bytes, and finishing it (succeeded or failed). The API's own reads are in api/billing-exports.
import { sql, type Kysely } from 'kysely'
import type { BillingExportBlob, BillingExportRow, Database } from '../db/schema.js'

export function createExportRepository (db: Kysely<Database>) {
  return {
    /**
     * Takes the oldest export no job holds (never started, or its job's lease ended: the process died),
     * leased until `leaseUntil`. SKIP LOCKED: instances sharing the database never take the same one.
     */
    async claim (now: Date, leaseUntil: Date): Promise<BillingExportRow | undefined> {
      const due = db.selectFrom('billing_exports').select('id')
        .where('status', 'in', ['notStarted', 'running']).where('lease_until', '<=', now)
        .orderBy('created_at').limit(1).forUpdate().skipLocked()
      return db.updateTable('billing_exports')
        .set({ status: 'running', lease_until: leaseUntil, attempts: sql`attempts + 1` })
        .where('id', 'in', due).returningAll().executeTakeFirst()
    },

    /** Extends the job's lease; false when another job has taken the export since (this one must stop). */
    async renew (id: string, attempt: number, leaseUntil: Date): Promise<boolean> {
      const result = await db.updateTable('billing_exports').set({ lease_until: leaseUntil })
        .where('id', '=', id).where('attempts', '=', attempt).where('status', '=', 'running').executeTakeFirst()
      return result.numUpdatedRows > 0n
    },

    /** Lets the export go at once (a graceful stop): the next job to look takes it up again, this start not counted. */
    async release (id: string, attempt: number): Promise<void> {
      await db.updateTable('billing_exports').set({ lease_until: new Date(0), attempts: sql`attempts - 1` })
        .where('id', '=', id).where('attempts', '=', attempt).where('status', '=', 'running').execute()
    },

    async partnerName (partnerTenantId: string): Promise<string> {
      const row = await db.selectFrom('partner_tenants').select('name').where('id', '=', partnerTenantId).executeTakeFirst()
      return row?.name ?? ''
    },

    /** Forgets the files an earlier attempt left half-written. */
    async clearChunks (id: string): Promise<void> {
      await db.deleteFrom('billing_export_chunks').where('export_id', '=', id).execute()
    },

    /**
     * Stores one chunk of a file, only while this attempt still holds the export: false when another job
     * has taken it over since (the lease is renewed between batches, not between chunks).
     */
    async insertChunk (id: string, attempt: number, blobIndex: number, seq: number, byteOffset: number, data: Buffer): Promise<boolean> {
      const result = await sql`insert into billing_export_chunks (export_id, blob_index, seq, byte_offset, data)
        select ${id}::uuid, ${blobIndex}, ${seq}, ${byteOffset}, ${data}
        where exists (select 1 from billing_exports where id = ${id}::uuid and attempts = ${attempt} and status = 'running')`.execute(db)
      return (result.numAffectedRows ?? 0n) > 0n
    },

    async succeed (id: string, attempt: number, at: Date, blobs: BillingExportBlob[], records: number): Promise<void> {
      await db.updateTable('billing_exports')
        .set({ status: 'succeeded', last_action_at: at, blobs: JSON.stringify(blobs), record_count: String(records) })
        .where('id', '=', id).where('attempts', '=', attempt).execute()
    },

    /** The export failed: said so, and its partial files dropped, together; not when another attempt holds it now. */
    async fail (id: string, attempt: number, at: Date, code: string, message: string): Promise<void> {
      await db.transaction().execute(async (trx) => {
        const failed = await trx.updateTable('billing_exports').set({ status: 'failed', last_action_at: at, error_code: code, error_message: message })
          .where('id', '=', id).where('attempts', '=', attempt).executeTakeFirst()
        if (failed.numUpdatedRows > 0n) await trx.deleteFrom('billing_export_chunks').where('export_id', '=', id).execute()
      })
    }
  }
}

export type ExportRepository = ReturnType<typeof createExportRepository>
