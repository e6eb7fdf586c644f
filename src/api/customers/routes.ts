// Customer management: /v1/customers, its profiles, and the domain availability check.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { partnerOf, type AuthPolicy } from '../../auth/policy.js'
import { selfOf } from '../../lib/url.js'
import { ErrorRef, protectedErrors } from '../../schemas/common.js'
import {
  BillingIfMatchHeaders, BillingProfileSchema, CompanyProfileSchema, ContinuationHeaders, CreateCustomerSchema, CustomerCollectionSchema,
  CustomerParams, CustomerSchema, DomainParams, ListCustomersQuery, UpdateBillingProfileSchema, UpdateCustomerSchema
} from './schemas.js'
import { createCustomersService } from './service.js'

// Partner roles: customers are read by Admin, Sales and Helpdesk agents, written by Admin and Sales agents.
const READ: AuthPolicy = { appOnly: true, partnerRoles: ['admin_agent', 'sales_agent', 'helpdesk_agent'] }
const WRITE: AuthPolicy = { appOnly: true, partnerRoles: ['admin_agent', 'sales_agent'] }
const tags = ['customers']

const customers: FastifyPluginAsyncTypebox = async (app) => {
  const service = createCustomersService(app.db)

  app.post('/v1/customers', {
    config: { auth: WRITE },
    schema: {
      operationId: 'createCustomer', tags, summary: 'Create a customer',
      description: 'Creates a customer tenant with the given initial domain. The response carries the first admin credentials. ' +
        'Idempotent on MS-RequestId: a retry gets the first answer.',
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
      operationId: 'listCustomers', tags, summary: 'List customers',
      description: 'Seek-paged list of the partner\'s customers in company-name order. Filter with starts_with on CompanyName or Domain; ' +
        'for the next page send seekOperation=Next and the MS-ContinuationToken header from links.next.',
      querystring: ListCustomersQuery, headers: ContinuationHeaders,
      response: { 200: CustomerCollectionSchema, ...protectedErrors }
    }
  }, async (request) => service.list(partnerOf(request), request.query, request.headers['ms-continuationtoken'], selfOf(request)))

  app.get('/v1/customers/:customerId', {
    config: { auth: READ },
    schema: {
      operationId: 'getCustomer', tags, summary: 'Get a customer by id',
      params: CustomerParams,
      response: { 200: CustomerSchema, ...protectedErrors, 404: ErrorRef }
    }
  }, async (request) => service.get(partnerOf(request), request.params.customerId))

  app.patch('/v1/customers/:customerId', {
    // "Remove a reseller relationship with a customer": App+User only.
    config: { auth: { ...WRITE, appOnly: false } },
    schema: {
      operationId: 'removeResellerRelationship', tags, summary: 'Remove the reseller relationship with a customer',
      description: 'Body {"relationshipToPartner":"none"}. Azure reservations must be cancelled and every subscription suspended first (400 otherwise). ' +
        'Afterwards the customer is no longer the partner\'s: it answers 404 and leaves the lists.',
      params: CustomerParams, body: UpdateCustomerSchema,
      response: { 200: CustomerSchema, ...protectedErrors, 404: ErrorRef }
    }
  }, async (request) => service.removeRelationship(partnerOf(request), request.params.customerId, request.body, await app.clock.now()))

  app.delete('/v1/customers/:customerId', {
    config: { auth: WRITE },
    schema: {
      operationId: 'deleteSandboxCustomer', tags, summary: 'Delete a customer from the integration sandbox',
      description: 'Integration sandbox (Testing in Production) accounts only: 403 for other partners. Azure reservations and software ' +
        'purchases must be cancelled first. 204 with no body; the customer\'s domain becomes available again.',
      params: CustomerParams,
      response: { 204: Type.Null(), ...protectedErrors, 404: ErrorRef }
    }
  }, async (request, reply) => {
    await service.deleteFromSandbox(partnerOf(request), request.params.customerId, await app.clock.now())
    return reply.code(204).send(null)
  })

  app.get('/v1/customers/:customerId/profiles/company', {
    // App+User only in the reference.
    config: { auth: { ...READ, appOnly: false } },
    schema: {
      operationId: 'getCustomerCompanyProfile', tags, summary: 'Get a customer\'s company profile',
      params: CustomerParams,
      response: { 200: CompanyProfileSchema, ...protectedErrors, 404: ErrorRef }
    }
  }, async (request) => service.companyProfile(partnerOf(request), request.params.customerId))

  app.get('/v1/customers/:customerId/profiles/billing', {
    config: { auth: READ },
    schema: {
      operationId: 'getCustomerBillingProfile', tags, summary: 'Get a customer\'s billing profile',
      description: 'The ETag (attributes.etag, also the ETag header) is needed by If-Match to update it.',
      params: CustomerParams,
      response: { 200: BillingProfileSchema, ...protectedErrors, 404: ErrorRef }
    }
  }, async (request, reply) => {
    const profile = await service.billingProfile(partnerOf(request), request.params.customerId)
    reply.header('ETag', `"${profile.attributes.etag}"`)
    return profile
  })

  app.put('/v1/customers/:customerId/profiles/billing', {
    config: { auth: WRITE },
    schema: {
      operationId: 'updateCustomerBillingProfile', tags, summary: 'Update a customer\'s billing profile',
      description: 'Replaces the billing profile. If-Match with the current ETag is required: without it, or when it is stale, 400 with code 2055.',
      params: CustomerParams, headers: BillingIfMatchHeaders, body: UpdateBillingProfileSchema,
      response: { 200: BillingProfileSchema, ...protectedErrors, 404: ErrorRef }
    }
  }, async (request, reply) => {
    const { customerId } = request.params
    const profile = await service.updateBillingProfile(partnerOf(request), customerId, request.headers['if-match'], request.body)
    reply.header('ETag', `"${profile.attributes.etag}"`)
    return profile
  })

  app.head('/v1/domains/:domain', {
    // @fastify/swagger lists HEAD routes only on request (its operationId gets a "-head" suffix).
    config: { auth: READ, swagger: { exposeHeadRoute: true } },
    schema: {
      operationId: 'checkDomain', tags, summary: 'Check whether a domain is taken',
      description: '200 when a tenant already uses the domain, 404 when it is available.',
      params: DomainParams,
      response: { 200: Type.Null(), 404: Type.Null(), ...protectedErrors }
    }
  }, async (request, reply) => reply.code(await service.domainExists(request.params.domain) ? 200 : 404).send(null))
}

export default customers
