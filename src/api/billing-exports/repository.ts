// SQL of the billing export API: asking for an export, reading its operation and manifest (the
// partner's own only), and reading a file's chunks for a download.
import type { Kysely } from 'kysely'
import type { BillingExportRow, Database } from '../../db/schema.js'

export type NewBillingExport = Pick<BillingExportRow, 'id' | 'partner_tenant_id' | 'dataset' | 'attribute_set' | 'invoice_id' |
  'billing_period' | 'currency_code' | 'high_water_id' | 'manifest_id' | 'sas_key' | 'created_at'>

export function createBillingExportsRepository (db: Kysely<Database>) {
  return {
    async insert (row: NewBillingExport): Promise<void> {
      // Due at once: the first job to look takes it.
      await db.insertInto('billing_exports').values({ ...row, status: 'notStarted', last_action_at: row.created_at, lease_until: new Date(0) }).execute()
    },

    operation (partnerTenantId: string, id: string): Promise<BillingExportRow | undefined> {
      return db.selectFrom('billing_exports').selectAll().where('partner_tenant_id', '=', partnerTenantId).where('id', '=', id).executeTakeFirst()
    },

    manifest (partnerTenantId: string, manifestId: string): Promise<BillingExportRow | undefined> {
      return db.selectFrom('billing_exports').selectAll().where('partner_tenant_id', '=', partnerTenantId)
        .where('manifest_id', '=', manifestId).where('status', '=', 'succeeded').executeTakeFirst()
    },

    /** A succeeded export by id, for a file download (the SAS token, checked next, names the partner's export). */
    succeeded (id: string): Promise<BillingExportRow | undefined> {
      return db.selectFrom('billing_exports').selectAll().where('id', '=', id).where('status', '=', 'succeeded').executeTakeFirst()
    },

    /** The chunk of a file holding byte `offset` and those after it, one at a time: a download holds one chunk in memory. */
    chunkAt (id: string, blobIndex: number, seq: number) {
      return db.selectFrom('billing_export_chunks').select(['seq', 'byte_offset', 'data'])
        .where('export_id', '=', id).where('blob_index', '=', blobIndex).where('seq', '=', seq).executeTakeFirst()
    },

    /** The first chunk a byte range starts in. */
    async firstChunkFor (id: string, blobIndex: number, offset: number): Promise<number> {
      const row = await db.selectFrom('billing_export_chunks').select('seq')
        .where('export_id', '=', id).where('blob_index', '=', blobIndex).where('byte_offset', '<=', offset)
        .orderBy('seq', 'desc').limit(1).executeTakeFirst()
      return row?.seq ?? 0
    }
  }
}
