// Carts: create, get, replace the lines of, and check out a customer's cart. Every write is
// idempotent on MS-RequestId (idempotency/plugin.ts).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { partnerOf, type AuthPolicy } from '../../auth/policy.js'
import { ErrorRef, protectedErrors } from '../../schemas/common.js'
import { CartParams, CartSchema, CheckoutResultSchema, CreateCartSchema, CustomerParams } from './schemas.js'
import { createCartsService } from './service.js'

// Written by Admin and Sales agents; read also by Helpdesk agents.
const READ: AuthPolicy = { appOnly: true, partnerRoles: ['admin_agent', 'sales_agent', 'helpdesk_agent'] }
const WRITE: AuthPolicy = { appOnly: true, partnerRoles: ['admin_agent', 'sales_agent'] }
const errors = { ...protectedErrors, 404: ErrorRef, 409: ErrorRef }
const tags = ['carts']

const carts: FastifyPluginAsyncTypebox = async (app) => {
  const service = createCartsService(app.db)
  const now = () => app.clock.now()

  app.post('/v1/customers/:customerId/carts', {
    config: { auth: WRITE },
    schema: {
      operationId: 'createCart', tags, summary: 'Create a cart (lines are priced and grouped into orders)',
      params: CustomerParams, body: CreateCartSchema,
      response: { 201: CartSchema, ...errors }
    }
  }, async (request, reply) => {
    reply.code(201)
    return service.create(partnerOf(request), request.params.customerId, request.body, request.principal!.objectId, await now())
  })

  app.get('/v1/customers/:customerId/carts/:cartId', {
    config: { auth: READ },
    schema: {
      operationId: 'getCart', tags, summary: 'Get a cart',
      params: CartParams,
      response: { 200: CartSchema, ...errors }
    }
  }, async (request) => service.get(partnerOf(request), request.params.customerId, request.params.cartId, await now()))

  app.put('/v1/customers/:customerId/carts/:cartId', {
    config: { auth: WRITE },
    schema: {
      operationId: 'updateCart', tags, summary: 'Replace the lines of an active cart (201, as documented)',
      params: CartParams, body: CreateCartSchema,
      response: { 201: CartSchema, ...errors }
    }
  }, async (request, reply) => {
    reply.code(201)
    const { customerId, cartId } = request.params
    return service.replace(partnerOf(request), customerId, cartId, request.body, request.principal!.objectId, await now())
  })

  app.post('/v1/customers/:customerId/carts/:cartId/checkout', {
    config: { auth: WRITE },
    schema: {
      operationId: 'checkoutCart', tags, summary: 'Check out a cart: one order per order group',
      description: 'Checked out already: 400 (800065); being checked out: 409 (800064); ' +
        'new-commerce items without the Microsoft Customer Agreement: 403 (13605).',
      params: CartParams,
      response: { 201: CheckoutResultSchema, ...errors }
    }
  }, async (request, reply) => {
    reply.code(201)
    return service.checkout(partnerOf(request), request.params.customerId, request.params.cartId, await now())
  })
}

export default carts
