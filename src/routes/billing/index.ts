// Billing and reconciliation: invoices (offset paging), invoice by id, summary and summaries, the PDF
// statement, billed line items and unbilled reconciliation (seek paging). Invoices come from closing a
// billing period (POST /_emulator/billing/close), never from fixtures.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyRequest } from 'fastify'
import { Type, type Static } from 'typebox'
import { invalidRequest } from '../../errors.js'
import { seekCollection, seekStart } from '../../lib/paging.js'
import { pathOf, selfOf } from '../../lib/url.js'
import { partnerOf, type AuthPolicy } from '../../plugins/auth/index.js'
import { AttributesSchema, ErrorRef, link, LinkSchema, protectedErrors, SeekCollectionSchema } from '../../schemas/common.js'
import { createBillingService, invoiceOf, money } from './service.js'

// Reference §2.5/§2.7: billing is for Admin agents, Billing admins and Global admins; some reads are AU-only.
const BILLING: AuthPolicy = { appOnly: true, partnerRoles: ['admin_agent', 'billing_admin', 'global_admin'] }
const BILLING_AU: AuthPolicy = { appOnly: false, partnerRoles: ['admin_agent', 'billing_admin', 'global_admin'] }
const tags = ['billing']
const errors = { ...protectedErrors, 404: ErrorRef }
const MAX_PAGE = 2000

const InvoiceSchema = Type.Object({
  id: Type.String(),
  invoiceDate: Type.String(),
  billingPeriodStartDate: Type.String(),
  billingPeriodEndDate: Type.String(),
  totalCharges: Type.Number(),
  paidAmount: Type.Number(),
  currencyCode: Type.String(),
  currencySymbol: Type.String(),
  pdfDownloadLink: Type.Optional(Type.String()),
  invoiceDetails: Type.Array(Type.Object({ invoiceLineItemType: Type.String(), billingProvider: Type.String(), links: Type.Object({ self: LinkSchema }), attributes: AttributesSchema('InvoiceDetail') })),
  amendments: Type.Array(Type.Unknown()),
  documentType: Type.String(),
  invoiceType: Type.String(),
  links: Type.Object({ self: LinkSchema }),
  attributes: AttributesSchema('Invoice')
})

const SummarySchema = Type.Object({
  balanceAmount: Type.Number(),
  currencyCode: Type.String(),
  currencySymbol: Type.String(),
  accountingDate: Type.String(),
  firstInvoiceCreationDate: Type.Union([Type.String(), Type.Null()]),
  latestInvoiceDate: Type.Union([Type.String(), Type.Null()]),
  lastPaymentDate: Type.Null(),
  lastPaymentAmount: Type.Number(),
  details: Type.Array(Type.Object({ invoiceType: Type.String(), summary: Type.Object({ balanceAmount: Type.Number(), currencyCode: Type.String() }) })),
  attributes: AttributesSchema('InvoiceSummary')
})

const LineItemSchema = Type.Object({
  invoiceLineItemType: Type.String({ description: 'billing_line_items or usage_line_items' }),
  billingProvider: Type.String({ description: 'one_time, office, azure, marketplace' }),
  attributes: AttributesSchema('OneTimeInvoiceLineItem, DailyRatedUsageLineItem, LicenseBasedLineItem or UsageBasedLineItem')
}, { additionalProperties: true, description: 'A line item, by invoiceLineItemType and billingProvider: OneTimeInvoiceLineItem (billing_line_items, one_time), DailyRatedUsageLineItem (usage_line_items, marketplace), LicenseBasedLineItem (billing_line_items, office), UsageBasedLineItem (billing_line_items, azure); fields of reference §5.2' })

const LineItemsQuery = Type.Object({
  provider: Type.String({ description: 'onetime (new commerce), office or azure (legacy)' }),
  invoicelineitemtype: Type.String({ description: 'billinglineitems or usagelineitems' }),
  currencycode: Type.Optional(Type.String({ pattern: '^[A-Za-z]{3}$' })),
  size: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_PAGE })),
  offset: Type.Optional(Type.Integer({ minimum: 0 })),
  seekOperation: Type.Optional(Type.String()),
  period: Type.Optional(Type.String({ description: 'Unbilled only: current or previous' }))
})
type LineItemsQueryValue = Static<typeof LineItemsQuery>
const LineItemsHeaders = Type.Object({ 'ms-continuationtoken': Type.Optional(Type.String({ maxLength: 4096 })) })
const isKey = (v: unknown): v is string => typeof v === 'string' && /^\d+$/.test(v)

const billing: FastifyPluginAsyncTypebox = async (app) => {
  const service = createBillingService(app.db)

  const partnerName = async (request: FastifyRequest) =>
    (await app.db.selectFrom('partner_tenants').select('name').where('id', '=', partnerOf(request)).executeTakeFirstOrThrow()).name

  /** Line items of one invoice (or of none: unbilled), by provider and type. */
  async function lineItems (request: FastifyRequest, invoiceId: string | null, query: LineItemsQueryValue, token: string | undefined) {
    const provider = query.provider.toLowerCase().replace('_', '')
    const type = query.invoicelineitemtype.toLowerCase().replace(/_/g, '')
    if (!['onetime', 'office', 'azure', 'marketplace'].includes(provider)) throw invalidRequest('provider must be onetime, office or azure.')
    if (!['billinglineitems', 'usagelineitems'].includes(type)) throw invalidRequest('invoicelineitemtype must be billinglineitems or usagelineitems.')
    const size = query.size ?? MAX_PAGE
    const base = `${pathOf(selfOf(request))}?provider=${query.provider}&invoicelineitemtype=${query.invoicelineitemtype}` +
      `${query.currencycode ? `&currencycode=${query.currencycode}` : ''}${query.period ? `&period=${query.period}` : ''}&size=${size}&seekOperation=Next`
    if (invoiceId === '') return seekCollection([], size, { keyOf: () => '', filter: undefined, item: (x: never) => x, self: selfOf(request), next: base })
    // Legacy providers page by offset: office = license-based lines, azure = legacy Azure usage.
    if (provider === 'office' || provider === 'azure') {
      const offset = query.offset ?? 0
      const rows: object[] = type !== 'billinglineitems'
        ? []
        : provider === 'office'
          ? await service.licenseItems(partnerOf(request), invoiceId, offset, size)
          : await service.azureItems(partnerOf(request), await partnerName(request), invoiceId, offset, size, await app.clock.now())
      const next = `${pathOf(selfOf(request))}?provider=${query.provider}&invoicelineitemtype=${query.invoicelineitemtype}&size=${size}&offset=${offset + size}`
      return {
        totalCount: Math.min(rows.length, size),
        items: rows.slice(0, size),
        links: { self: link(selfOf(request)), ...(rows.length > size ? { next: link(next) } : {}) },
        attributes: { objectType: 'Collection' }
      }
    }
    const { after } = seekStart(query, token, { isKey, parseFilter: () => undefined, isFilter: (_v): _v is undefined => false })
    const rows: Array<{ key: string, item: object }> = type === 'usagelineitems'
      ? await service.usageItems(partnerOf(request), await partnerName(request), invoiceId, query.currencycode, after, size, await app.clock.now())
      : await service.lineItems(partnerOf(request), invoiceId, query.currencycode, after, size)
    return seekCollection(rows, size, { keyOf: (r) => r.key, filter: undefined, item: (r) => r.item, self: selfOf(request), next: base })
  }

  app.get('/v1/invoices', {
    config: { auth: BILLING },
    schema: {
      operationId: 'listInvoices', tags, summary: 'Invoices, newest first (offset paging)',
      querystring: Type.Object({ size: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })), offset: Type.Optional(Type.Integer({ minimum: 0 })) }),
      response: { 200: SeekCollectionSchema(InvoiceSchema, 'Invoices'), ...errors }
    }
  }, async (request) => {
    const size = request.query.size ?? 200
    const offset = request.query.offset ?? 0
    const rows = await service.listInvoices(partnerOf(request), offset, size)
    const page = rows.slice(0, size)
    return {
      totalCount: page.length,
      items: page.map((r) => invoiceOf(r)),
      links: { self: link(selfOf(request)), ...(rows.length > size ? { next: link(`/invoices?size=${size}&offset=${offset + size}`) } : {}) },
      attributes: { objectType: 'Collection' }
    }
  })

  const summaryOf = (s: Awaited<ReturnType<typeof service.summaries>>[number] | undefined, accountingDate: Date) => {
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

  app.get('/v1/invoices/summary', {
    config: { auth: BILLING },
    schema: { operationId: 'getInvoiceSummary', tags, summary: 'Account balance (the first currency invoiced)', response: { 200: SummarySchema, ...errors } }
  }, async (request) => summaryOf((await service.summaries(partnerOf(request)))[0], await app.clock.now()))

  app.get('/v1/invoices/summaries', {
    config: { auth: BILLING_AU },
    schema: { operationId: 'listInvoiceSummaries', tags, summary: 'Balance per currency', response: { 200: SeekCollectionSchema(SummarySchema, 'Invoice summaries'), ...errors } }
  }, async (request) => {
    const now = await app.clock.now()
    const items = (await service.summaries(partnerOf(request))).map((s) => summaryOf(s, now))
    return { totalCount: items.length, items, links: { self: link(selfOf(request)) }, attributes: { objectType: 'Collection' } }
  })

  app.get('/v1/invoices/unbilled/lineitems', {
    config: { auth: BILLING },
    schema: {
      operationId: 'listUnbilledLineItems', tags, summary: 'Unbilled reconciliation: current (not invoiced yet) or previous (the last closed period)',
      querystring: LineItemsQuery, headers: LineItemsHeaders, response: { 200: SeekCollectionSchema(LineItemSchema, 'Line items'), ...errors }
    }
  }, async (request) => {
    const period = request.query.period?.toLowerCase()
    if (period !== 'current' && period !== 'previous') throw invalidRequest('period must be current or previous.')
    if (!request.query.currencycode) throw invalidRequest('currencycode is required for unbilled line items.')
    const invoiceId = period === 'current' ? null : await service.previousInvoiceId(partnerOf(request), request.query.currencycode) ?? ''
    return lineItems(request, invoiceId, request.query, request.headers['ms-continuationtoken'])
  })

  app.get('/v1/invoices/:invoiceId', {
    config: { auth: BILLING_AU },
    schema: { operationId: 'getInvoice', tags, summary: 'An invoice (with its PDF link)', params: Type.Object({ invoiceId: Type.String() }), response: { 200: InvoiceSchema, ...errors } }
  }, async (request) => invoiceOf(await service.mustGetInvoice(partnerOf(request), request.params.invoiceId), true))

  app.get('/v1/invoices/:invoiceId/documents/statement', {
    config: { auth: BILLING_AU },
    schema: { operationId: 'getInvoiceStatement', tags, summary: 'The invoice statement (application/pdf)', params: Type.Object({ invoiceId: Type.String() }), response: { ...errors } }
  }, async (request, reply) => {
    const invoice = await service.mustGetInvoice(partnerOf(request), request.params.invoiceId)
    const pdf = await service.statement(partnerOf(request), invoice, await partnerName(request))
    return reply.type('application/pdf').header('Content-Disposition', `attachment; filename="${invoice.id}.pdf"`).send(pdf)
  })

  app.get('/v1/invoices/:invoiceId/lineitems', {
    config: { auth: BILLING },
    schema: {
      operationId: 'listInvoiceLineItems', tags, summary: 'Billed line items of an invoice (provider onetime: seek paging)',
      params: Type.Object({ invoiceId: Type.String() }), querystring: LineItemsQuery, headers: LineItemsHeaders,
      response: { 200: SeekCollectionSchema(LineItemSchema, 'Line items'), ...errors }
    }
  }, async (request) => {
    const invoice = await service.mustGetInvoice(partnerOf(request), request.params.invoiceId)
    return lineItems(request, invoice.id, request.query, request.headers['ms-continuationtoken'])
  })

  app.get('/v1/invoices/:invoiceId/lineitems/:billingProvider/:invoiceLineItemType', {
    config: { auth: BILLING },
    schema: {
      operationId: 'listInvoiceLineItemsByPath', tags, summary: 'Billed line items, path form (e.g. /lineitems/OneTime/BillingLineItems)',
      params: Type.Object({ invoiceId: Type.String(), billingProvider: Type.String(), invoiceLineItemType: Type.String() }),
      querystring: Type.Omit(LineItemsQuery, ['provider', 'invoicelineitemtype']), headers: LineItemsHeaders,
      response: { 200: SeekCollectionSchema(LineItemSchema, 'Line items'), ...errors }
    }
  }, async (request) => {
    const invoice = await service.mustGetInvoice(partnerOf(request), request.params.invoiceId)
    return lineItems(request, invoice.id, { ...request.query, provider: request.params.billingProvider, invoicelineitemtype: request.params.invoiceLineItemType },
      request.headers['ms-continuationtoken'])
  })
}

export default billing
