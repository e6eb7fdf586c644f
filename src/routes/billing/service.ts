// Billing: closing a period turns a partner's uninvoiced charges into invoices (one per currency);
// invoices, summaries, the PDF statement, and line items (billed and unbilled) read from there.
// Line items are keyset-paged on the charge id, so a page costs the same however many there are.
import type { Kysely } from 'kysely'
import PDFDocument from 'pdfkit'
import type { Database, InvoiceRow } from '../../db/schema.js'
import { commerceNotFound } from '../../errors.js'
import { fromMinor } from '../../lib/money.js'
import { link } from '../../schemas/common.js'
import { accrueUsage } from './usage.js'

const SYMBOLS: Record<string, string> = { USD: '$', CAD: '$', AUD: '$', GBP: '£', EUR: '€' }
/** Minor units to the JSON number Partner Center sends (the decimal string, read as a number at the edge). */
export const money = (minor: bigint | string) => Number(fromMinor(BigInt(minor)))

export function invoiceOf (row: InvoiceRow, withPdf = false) {
  const detail = `/invoices/OneTime-${row.id}/lineitems/OneTime/BillingLineItems`
  return {
    id: row.id,
    invoiceDate: row.invoice_date.toISOString(),
    billingPeriodStartDate: row.period_start.toISOString(),
    billingPeriodEndDate: row.period_end.toISOString(),
    totalCharges: money(row.total_minor),
    paidAmount: 0,
    currencyCode: row.currency_code,
    currencySymbol: row.currency_symbol,
    ...(withPdf ? { pdfDownloadLink: `/invoices/${row.id}/documents/statement` } : {}),
    invoiceDetails: [{
      invoiceLineItemType: 'billing_line_items',
      billingProvider: 'one_time',
      links: { self: link(detail) },
      attributes: { objectType: 'InvoiceDetail' }
    }],
    amendments: [],
    documentType: 'invoice',
    invoiceType: 'OneTime',
    links: { self: link(`/invoices/${row.id}`) },
    attributes: { objectType: 'Invoice' }
  }
}

/**
 * Which lines a query reads: those of an invoice or, with `null`, the unbilled ones; new-commerce
 * catalog items (`product:sku:availability`) or legacy offers (an offer id, no colon).
 */
interface LineScope { partnerTenantId: string, invoiceId: string | null, catalog: 'new' | 'legacy' }
const catalogPattern = (scope: LineScope) => scope.catalog === 'new' ? 'like' as const : 'not like' as const

/** Charges, with what their line items need to say about them. */
function lineItemsQuery (db: Kysely<Database>, scope: LineScope) {
  return db.selectFrom('charges as ch')
    .innerJoin('customers as cu', 'cu.id', 'ch.customer_id')
    .leftJoin('subscriptions as s', 's.id', 'ch.subscription_id')
    .leftJoin('orders as o', 'o.id', 'ch.order_id')
    .select([
      'ch.id', 'ch.charge_type', 'ch.catalog_item_id', 'ch.quantity', 'ch.unit_price_minor', 'ch.amount_minor', 'ch.currency_code',
      'ch.occurred_at', 'ch.invoice_id', 'ch.order_id', 'ch.subscription_id', 'ch.customer_id',
      'cu.company_name', 'cu.domain', 'cu.billing_address', 'o.created_at as order_date', 'o.alternate_id',
      's.offer_name', 's.friendly_name', 's.created_at as subscription_start', 's.commitment_end_at', 's.term_duration', 's.billing_cycle', 's.unit_type'
    ])
    .where('ch.partner_tenant_id', '=', scope.partnerTenantId)
    .where('ch.catalog_item_id', catalogPattern(scope), '%:%')
    .where((eb) => scope.invoiceId === null ? eb('ch.invoice_id', 'is', null) : eb('ch.invoice_id', '=', scope.invoiceId))
}

type LineRow = Awaited<ReturnType<ReturnType<typeof lineItemsQuery>['execute']>>[number]

/** Who a new-commerce line item is for: the fields OneTimeInvoiceLineItem and DailyRatedUsageLineItem share. */
function customerFields (row: { customer_id: string, company_name: string, domain: string, billing_address: { country: string }, invoice_id: string | null }, partnerTenantId: string) {
  return {
    partnerId: partnerTenantId,
    customerId: row.customer_id,
    customerName: row.company_name,
    customerDomainName: row.domain,
    customerCountry: row.billing_address.country,
    invoiceNumber: row.invoice_id ?? '',
    mpnId: '',
    resellerMpnId: ''
  }
}

const TERM_NAMES: Record<string, string> = { P1M: 'One-Month', P1Y: 'One-Year', P3Y: 'Three-Year' }

export function oneTimeLineItemOf (row: LineRow, partnerTenantId: string) {
  const [productId, skuId, availabilityId] = row.catalog_item_id.split(':')
  const unit = money(row.unit_price_minor)
  const subtotal = money(row.amount_minor)
  const term = row.term_duration ? TERM_NAMES[row.term_duration] ?? row.term_duration : 'None'
  return {
    ...customerFields(row, partnerTenantId),
    orderId: row.order_id,
    orderDate: (row.order_date ?? row.occurred_at).toISOString(),
    productId: productId ?? '',
    skuId: skuId ?? '',
    availabilityId: availabilityId ?? '',
    productName: row.offer_name ?? '',
    skuName: row.offer_name ?? '',
    productQualifiers: [],
    chargeType: row.charge_type,
    unitPrice: unit,
    effectiveUnitPrice: unit,
    unitType: row.unit_type ?? 'Licenses',
    quantity: row.quantity,
    subtotal,
    taxTotal: 0,
    totalForCustomer: subtotal,
    currency: row.currency_code,
    publisherName: 'Microsoft Corporation',
    publisherId: '',
    subscriptionDescription: row.friendly_name ?? '',
    subscriptionId: row.subscription_id ?? '',
    subscriptionStartDate: (row.subscription_start ?? row.occurred_at).toISOString(),
    subscriptionEndDate: row.commitment_end_at?.toISOString() ?? '',
    chargeStartDate: row.occurred_at.toISOString(),
    chargeEndDate: (row.commitment_end_at ?? row.occurred_at).toISOString(),
    termAndBillingCycle: `${term} commitment for ${row.billing_cycle ?? 'one_time'} billing`,
    alternateId: row.alternate_id ?? '',
    referenceId: String(row.id),
    priceAdjustmentDescription: '',
    pricingCurrency: row.currency_code,
    pcToBCExchangeRate: 1,
    billableQuantity: row.quantity,
    billingFrequency: row.billing_cycle === 'monthly' ? 'Monthly' : row.billing_cycle === 'annual' ? 'Annual' : 'OneTime',
    invoiceLineItemType: 'billing_line_items',
    billingProvider: 'one_time',
    attributes: { objectType: 'OneTimeInvoiceLineItem' }
  }
}

/** Metered usage, with what its line items need to say about it. */
function usageQuery (db: Kysely<Database>, scope: LineScope) {
  return db.selectFrom('usage_records as u')
    .innerJoin('customers as cu', 'cu.id', 'u.customer_id')
    .innerJoin('subscriptions as s', 's.id', 'u.subscription_id')
    .select([
      'u.id', 'u.usage_date', 'u.meter_id', 'u.meter_name', 'u.meter_category', 'u.meter_sub_category', 'u.meter_region', 'u.unit_of_measure',
      'u.quantity', 'u.unit_price_minor', 'u.amount_minor', 'u.currency_code', 'u.invoice_id', 'u.customer_id', 'u.subscription_id',
      'cu.company_name', 'cu.domain', 'cu.billing_address', 's.catalog_item_id', 's.offer_name', 's.friendly_name'
    ])
    .where('u.partner_tenant_id', '=', scope.partnerTenantId)
    .where('s.catalog_item_id', catalogPattern(scope), '%:%')
    .where((eb) => scope.invoiceId === null ? eb('u.invoice_id', 'is', null) : eb('u.invoice_id', '=', scope.invoiceId))
}

type UsageRow = Awaited<ReturnType<ReturnType<typeof usageQuery>['execute']>>[number]

export function dailyRatedUsageOf (row: UsageRow, partnerTenantId: string, partnerName: string) {
  const [productId, skuId, availabilityId] = row.catalog_item_id.split(':')
  const day = row.usage_date.toISOString()
  const end = new Date(row.usage_date.getTime() + 86_400_000 - 1000).toISOString()
  const total = money(row.amount_minor)
  return {
    ...customerFields(row, partnerTenantId),
    partnerName,
    productId: productId ?? '',
    skuId: skuId ?? '',
    availabilityId: availabilityId ?? '',
    skuName: row.offer_name,
    productName: row.offer_name,
    publisherName: 'Microsoft',
    publisherId: '',
    subscriptionId: row.subscription_id,
    subscriptionDescription: row.friendly_name,
    chargeStartDate: day,
    chargeEndDate: end,
    usageDate: day,
    meterType: '1 Compute Hour',
    meterCategory: row.meter_category,
    meterId: row.meter_id,
    meterSubCategory: row.meter_sub_category,
    meterName: row.meter_name,
    meterRegion: row.meter_region,
    unitOfMeasure: row.unit_of_measure,
    resourceLocation: row.meter_region.toLowerCase().replaceAll(' ', ''),
    consumedService: 'Microsoft.Compute',
    resourceGroup: 'pce-demo',
    resourceUri: `/subscriptions/${row.subscription_id}/resourceGroups/pce-demo/providers/Microsoft.Compute/virtualMachines/vm-1`,
    tags: '',
    additionalInfo: '',
    serviceInfo1: '',
    serviceInfo2: '',
    chargeType: 'new',
    unitPrice: money(row.unit_price_minor),
    quantity: row.quantity,
    unitType: row.unit_of_measure,
    billingPreTaxTotal: total,
    billingCurrency: row.currency_code,
    pricingPreTaxTotal: total,
    pricingCurrency: row.currency_code,
    entitlementId: row.subscription_id,
    entitlementDescription: row.friendly_name,
    pcToBCExchangeRate: 1,
    pcToBCExchangeRateDate: day,
    effectiveUnitPrice: money(row.unit_price_minor),
    rateOfPartnerEarnedCredit: 0,
    hasPartnerEarnedCredit: false,
    creditType: 'None',
    rateOfCredit: 0,
    invoiceLineItemType: 'usage_line_items',
    billingProvider: 'marketplace',
    attributes: { objectType: 'DailyRatedUsageLineItem' }
  }
}

/** Legacy license-based billing line (billing_line_items, office): LicenseBasedLineItem. */
export function licenseBasedLineItemOf (row: LineRow, partnerTenantId: string) {
  const amount = money(row.amount_minor)
  return {
    partnerId: partnerTenantId,
    customerId: row.customer_id,
    customerName: row.company_name,
    mpnId: '',
    tier2MpnId: '',
    orderId: row.order_id,
    subscriptionId: row.subscription_id ?? '',
    syndicationPartnerSubscriptionNumber: row.subscription_id ?? '',
    subscriptionName: row.offer_name ?? '',
    subscriptionDescription: row.friendly_name ?? '',
    billingCycleType: row.billing_cycle === 'annual' ? 'Annual' : 'Monthly',
    domainName: row.domain,
    offerId: row.catalog_item_id,
    durableOfferId: row.catalog_item_id,
    offerName: row.offer_name ?? '',
    subscriptionStartDate: (row.subscription_start ?? row.occurred_at).toISOString(),
    subscriptionEndDate: '9999-12-31T00:00:00.000Z',
    chargeStartDate: row.occurred_at.toISOString(),
    chargeEndDate: new Date(row.occurred_at.getTime() + 30 * 86_400_000).toISOString(),
    chargeType: row.charge_type === 'new' ? 'Cycle fee' : row.charge_type,
    unitPrice: money(row.unit_price_minor),
    quantity: row.quantity,
    amount,
    totalOtherDiscount: 0,
    subtotal: amount,
    tax: 0,
    totalForCustomer: amount,
    currency: row.currency_code,
    invoiceLineItemType: 'billing_line_items',
    billingProvider: 'office',
    attributes: { objectType: 'LicenseBasedLineItem' }
  }
}

/** Legacy Azure usage billed per meter and day (billing_line_items, azure): UsageBasedLineItem. */
export function usageBasedLineItemOf (row: UsageRow, partnerTenantId: string, partnerName: string) {
  const total = money(row.amount_minor)
  const day = row.usage_date.toISOString()
  return {
    partnerId: partnerTenantId,
    partnerName,
    partnerBillableAccountId: partnerTenantId,
    customerId: row.customer_id,
    customerCompanyName: row.company_name,
    mpnId: '',
    tier2MpnId: '',
    invoiceNumber: row.invoice_id ?? '',
    domainName: row.domain,
    billingCycleType: 'Monthly',
    subscriptionId: row.subscription_id,
    subscriptionName: row.offer_name,
    subscriptionDescription: row.friendly_name,
    orderId: '',
    serviceName: row.meter_category,
    serviceType: row.meter_sub_category,
    resourceGuid: row.meter_id,
    resourceName: row.meter_name,
    region: row.meter_region,
    consumedQuantity: row.quantity,
    chargeStartDate: day,
    chargeEndDate: new Date(row.usage_date.getTime() + 86_400_000 - 1000).toISOString(),
    unit: row.unit_of_measure,
    detailLineItemId: Number(row.id),
    sku: row.meter_name,
    includedQuantity: 0,
    overageQuantity: row.quantity,
    listPrice: money(row.unit_price_minor),
    consumptionPrice: money(row.unit_price_minor),
    consumptionDiscount: 0,
    currency: row.currency_code,
    pretaxCharges: total,
    taxAmount: 0,
    postTaxTotal: total,
    pretaxEffectiveRate: money(row.unit_price_minor),
    postTaxEffectiveRate: money(row.unit_price_minor),
    chargeType: 'Usage',
    invoiceLineItemType: 'billing_line_items',
    billingProvider: 'azure',
    attributes: { objectType: 'UsageBasedLineItem' }
  }
}

export function createBillingService (db: Kysely<Database>) {
  async function mustGetInvoice (partnerTenantId: string, invoiceId: string) {
    const id = invoiceId.replace(/^OneTime-/i, '').toUpperCase()
    const row = await db.selectFrom('invoices').selectAll().where('partner_tenant_id', '=', partnerTenantId).where('id', '=', id).executeTakeFirst()
    if (!row) throw commerceNotFound('Invoice', invoiceId)
    return row
  }

  return {
    mustGetInvoice,

    /**
     * Closes the partner's open billing period at `now`: every uninvoiced charge up to then goes on an
     * invoice of its currency. The partner's row is locked so that two closes cannot split a period.
     */
    async closePeriod (partnerTenantId: string, now: Date) {
      return db.transaction().execute(async (trx) => {
        await trx.selectFrom('partner_tenants').select('id').where('id', '=', partnerTenantId).forUpdate().executeTakeFirstOrThrow()
        const last = await trx.selectFrom('billing_periods').select('period_end').where('partner_tenant_id', '=', partnerTenantId)
          .orderBy('period_end', 'desc').limit(1).executeTakeFirst()
        const earliest = await trx.selectFrom('charges').select((eb) => eb.fn.min('occurred_at').as('first'))
          .where('partner_tenant_id', '=', partnerTenantId).where('invoice_id', 'is', null).executeTakeFirst()
        const start = last?.period_end ?? (earliest?.first ? new Date(earliest.first as unknown as string | Date) : now)
        const period = await trx.insertInto('billing_periods').values({ partner_tenant_id: partnerTenantId, period_start: start, period_end: now, closed_at: now })
          .returning('id').executeTakeFirstOrThrow()
        await accrueUsage(trx, partnerTenantId, now)
        const charges = trx.selectFrom('charges').select(['currency_code', 'amount_minor'])
          .where('partner_tenant_id', '=', partnerTenantId).where('invoice_id', 'is', null).where('occurred_at', '<=', now)
        const usage = trx.selectFrom('usage_records').select(['currency_code', 'amount_minor'])
          .where('partner_tenant_id', '=', partnerTenantId).where('invoice_id', 'is', null).where('usage_date', '<', now)
        const totals = await trx.selectFrom(charges.unionAll(usage).as('lines'))
          .select(['currency_code', (eb) => eb.fn.sum<string>('amount_minor').as('total'), (eb) => eb.fn.countAll<string>().as('lines')])
          .groupBy('currency_code').orderBy('currency_code').execute()
        const invoices: InvoiceRow[] = []
        for (const total of totals) {
          const invoice = await trx.insertInto('invoices').values({
            partner_tenant_id: partnerTenantId, billing_period_id: period.id, invoice_date: now, period_start: start, period_end: now,
            currency_code: total.currency_code, currency_symbol: SYMBOLS[total.currency_code] ?? total.currency_code,
            total_minor: BigInt(total.total), line_count: Number(total.lines)
          }).returningAll().executeTakeFirstOrThrow()
          await trx.updateTable('charges').set({ invoice_id: invoice.id })
            .where('partner_tenant_id', '=', partnerTenantId).where('invoice_id', 'is', null).where('occurred_at', '<=', now)
            .where('currency_code', '=', total.currency_code).execute()
          await trx.updateTable('usage_records').set({ invoice_id: invoice.id })
            .where('partner_tenant_id', '=', partnerTenantId).where('invoice_id', 'is', null).where('usage_date', '<', now)
            .where('currency_code', '=', total.currency_code).execute()
          invoices.push(invoice)
        }
        return { periodStart: start, periodEnd: now, invoices }
      })
    },

    async listInvoices (partnerTenantId: string, offset: number, size: number) {
      const rows = await db.selectFrom('invoices').selectAll().where('partner_tenant_id', '=', partnerTenantId)
        .orderBy('invoice_date', 'desc').orderBy('number', 'desc').offset(offset).limit(size + 1).execute()
      return rows
    },

    /** Balance per currency (no payments are modelled: the balance is what was invoiced). */
    async summaries (partnerTenantId: string) {
      return db.selectFrom('invoices')
        .select(['currency_code', 'currency_symbol', (eb) => eb.fn.sum<string>('total_minor').as('balance'),
          (eb) => eb.fn.min('invoice_date').as('first'), (eb) => eb.fn.max('invoice_date').as('latest')])
        .where('partner_tenant_id', '=', partnerTenantId).groupBy(['currency_code', 'currency_symbol']).orderBy('currency_code').execute()
    },

    /**
     * A page of line items: billed (an invoice id) or unbilled (`null`: charges not invoiced yet), in
     * one currency, after the charge id `after`.
     */
    async lineItems (partnerTenantId: string, invoiceId: string | null, currency: string | undefined, after: string | undefined, size: number) {
      let query = lineItemsQuery(db, { partnerTenantId, invoiceId, catalog: 'new' }).orderBy('ch.id').limit(size + 1)
      if (currency) query = query.where('ch.currency_code', '=', currency.toUpperCase())
      if (after) query = query.where('ch.id', '>', after)
      const rows = await query.execute()
      return rows.map((row) => ({ key: String(row.id), item: oneTimeLineItemOf(row, partnerTenantId) }))
    },

    /** A page of daily rated usage (billed or, with `null`, unbilled up to `now`), after the usage id `after`. */
    async usageItems (partnerTenantId: string, partnerName: string, invoiceId: string | null, currency: string | undefined, after: string | undefined, size: number, now: Date) {
      if (invoiceId === null) await accrueUsage(db, partnerTenantId, now)
      let query = usageQuery(db, { partnerTenantId, invoiceId, catalog: 'new' }).orderBy('u.id').limit(size + 1)
      if (currency) query = query.where('u.currency_code', '=', currency.toUpperCase())
      if (after) query = query.where('u.id', '>', after)
      const rows = await query.execute()
      return rows.map((row) => ({ key: String(row.id), item: dailyRatedUsageOf(row, partnerTenantId, partnerName) }))
    },

    /** Legacy license-based lines (provider office), offset-paged as the legacy API is. */
    async licenseItems (partnerTenantId: string, invoiceId: string | null, offset: number, size: number) {
      const query = lineItemsQuery(db, { partnerTenantId, invoiceId, catalog: 'legacy' }).orderBy('ch.id').offset(offset).limit(size + 1)
      return (await query.execute()).map((row) => licenseBasedLineItemOf(row, partnerTenantId))
    },

    /** Legacy Azure usage lines (provider azure), offset-paged. */
    async azureItems (partnerTenantId: string, partnerName: string, invoiceId: string | null, offset: number, size: number, now: Date) {
      if (invoiceId === null) await accrueUsage(db, partnerTenantId, now)
      const query = usageQuery(db, { partnerTenantId, invoiceId, catalog: 'legacy' }).orderBy('u.id').offset(offset).limit(size + 1)
      return (await query.execute()).map((row) => usageBasedLineItemOf(row, partnerTenantId, partnerName))
    },

    /** The invoice id of the most recently closed period in a currency (the "previous" unbilled period). */
    async previousInvoiceId (partnerTenantId: string, currency: string | undefined) {
      let query = db.selectFrom('invoices').select('id').where('partner_tenant_id', '=', partnerTenantId).orderBy('number', 'desc').limit(1)
      if (currency) query = query.where('currency_code', '=', currency.toUpperCase())
      return (await query.executeTakeFirst())?.id
    },

    /** The statement: a real PDF with the invoice header and one line per customer. */
    async statement (partnerTenantId: string, invoice: InvoiceRow, partnerName: string): Promise<Buffer> {
      const byCustomer = await db.selectFrom('charges as ch').innerJoin('customers as cu', 'cu.id', 'ch.customer_id')
        .select(['cu.company_name', (eb) => eb.fn.sum<string>('ch.amount_minor').as('total'), (eb) => eb.fn.countAll<string>().as('lines')])
        .where('ch.partner_tenant_id', '=', partnerTenantId).where('ch.invoice_id', '=', invoice.id)
        .groupBy('cu.company_name').orderBy('cu.company_name').execute()
      const doc = new PDFDocument({ size: 'A4', margin: 50, info: { Title: `Invoice ${invoice.id}`, Author: 'Partner Center emulator' } })
      const chunks: Buffer[] = []
      doc.on('data', (chunk: Buffer) => chunks.push(chunk))
      const finished = new Promise<void>((resolve) => doc.on('end', () => resolve()))
      doc.fontSize(20).text(`Invoice ${invoice.id}`)
      doc.moveDown().fontSize(11)
      doc.text(`Billed to: ${partnerName}`)
      doc.text(`Invoice date: ${invoice.invoice_date.toISOString().slice(0, 10)}`)
      doc.text(`Billing period: ${invoice.period_start.toISOString().slice(0, 10)} to ${invoice.period_end.toISOString().slice(0, 10)}`)
      doc.moveDown()
      for (const c of byCustomer) doc.text(`${c.company_name}  (${c.lines} lines)  ${invoice.currency_symbol}${fromMinor(BigInt(c.total))}`)
      doc.moveDown().fontSize(13).text(`Total: ${invoice.currency_symbol}${fromMinor(BigInt(invoice.total_minor))} ${invoice.currency_code}`)
      doc.end()
      await finished
      return Buffer.concat(chunks)
    }
  }
}


