// Graph GDAP delegated admin customers: /v1.0/tenantRelationships/delegatedAdminCustomers.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { partnerOf, type AuthPolicy } from '../../auth/policy.js'
import { GDAP_READ } from '../../gdap/permissions.js'
import type { Config } from '../../config.js'
import { graphErrors } from '../../schemas/graph.js'
import { CustomerParams, DelegatedAdminCustomerSchema, GraphCollection, ListQuery, ServiceManagementDetailSchema } from './schemas.js'
import { createDelegatedCustomersService } from './service.js'

// Read by the roles that read GDAP relationships; app-only allowed.
const READ: AuthPolicy = { appOnly: true, partnerRoles: ['admin_agent', 'global_admin', 'security_admin'], permissions: GDAP_READ }
const CUSTOMERS = '/v1.0/tenantRelationships/delegatedAdminCustomers'
const tags = ['gdap']

const delegatedCustomers: FastifyPluginAsyncTypebox<{ config: Config }> = async (app, { config }) => {
  const service = createDelegatedCustomersService(app.db, config.PUBLIC_BASE_URL)
  const now = () => app.clock.now()

  app.get(CUSTOMERS, {
    config: { auth: READ },
    schema: {
      operationId: 'listDelegatedAdminCustomers', tags, summary: 'Customers with at least one active relationship',
      querystring: ListQuery,
      response: { 200: GraphCollection(DelegatedAdminCustomerSchema), ...graphErrors }
    }
  }, async (request) => service.list(partnerOf(request), request.query, request.url, await now()))

  app.get(`${CUSTOMERS}/:customerId`, {
    config: { auth: READ },
    schema: {
      operationId: 'getDelegatedAdminCustomer', tags, summary: 'Get a delegated admin customer',
      params: CustomerParams,
      response: { 200: DelegatedAdminCustomerSchema, ...graphErrors }
    }
  }, async (request) => service.get(partnerOf(request), request.params.customerId, await now()))

  app.get(`${CUSTOMERS}/:customerId/serviceManagementDetails`, {
    config: { auth: READ },
    schema: {
      operationId: 'listServiceManagementDetails', tags, summary: 'Admin portals of a delegated admin customer',
      params: CustomerParams, querystring: ListQuery,
      response: { 200: GraphCollection(ServiceManagementDetailSchema), ...graphErrors }
    }
  }, async (request) => service.serviceManagementDetails(partnerOf(request), request.params.customerId, request.query, request.url, await now()))
}

export default delegatedCustomers
