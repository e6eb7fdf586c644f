// Customer SQL. Every query is scoped to the calling partner tenant, except the global domain check.
import { sql, type Kysely } from 'kysely'
import type { CustomerRow, Database, NewCustomerRow } from '../../db/schema.js'

export type CustomerSortKey = [companyName: string, id: string]
export interface CustomerFilter { field: 'company_name' | 'domain', prefix: string }

export function createCustomersRepository (db: Kysely<Database>) {
  return {
    async insert (row: NewCustomerRow): Promise<CustomerRow> {
      return db.insertInto('customers').values(row).returningAll().executeTakeFirstOrThrow()
    },

    async findById (partnerTenantId: string, id: string): Promise<CustomerRow | undefined> {
      return db.selectFrom('customers').selectAll()
        .where('partner_tenant_id', '=', partnerTenantId).where('id', '=', id.toLowerCase())
        .executeTakeFirst()
    },

    /** Locks the row for the rest of the transaction (read-compare-update of the billing profile). */
    async findByIdForUpdate (partnerTenantId: string, id: string): Promise<CustomerRow | undefined> {
      return db.selectFrom('customers').selectAll()
        .where('partner_tenant_id', '=', partnerTenantId).where('id', '=', id.toLowerCase())
        .forUpdate().executeTakeFirst()
    },

    /** One page in (company name, id) order, after the given key; fetches one extra row to tell if more follow. */
    async listPage (partnerTenantId: string, size: number, after?: CustomerSortKey, filter?: CustomerFilter): Promise<CustomerRow[]> {
      let query = db.selectFrom('customers').selectAll()
        .where('partner_tenant_id', '=', partnerTenantId)
      if (filter) query = query.where(sql<boolean>`lower(${sql.ref(filter.field)}) like ${likePrefix(filter.prefix)} escape '\\'`)
      if (after) query = query.where((eb) => eb(eb.refTuple('company_name', 'id'), '>', eb.tuple(after[0], after[1])))
      return query.orderBy('company_name').orderBy('id').limit(size + 1).execute()
    },

    /** True when any partner's customer already uses the domain (domains are one global namespace). */
    async domainExists (domain: string): Promise<boolean> {
      const row = await db.selectFrom('customers').select('id')
        .where(sql<string>`lower(domain)`, '=', domain.toLowerCase()).executeTakeFirst()
      return row !== undefined
    },

    async updateBillingProfile (partnerTenantId: string, id: string, changes: Pick<NewCustomerRow,
      'billing_first_name' | 'billing_last_name' | 'billing_email' | 'billing_culture' | 'billing_language' | 'billing_company_name' | 'billing_address'>
    ): Promise<CustomerRow> {
      return db.updateTable('customers')
        .set({ ...changes, billing_version: sql`billing_version + 1`, updated_at: new Date() })
        .where('partner_tenant_id', '=', partnerTenantId).where('id', '=', id.toLowerCase())
        .returningAll().executeTakeFirstOrThrow()
    }
  }
}

export type CustomersRepository = ReturnType<typeof createCustomersRepository>

function likePrefix (prefix: string): string {
  return `${prefix.toLowerCase().replace(/[\\%_]/g, '\\$&')}%`
}
