// Billing: invoices (from closed billing periods, never fixtures), balances, the PDF statement, and
// line items, billed on an invoice or unbilled (current: not invoiced yet; previous: the last closed
// period). New-commerce line items are seek-paged; the legacy providers (office, azure) by offset.
import type { Kysely } from 'kysely'
import { dailyRatedUsageOf, licenseBasedLineItemOf, oneTimeLineItemOf, usageBasedLineItemOf } from '../../billing/line-items.js'
import { createBillingRepository, type LineScope, type UsageRow } from '../../billing/repository.js'
import { accrueUsage } from '../../billing/usage.js'
import type { Database, InvoiceRow } from '../../db/schema.js'
import { commerceNotFound, invalidRequest } from '../../errors.js'
import { amountOf as money, fromMinor } from '../../lib/money.js'
import { seekCollection, seekStart } from '../../lib/paging.js'
import { pathOf } from '../../lib/url.js'
import { link } from '../../schemas/common.js'
import { createInvoicesRepository } from './repository.js'
import { MAX_PAGE, type LineItemsQueryValue } from './schemas.js'

type Summary = Awaited<ReturnType<ReturnType<typeof createInvoicesRepository>['summaries']>>[number]

const isKey = (v: unknown): v is string => typeof v === 'string' && /^\d+$/.test(v)

export function createBillingService (db: Kysely<Database>) {
  const invoices = createInvoicesRepository(db)
  const billing = createBillingRepository(db)

  async function mustFind (partnerTenantId: string, invoiceId: string) {
    const row = await invoices.find(partnerTenantId, invoiceId.replace(/^OneTime-/i, '').toUpperCase())
    if (!row) throw commerceNotFound('Invoice', invoiceId)
    return row
  }

  return {
    /** Newest first, offset-paged. */
    async list (partnerTenantId: string, offset: number, size: number, self: string) {
      const rows = await invoices.list(partnerTenantId, offset, size)
      const page = rows.slice(0, size)
      const next = rows.length > size ? { next: link(`/invoices?size=${size}&offset=${offset + size}`) } : {}
      return { totalCount: page.length, items: page.map((r) => invoiceOf(r)), links: { self: link(self), ...next }, attributes: { objectType: 'Collection' } }
    },

    /** Balance per currency invoiced (the summary shows the first). */
    async summaries (partnerTenantId: string, now: Date) {
      return (await invoices.summaries(partnerTenantId)).map((s) => summaryOf(s, now))
    },

    async summary (partnerTenantId: string, now: Date) {
      return summaryOf((await invoices.summaries(partnerTenantId))[0], now)
    },

    async get (partnerTenantId: string, invoiceId: string) {
      return invoiceOf(await mustFind(partnerTenantId, invoiceId), true)
    },

    /** The statement: a real PDF with the invoice header and one line per customer. */
    async statement (partnerTenantId: string, invoiceId: string): Promise<{ id: string, pdf: Buffer }> {
      const invoice = await mustFind(partnerTenantId, invoiceId)
      const partnerName = await invoices.partnerName(partnerTenantId)
      return { id: invoice.id, pdf: await statementPdf(invoice, partnerName, await invoices.totalsByCustomer(partnerTenantId, invoice.id)) }
    },

    /** The line items of an invoice, by provider and type. */
    async lineItems (partnerTenantId: string, invoiceId: string, query: LineItemsQueryValue, token: string | undefined, self: string, now: Date) {
      const invoice = await mustFind(partnerTenantId, invoiceId)
      return lineItemsPage(partnerTenantId, invoice.id, query, token, self, now)
    },

    /** Unbilled reconciliation: current (not invoiced yet) or previous (the last closed period). */
    async unbilledLineItems (partnerTenantId: string, query: LineItemsQueryValue, token: string | undefined, self: string, now: Date) {
      const period = query.period?.toLowerCase()
      if (period !== 'current' && period !== 'previous') throw invalidRequest('period must be current or previous.')
      if (!query.currencycode) throw invalidRequest('currencycode is required for unbilled line items.')
      const invoiceId = period === 'current' ? null : await billing.latestInvoiceId(partnerTenantId, query.currencycode) ?? ''
      return lineItemsPage(partnerTenantId, invoiceId, query, token, self, now)
    }
  }

  /** A page of line items of an invoice, or of none (`null`: unbilled; `''`: a previous period that does not exist). */
  async function lineItemsPage (partnerTenantId: string, invoiceId: string | null, query: LineItemsQueryValue, token: string | undefined, self: string, now: Date) {
    const provider = query.provider.toLowerCase().replace('_', '')
    const type = query.invoicelineitemtype.toLowerCase().replace(/_/g, '')
    if (!['onetime', 'office', 'azure', 'marketplace'].includes(provider)) throw invalidRequest('provider must be onetime, office or azure.')
    if (!['billinglineitems', 'usagelineitems'].includes(type)) throw invalidRequest('invoicelineitemtype must be billinglineitems or usagelineitems.')
    const size = query.size ?? MAX_PAGE
    const path = pathOf(self)
    const base = `${path}?provider=${query.provider}&invoicelineitemtype=${query.invoicelineitemtype}` +
      `${query.currencycode ? `&currencycode=${query.currencycode}` : ''}${query.period ? `&period=${query.period}` : ''}&size=${size}&seekOperation=Next`
    if (invoiceId === '') return seekCollection([], size, { keyOf: () => '', filter: undefined, item: (x: never) => x, self, next: base })
    const scope = (catalog: LineScope['catalog']): LineScope => ({ partnerTenantId, invoiceId, catalog })
    /** Usage is metered up to now before unbilled usage is read. */
    const usageScope = async (catalog: LineScope['catalog']) => {
      if (invoiceId === null) await accrueUsage(billing, partnerTenantId, now)
      return scope(catalog)
    }
    // Legacy providers page by offset: office = license-based lines, azure = legacy Azure usage.
    if (provider === 'office' || provider === 'azure') {
      const offset = query.offset ?? 0
      const rows: object[] = type !== 'billinglineitems'
        ? []
        : provider === 'office'
          ? (await billing.chargesAt(scope('legacy'), offset, size)).map((row) => licenseBasedLineItemOf(row, partnerTenantId))
          : await usageBasedItems(partnerTenantId, await billing.usageAt(await usageScope('legacy'), offset, size))
      const next = `${path}?provider=${query.provider}&invoicelineitemtype=${query.invoicelineitemtype}&size=${size}&offset=${offset + size}`
      return {
        totalCount: Math.min(rows.length, size),
        items: rows.slice(0, size),
        links: { self: link(self), ...(rows.length > size ? { next: link(next) } : {}) },
        attributes: { objectType: 'Collection' }
      }
    }
    const { after } = seekStart(query, token, { isKey, parseFilter: () => undefined, isFilter: (_v): _v is undefined => false })
    const rows: Array<{ key: string, item: object }> = type === 'usagelineitems'
      ? await dailyRatedItems(partnerTenantId, await billing.usageAfter(await usageScope('new'), query.currencycode, after, size))
      : (await billing.chargesAfter(scope('new'), query.currencycode, after, size))
          .map((row) => ({ key: String(row.id), item: oneTimeLineItemOf(row, partnerTenantId) }))
    return seekCollection(rows, size, { keyOf: (r) => r.key, filter: undefined, item: (r) => r.item, self, next: base })
  }

  /** Usage line items name the partner: read only for them. */
  async function usageBasedItems (partnerTenantId: string, rows: UsageRow[]) {
    const partnerName = await invoices.partnerName(partnerTenantId)
    return rows.map((row) => usageBasedLineItemOf(row, partnerTenantId, partnerName))
  }

  async function dailyRatedItems (partnerTenantId: string, rows: UsageRow[]) {
    const partnerName = await invoices.partnerName(partnerTenantId)
    return rows.map((row) => ({ key: String(row.id), item: dailyRatedUsageOf(row, partnerTenantId, partnerName) }))
  }
}

function invoiceOf (row: InvoiceRow, withPdf = false) {
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
    // The invoice's own link names its type, as recorded (`/invoices/Recurring-D030001TFO` in
    // SessionRecords/GetInvoiceById.json; `/invoices/OneTime-G000024135` on Invoice resources).
    links: { self: link(`/invoices/OneTime-${row.id}`) },
    attributes: { objectType: 'Invoice' }
  }
}

function summaryOf (s: Summary | undefined, accountingDate: Date) {
  const balance = s ? money(s.balance) : 0
  const currencyCode = s?.currency_code ?? 'USD'
  const iso = (d: unknown) => d ? new Date(d as string | Date).toISOString() : null
  return {
    balanceAmount: balance,
    currencyCode,
    currencySymbol: s?.currency_symbol ?? '$',
    accountingDate: accountingDate.toISOString(),
    firstInvoiceCreationDate: iso(s?.first),
    latestInvoiceDate: iso(s?.latest),
    lastPaymentDate: null,
    lastPaymentAmount: 0,
    details: [{ invoiceType: 'OneTime', summary: { balanceAmount: balance, currencyCode } }],
    attributes: { objectType: 'InvoiceSummary' }
  }
}

async function statementPdf (invoice: InvoiceRow, partnerName: string, byCustomer: Array<{ company_name: string, total: string, lines: string }>): Promise<Buffer> {
  // Loaded on first use: pdfkit takes a tenth of a second to import, which every start would pay.
  const { default: PDFDocument } = await import('pdfkit')
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
