// Orders: create directly, list, get, provisioning status, and cancel (PATCH) a customer's orders.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { partnerOf, type AuthPolicy } from '../../auth/policy.js'
import { selfOf } from '../../lib/url.js'
import { collectionOf, ErrorRef, protectedErrors, SeekCollectionSchema } from '../../schemas/common.js'
import {
  CreateOrderSchema, CustomerParams, ListOrdersQuery, OrderParams, OrderSchema, ProvisioningStatusSchema, UpdateOrderSchema
} from './schemas.js'
import { createOrdersService } from './service.js'

// Written by Admin and Sales agents; read also by Helpdesk agents.
const READ: AuthPolicy = { appOnly: true, partnerRoles: ['admin_agent', 'sales_agent', 'helpdesk_agent'] }
const WRITE: AuthPolicy = { appOnly: true, partnerRoles: ['admin_agent', 'sales_agent'] }
// Get order provisioning status: App+User only, Admin agent.
const PROVISIONING: AuthPolicy = { appOnly: false, partnerRoles: ['admin_agent'] }
const errors = { ...protectedErrors, 404: ErrorRef, 409: ErrorRef }
const tags = ['orders']

const orders: FastifyPluginAsyncTypebox = async (app) => {
  const service = createOrdersService(app.db)
  const now = () => app.clock.now()

  app.post('/v1/customers/:customerId/orders', {
    config: { auth: WRITE },
    schema: {
      operationId: 'createOrder', tags, summary: 'Create an order directly',
      params: CustomerParams, body: CreateOrderSchema,
      response: { 201: OrderSchema, ...errors }
    }
  }, async (request, reply) => {
    reply.code(201)
    return service.create(partnerOf(request), request.params.customerId, request.body, await now())
  })

  app.get('/v1/customers/:customerId/orders', {
    config: { auth: READ },
    schema: {
      operationId: 'listOrders', tags, summary: 'Orders of a customer (billingType: onetime, monthly, annual...)',
      params: CustomerParams, querystring: ListOrdersQuery,
      response: { 200: SeekCollectionSchema(OrderSchema, 'Orders'), ...errors }
    }
  }, async (request) => collectionOf(await service.list(partnerOf(request), request.params.customerId, request.query.billingType, request.query.include_price), selfOf(request)))

  app.get('/v1/customers/:customerId/orders/:orderId', {
    config: { auth: READ },
    schema: {
      operationId: 'getOrder', tags, summary: 'Get an order',
      params: OrderParams, querystring: ListOrdersQuery,
      response: { 200: OrderSchema, ...errors }
    }
  }, async (request) => service.get(partnerOf(request), request.params.customerId, request.params.orderId, request.query.include_price))

  app.get('/v1/customers/:customerId/orders/:orderId/provisioningstatus', {
    config: { auth: PROVISIONING },
    schema: {
      operationId: 'getOrderProvisioningStatus', tags, summary: 'Provisioning status of each order line',
      params: OrderParams,
      response: { 200: SeekCollectionSchema(ProvisioningStatusSchema, 'Provisioning status'), ...errors }
    }
  }, async (request) => {
    const lines = await service.provisioningStatus(partnerOf(request), request.params.customerId, request.params.orderId)
    return collectionOf(lines, selfOf(request))
  })

  app.patch('/v1/customers/:customerId/orders/:orderId', {
    config: { auth: WRITE },
    schema: {
      operationId: 'updateOrder', tags, summary: 'Cancel an order inside its cancellation window',
      params: OrderParams, body: UpdateOrderSchema,
      response: { 200: OrderSchema, ...errors }
    }
  }, async (request) => service.cancel(partnerOf(request), request.params.customerId, request.params.orderId, await now()))
}

export default orders
