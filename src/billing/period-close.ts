// Closing a billing period (the control plane does it on the emulator clock): every uninvoiced charge
// up to then, and the usage metered before it, goes on one invoice per currency. The period is the
// calendar month the clock is in (first day to last day, 00:00 UTC), as Partner Center bills whole
// months; the invoice is dated at the close itself.
import type { Kysely } from 'kysely'
import type { Database, InvoiceRow } from '../db/schema.js'
import { monthLastDay, monthStart } from '../lib/dates.js'
import { renewDue } from '../commerce/renewal.js'
import { createBillingRepository } from './repository.js'
import { accrueUsage } from './usage.js'

const SYMBOLS: Record<string, string> = { USD: '$', CAD: '$', AUD: '$', GBP: '£', EUR: '€' }

/** Closes the partner's period of the month `now` is in, in one transaction; the partner's row is locked so two closes cannot split a period. */
export async function closeBillingPeriod (db: Kysely<Database>, partnerTenantId: string, now: Date) {
  // Renewals first, each in its own transaction: their charges belong on this invoice.
  await renewDue(db, partnerTenantId, now)
  return db.transaction().execute(async (trx) => {
    const billing = createBillingRepository(trx)
    await billing.lockPartner(partnerTenantId)
    const start = monthStart(now)
    const end = monthLastDay(now)
    const period = await billing.insertPeriod(partnerTenantId, start, end, now)
    await accrueUsage(billing, partnerTenantId, now)
    const invoices: InvoiceRow[] = []
    for (const total of await billing.uninvoicedTotals(partnerTenantId, now)) {
      const invoice = await billing.insertInvoice({
        partnerTenantId,
        periodId: period.id,
        start,
        end,
        invoiceDate: now,
        currency: total.currency_code,
        symbol: SYMBOLS[total.currency_code] ?? total.currency_code,
        totalMinor: BigInt(total.total),
        lines: Number(total.lines)
      })
      await billing.invoiceLines(partnerTenantId, invoice.id, total.currency_code, now)
      invoices.push(invoice)
    }
    return { periodStart: start, periodEnd: end, invoices }
  })
}
