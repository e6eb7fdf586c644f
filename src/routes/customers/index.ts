// Customer management: /v1/customers, its profiles, and the domain availability check.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { partnerOf, type AuthPolicy } from '../../plugins/auth/index.js'
import { selfOf } from '../../lib/url.js'
import { seekCollection, seekStart } from '../../lib/paging.js'
import { ErrorRef, protectedErrors } from '../../schemas/common.js'
import type { CustomerSortKey } from './repository.js'
import {
  BillingProfileSchema, CompanyProfileSchema, CreateCustomerSchema, CustomerCollectionSchema, CustomerParams,
  CustomerSchema, DomainParams, ListCustomersQuery, UpdateBillingProfileSchema
} from './schemas.js'
import {
  billingEtagOf, billingProfileOf, companyProfileOf, createCustomersService, customerOf, isCustomerFilter, parseCustomerFilter
} from './service.js'

// Partner roles from the reference: customers are read by Admin, Sales and Helpdesk agents, written by Admin and Sales agents.
const READ: AuthPolicy = { appOnly: true, partnerRoles: ['admin_agent', 'sales_agent', 'helpdesk_agent'] }
const WRITE: AuthPolicy = { appOnly: true, partnerRoles: ['admin_agent', 'sales_agent'] }
const DEFAULT_PAGE_SIZE = 100

const isSortKey = (v: unknown): v is CustomerSortKey => Array.isArray(v) && v.length === 2 && v.every((x) => typeof x === 'string')

const customers: FastifyPluginAsyncTypebox = async (app) => {
  const service = createCustomersService(app.db)

  app.post('/v1/customers', {
    config: { auth: WRITE },
    schema: {
      operationId: 'createCustomer', tags: ['customers'], summary: 'Create a customer',
      description: 'Creates a customer tenant with the given initial domain. The response carries the first admin credentials. Idempotent on MS-RequestId retries is planned with the commerce APIs.',
      body: CreateCustomerSchema,
      response: { 201: CustomerSchema, ...protectedErrors }
    }
  }, async (request, reply) => {
    reply.code(201)
    return service.create(partnerOf(request), request.body)
  })

  app.get('/v1/customers', {
    config: { auth: READ },
    schema: {
      operationId: 'listCustomers', tags: ['customers'], summary: 'List customers',
      description: 'Seek-paged list of the partner\'s customers in company-name order. Filter with starts_with on CompanyName or Domain; ' +
        'for the next page send seekOperation=Next and the MS-ContinuationToken header from links.next.',
      querystring: ListCustomersQuery,
      headers: Type.Object({ 'ms-continuationtoken': Type.Optional(Type.String({ maxLength: 4096 })) }),
      response: { 200: CustomerCollectionSchema, ...protectedErrors }
    }
  }, async (request) => {
    const size = request.query.size || DEFAULT_PAGE_SIZE
    const { after, filter } = seekStart(request.query, request.headers['ms-continuationtoken'],
      { isKey: isSortKey, parseFilter: parseCustomerFilter, isFilter: isCustomerFilter })
    const rows = await service.listPage(partnerOf(request), size, after, filter)
    return seekCollection(rows, size, {
      keyOf: (row) => [row.company_name, row.id],
      filter,
      item: (row) => customerOf(row, false),
      self: selfOf(request),
      next: `/customers?size=${size}&seekOperation=Next`
    })
  })

  app.get('/v1/customers/:customerId', {
    config: { auth: READ },
    schema: {
      operationId: 'getCustomer', tags: ['customers'], summary: 'Get a customer by id',
      params: CustomerParams,
      response: { 200: CustomerSchema, ...protectedErrors, 404: ErrorRef }
    }
  }, async (request) => customerOf(await service.get(partnerOf(request), request.params.customerId), true))

  app.get('/v1/customers/:customerId/profiles/company', {
    // App+User only in the reference.
    config: { auth: { ...READ, appOnly: false } },
    schema: {
      operationId: 'getCustomerCompanyProfile', tags: ['customers'], summary: 'Get a customer\'s company profile',
      params: CustomerParams,
      response: { 200: CompanyProfileSchema, ...protectedErrors, 404: ErrorRef }
    }
  }, async (request) => companyProfileOf(await service.get(partnerOf(request), request.params.customerId)))

  app.get('/v1/customers/:customerId/profiles/billing', {
    config: { auth: READ },
    schema: {
      operationId: 'getCustomerBillingProfile', tags: ['customers'], summary: 'Get a customer\'s billing profile',
      description: 'The ETag (attributes.etag, also the ETag header) is needed by If-Match to update it.',
      params: CustomerParams,
      response: { 200: BillingProfileSchema, ...protectedErrors, 404: ErrorRef }
    }
  }, async (request, reply) => {
    const row = await service.get(partnerOf(request), request.params.customerId)
    reply.header('ETag', `"${billingEtagOf(row)}"`)
    return billingProfileOf(row)
  })

  app.put('/v1/customers/:customerId/profiles/billing', {
    config: { auth: WRITE },
    schema: {
      operationId: 'updateCustomerBillingProfile', tags: ['customers'], summary: 'Update a customer\'s billing profile',
      description: 'Replaces the billing profile. If-Match with the current ETag is required: 428 without it, 412 when it is stale.',
      params: CustomerParams,
      headers: Type.Object({ 'if-match': Type.Optional(Type.String({ maxLength: 1024 })) }),
      body: UpdateBillingProfileSchema,
      response: { 200: BillingProfileSchema, ...protectedErrors, 404: ErrorRef, 412: ErrorRef, 428: ErrorRef }
    }
  }, async (request, reply) => {
    const row = await service.updateBillingProfile(partnerOf(request), request.params.customerId, request.headers['if-match'], request.body)
    reply.header('ETag', `"${billingEtagOf(row)}"`)
    return billingProfileOf(row)
  })

  app.head('/v1/domains/:domain', {
    // @fastify/swagger lists HEAD routes only on request (its operationId gets a "-head" suffix).
    config: { auth: READ, swagger: { exposeHeadRoute: true } },
    schema: {
      operationId: 'checkDomain', tags: ['customers'], summary: 'Check whether a domain is taken',
      description: '200 when a tenant already uses the domain, 404 when it is available.',
      params: DomainParams,
      response: { 200: Type.Null(), 404: Type.Null(), ...protectedErrors }
    }
  }, async (request, reply) => reply.code(await service.domainExists(request.params.domain) ? 200 : 404).send(null))
}

export default customers
