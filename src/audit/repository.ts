// Audit record SQL: the insert every audited write makes in its own transaction, and the customer's name it records.
import type { Kysely } from 'kysely'
import type { Database, NewAuditRecordRow } from '../db/schema.js'

export function createAuditRepository (db: Kysely<Database>) {
  return {
    async insert (row: NewAuditRecordRow): Promise<void> {
      await db.insertInto('audit_records').values(row).execute()
    },

    /** Forgets the records older than `before` (the API shows only the last 90 days). */
    async sweep (before: Date): Promise<void> {
      await db.deleteFrom('audit_records').where('operation_date', '<', before).execute()
    },

    async customerName (partnerTenantId: string, customerId: string): Promise<string | undefined> {
      const row = await db.selectFrom('customers').select('company_name')
        .where('partner_tenant_id', '=', partnerTenantId).where('id', '=', customerId).executeTakeFirst()
      return row?.company_name
    }
  }
}
