// SQL of invoices: the list, one invoice, balances per currency, the last closed period's invoice,
// and an invoice's totals per customer for its statement.
import type { Kysely } from 'kysely'
import type { Database, InvoiceRow } from '../../db/schema.js'

export function createInvoicesRepository (db: Kysely<Database>) {
  return {
    /** Newest first, from `offset`, one more than `size`. */
    list (partnerTenantId: string, offset: number, size: number): Promise<InvoiceRow[]> {
      return db.selectFrom('invoices').selectAll().where('partner_tenant_id', '=', partnerTenantId)
        .orderBy('invoice_date', 'desc').orderBy('number', 'desc').offset(offset).limit(size + 1).execute()
    },

    find (partnerTenantId: string, invoiceId: string): Promise<InvoiceRow | undefined> {
      return db.selectFrom('invoices').selectAll().where('partner_tenant_id', '=', partnerTenantId).where('id', '=', invoiceId).executeTakeFirst()
    },

    /** Balance per currency (no payments are modelled: the balance is what was invoiced). */
    summaries (partnerTenantId: string) {
      return db.selectFrom('invoices')
        .select(['currency_code', 'currency_symbol', (eb) => eb.fn.sum<string>('total_minor').as('balance'),
          (eb) => eb.fn.min('invoice_date').as('first'), (eb) => eb.fn.max('invoice_date').as('latest')])
        .where('partner_tenant_id', '=', partnerTenantId).groupBy(['currency_code', 'currency_symbol']).orderBy('currency_code').execute()
    },

    /** An invoice's charges per customer, for its statement. */
    totalsByCustomer (partnerTenantId: string, invoiceId: string) {
      return db.selectFrom('charges as ch').innerJoin('customers as cu', 'cu.id', 'ch.customer_id')
        .select(['cu.company_name', (eb) => eb.fn.sum<string>('ch.amount_minor').as('total'), (eb) => eb.fn.countAll<string>().as('lines')])
        .where('ch.partner_tenant_id', '=', partnerTenantId).where('ch.invoice_id', '=', invoiceId)
        .groupBy('cu.company_name').orderBy('cu.company_name').execute()
    },

    async partnerName (partnerTenantId: string): Promise<string> {
      return (await db.selectFrom('partner_tenants').select('name').where('id', '=', partnerTenantId).executeTakeFirstOrThrow()).name
    }
  }
}

export type InvoicesRepository = ReturnType<typeof createInvoicesRepository>
