// Billing and reconciliation: invoices (offset paging), invoice by id, summary and summaries, the PDF
// statement, billed line items and unbilled reconciliation (seek paging). Invoices come from closing
// a billing period (POST /_emulator/billing/close), never from fixtures.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { partnerOf, type AuthPolicy } from '../../auth/policy.js'
import { selfOf } from '../../lib/url.js'
import { collectionOf, ErrorRef, protectedErrors, SeekCollectionSchema } from '../../schemas/common.js'
import {
  ContinuationHeaders, InvoiceParams, InvoiceSchema, InvoicesQuery, LineItemSchema, LineItemsPathParams, LineItemsQuery, SummarySchema
} from './schemas.js'
import { createBillingService } from './service.js'

// Billing is for Admin agents, Billing admins and Global admins; some reads are App+User only.
const BILLING: AuthPolicy = { appOnly: true, partnerRoles: ['admin_agent', 'billing_admin', 'global_admin'] }
const BILLING_AU: AuthPolicy = { appOnly: false, partnerRoles: ['admin_agent', 'billing_admin', 'global_admin'] }
const tags = ['billing']
const errors = { ...protectedErrors, 404: ErrorRef }

const billing: FastifyPluginAsyncTypebox = async (app) => {
  const service = createBillingService(app.db)
  const now = () => app.clock.now()

  app.get('/v1/invoices', {
    config: { auth: BILLING },
    schema: {
      operationId: 'listInvoices', tags, summary: 'Invoices, newest first (offset paging)',
      querystring: InvoicesQuery,
      response: { 200: SeekCollectionSchema(InvoiceSchema, 'Invoices'), ...errors }
    }
  }, async (request) => service.list(partnerOf(request), request.query.offset ?? 0, request.query.size ?? 200, selfOf(request)))

  app.get('/v1/invoices/summary', {
    config: { auth: BILLING },
    schema: {
      operationId: 'getInvoiceSummary', tags, summary: 'Account balance (the first currency invoiced)',
      response: { 200: SummarySchema, ...errors }
    }
  }, async (request) => service.summary(partnerOf(request), await now()))

  app.get('/v1/invoices/summaries', {
    config: { auth: BILLING_AU },
    schema: {
      operationId: 'listInvoiceSummaries', tags, summary: 'Balance per currency',
      response: { 200: SeekCollectionSchema(SummarySchema, 'Invoice summaries'), ...errors }
    }
  }, async (request) => collectionOf(await service.summaries(partnerOf(request), await now()), selfOf(request)))

  app.get('/v1/invoices/unbilled/lineitems', {
    config: { auth: BILLING },
    schema: {
      operationId: 'listUnbilledLineItems', tags,
      summary: 'Unbilled reconciliation: current (not invoiced yet) or previous (the last closed period)',
      querystring: LineItemsQuery, headers: ContinuationHeaders,
      response: { 200: SeekCollectionSchema(LineItemSchema, 'Line items'), ...errors }
    }
  }, async (request) => {
    const token = request.headers['ms-continuationtoken']
    return service.unbilledLineItems(partnerOf(request), request.query, token, selfOf(request), await now())
  })

  app.get('/v1/invoices/:invoiceId', {
    config: { auth: BILLING_AU },
    schema: {
      operationId: 'getInvoice', tags, summary: 'An invoice (with its PDF link)',
      params: InvoiceParams,
      response: { 200: InvoiceSchema, ...errors }
    }
  }, async (request) => service.get(partnerOf(request), request.params.invoiceId))

  app.get('/v1/invoices/:invoiceId/documents/statement', {
    config: { auth: BILLING_AU },
    schema: {
      operationId: 'getInvoiceStatement', tags, summary: 'The invoice statement (application/pdf)',
      params: InvoiceParams,
      response: { ...errors }
    }
  }, async (request, reply) => {
    const { id, pdf } = await service.statement(partnerOf(request), request.params.invoiceId)
    return reply.type('application/pdf').header('Content-Disposition', `attachment; filename="${id}.pdf"`).send(pdf)
  })

  app.get('/v1/invoices/:invoiceId/lineitems', {
    config: { auth: BILLING },
    schema: {
      operationId: 'listInvoiceLineItems', tags, summary: 'Billed line items of an invoice (provider onetime: seek paging)',
      params: InvoiceParams, querystring: LineItemsQuery, headers: ContinuationHeaders,
      response: { 200: SeekCollectionSchema(LineItemSchema, 'Line items'), ...errors }
    }
  }, async (request) => {
    const token = request.headers['ms-continuationtoken']
    return service.lineItems(partnerOf(request), request.params.invoiceId, request.query, token, selfOf(request), await now())
  })

  app.get('/v1/invoices/:invoiceId/lineitems/:billingProvider/:invoiceLineItemType', {
    config: { auth: BILLING },
    schema: {
      operationId: 'listInvoiceLineItemsByPath', tags, summary: 'Billed line items, path form (e.g. /lineitems/OneTime/BillingLineItems)',
      params: LineItemsPathParams, querystring: Type.Omit(LineItemsQuery, ['provider', 'invoicelineitemtype']), headers: ContinuationHeaders,
      response: { 200: SeekCollectionSchema(LineItemSchema, 'Line items'), ...errors }
    }
  }, async (request) => {
    const { invoiceId, billingProvider: provider, invoiceLineItemType: invoicelineitemtype } = request.params
    const query = { ...request.query, provider, invoicelineitemtype }
    return service.lineItems(partnerOf(request), invoiceId, query, request.headers['ms-continuationtoken'], selfOf(request), await now())
  })
}

export default billing
