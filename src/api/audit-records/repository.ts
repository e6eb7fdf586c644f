// Audit record SQL of the API: one partner's records, seek-paged in (date, id) order, and one by id.
import { sql, type Kysely } from 'kysely'
import type { AuditRecordRow, Database } from '../../db/schema.js'

export type AuditSortKey = [operationDate: string, id: string]

export interface AuditFilter {
  field: 'customer_id' | 'customer_name' | 'resource_type'
  /** equals: the whole value; substring: contains it. Both ignore case. */
  operator: 'equals' | 'substring'
  value: string
}

export function createAuditRecordsRepository (db: Kysely<Database>) {
  return {
    async findById (partnerTenantId: string, id: string): Promise<AuditRecordRow | undefined> {
      return db.selectFrom('audit_records').selectAll()
        .where('partner_tenant_id', '=', partnerTenantId).where('id', '=', id.toLowerCase())
        .executeTakeFirst()
    },

    /** One page within [from, to] after the given key; one extra row tells whether more follow. */
    async listPage (partnerTenantId: string, range: { from: Date, to: Date }, size: number, after?: AuditSortKey, filter?: AuditFilter): Promise<AuditRecordRow[]> {
      let query = db.selectFrom('audit_records').selectAll()
        .where('partner_tenant_id', '=', partnerTenantId)
        .where('operation_date', '>=', range.from).where('operation_date', '<=', range.to)
      if (filter) {
        const column = sql<string>`lower(${sql.ref(filter.field)})`
        const value = filter.value.toLowerCase()
        query = query.where(filter.operator === 'equals' ? sql<boolean>`${column} = ${value}` : sql<boolean>`strpos(${column}, ${value}) > 0`)
      }
      if (after) query = query.where((eb) => eb(eb.refTuple('operation_date', 'id'), '>', eb.tuple(new Date(after[0]), after[1])))
      return query.orderBy('operation_date').orderBy('id').limit(size + 1).execute()
    }
  }
}
