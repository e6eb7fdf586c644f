// Customer SQL. Every query is scoped to the calling partner tenant, except the global domain check.
// A customer whose relationship with the partner ended (removed_at) is kept for the history that refers
// to it, and is not the partner's any more: no lookup here finds it.
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
        .where('partner_tenant_id', '=', partnerTenantId).where('id', '=', id.toLowerCase()).where('removed_at', 'is', null)
        .executeTakeFirst()
    },

    /** Locks the row for the rest of the transaction (read-compare-update of the billing profile). */
    async findByIdForUpdate (partnerTenantId: string, id: string): Promise<CustomerRow | undefined> {
      return db.selectFrom('customers').selectAll()
        .where('partner_tenant_id', '=', partnerTenantId).where('id', '=', id.toLowerCase()).where('removed_at', 'is', null)
        .forUpdate().executeTakeFirst()
    },

    /** One page in (company name, id) order, after the given key; fetches one extra row to tell if more follow. */
    async listPage (partnerTenantId: string, size: number, after?: CustomerSortKey, filter?: CustomerFilter): Promise<CustomerRow[]> {
      let query = db.selectFrom('customers').selectAll()
        .where('partner_tenant_id', '=', partnerTenantId).where('removed_at', 'is', null)
      if (filter) query = query.where(sql<boolean>`lower(${sql.ref(filter.field)}) like ${likePrefix(filter.prefix)} escape '\\'`)
      if (after) query = query.where((eb) => eb(eb.refTuple('company_name', 'id'), '>', eb.tuple(after[0], after[1])))
      return query.orderBy('company_name').orderBy('id').limit(size + 1).execute()
    },

    /** Whether the partner tenant is an integration sandbox (Testing in Production) account. */
    async isIntegrationSandbox (partnerTenantId: string): Promise<boolean> {
      const row = await db.selectFrom('partner_tenants').select('integration_sandbox').where('id', '=', partnerTenantId).executeTakeFirst()
      return row?.integration_sandbox ?? false
    },

    /** True when any partner's customer already uses the domain (domains are one global namespace; a deleted tenant frees its own). */
    async domainExists (domain: string): Promise<boolean> {
      const row = await db.selectFrom('customers').select('id')
        .where(sql<string>`lower(domain)`, '=', domain.toLowerCase()).where('deleted_at', 'is', null).executeTakeFirst()
      return row !== undefined
    },

    async updateBillingProfile (partnerTenantId: string, id: string, changes: Pick<NewCustomerRow,
      'billing_first_name' | 'billing_last_name' | 'billing_email' | 'billing_culture' | 'billing_language' | 'billing_company_name' | 'billing_address'>
    ): Promise<CustomerRow> {
      return db.updateTable('customers')
        .set({ ...changes, billing_version: sql`billing_version + 1`, updated_at: new Date() })
        .where('partner_tenant_id', '=', partnerTenantId).where('id', '=', id.toLowerCase())
        .returningAll().executeTakeFirstOrThrow()
    },

    /** Ends the partner's relationship: the row stays (orders, charges and invoices refer to it); `deleted` frees the domain too. */
    async remove (partnerTenantId: string, id: string, now: Date, deleted: boolean): Promise<CustomerRow> {
      return db.updateTable('customers')
        .set({ relationship_to_partner: 'none', removed_at: now, deleted_at: deleted ? now : null, updated_at: now })
        .where('partner_tenant_id', '=', partnerTenantId).where('id', '=', id.toLowerCase()).where('removed_at', 'is', null)
        .returningAll().executeTakeFirstOrThrow()
    },

    /**
     * The customer's subscriptions that stand in the way of ending the relationship: `active` ones, and
     * those of Azure reservations (`subType` in the product type) or software not cancelled, with their kind.
     */
    async openSubscriptions (customerId: string): Promise<Array<{ id: string, status: string, kind: 'reservation' | 'software' | 'other' }>> {
      const rows = await db.selectFrom('subscriptions').select(['id', 'status', 'product_type'])
        .where('customer_id', '=', customerId.toLowerCase()).where('status', '<>', 'deleted').orderBy('created_at').orderBy('id').execute()
      return rows.map((r) => ({
        id: r.id,
        status: r.status,
        kind: r.product_type.subType !== undefined ? 'reservation' : r.product_type.id === 'Software' ? 'software' : 'other'
      }))
    }
  }
}

export type CustomersRepository = ReturnType<typeof createCustomersRepository>

function likePrefix (prefix: string): string {
  return `${prefix.toLowerCase().replace(/[\\%_]/g, '\\$&')}%`
}
