// Subscriptions: list (by order, by indirect reseller), get, add-ons, and PATCH a customer's subscriptions.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { partnerOf, type AuthPolicy } from '../../auth/policy.js'
import { selfOf } from '../../lib/url.js'
import { collectionOf, ErrorRef, protectedErrors, SeekCollectionSchema } from '../../schemas/common.js'
import {
  CustomerParams, IfMatchHeaders, ListSubscriptionsQuery, SubscriptionParams, SubscriptionSchema, UpdateSubscriptionSchema
} from './schemas.js'
import { createSubscriptionsService } from './service.js'

// Written by Admin and Sales agents; read also by Helpdesk agents.
const READ: AuthPolicy = { appOnly: true, partnerRoles: ['admin_agent', 'sales_agent', 'helpdesk_agent'] }
const WRITE: AuthPolicy = { appOnly: true, partnerRoles: ['admin_agent', 'sales_agent'] }
const errors = { ...protectedErrors, 404: ErrorRef, 409: ErrorRef }
const tags = ['subscriptions']

const subscriptions: FastifyPluginAsyncTypebox = async (app) => {
  const service = createSubscriptionsService(app.db)
  const now = () => app.clock.now()

  app.get('/v1/customers/:customerId/subscriptions', {
    config: { auth: READ },
    schema: {
      operationId: 'listSubscriptions', tags, summary: 'Subscriptions of a customer (by order with order_id, by indirect reseller with mpn_id)',
      params: CustomerParams, querystring: ListSubscriptionsQuery,
      response: { 200: SeekCollectionSchema(SubscriptionSchema, 'Subscriptions'), ...errors }
    }
  }, async (request) => {
    const filter = { orderId: request.query.order_id, mpnId: request.query.mpn_id }
    return collectionOf(await service.list(partnerOf(request), request.params.customerId, filter, await now()), selfOf(request))
  })

  app.get('/v1/customers/:customerId/subscriptions/:subscriptionId/addons', {
    config: { auth: READ },
    schema: {
      operationId: 'listSubscriptionAddons', tags, summary: 'Add-ons bought onto a subscription',
      params: SubscriptionParams,
      response: { 200: SeekCollectionSchema(SubscriptionSchema, 'Add-on subscriptions'), ...errors }
    }
  }, async (request) => {
    const addOns = await service.addOns(partnerOf(request), request.params.customerId, request.params.subscriptionId, await now())
    return collectionOf(addOns, selfOf(request))
  })

  app.get('/v1/customers/:customerId/subscriptions/:subscriptionId', {
    config: { auth: READ },
    schema: {
      operationId: 'getSubscription', tags, summary: 'Get a subscription',
      params: SubscriptionParams,
      response: { 200: SubscriptionSchema, ...errors }
    }
  }, async (request) => service.get(partnerOf(request), request.params.customerId, request.params.subscriptionId, await now()))

  app.patch('/v1/customers/:customerId/subscriptions/:subscriptionId', {
    config: { auth: WRITE },
    schema: {
      operationId: 'updateSubscription', tags, summary: 'Change quantity, status, auto-renew, friendly name or the changes scheduled at renewal',
      description: 'status suspended/active suspends and reactivates; deleted cancels (only inside the cancellation window, else 900117). ' +
        'Quantity outside min/max 2002; while suspended 800091; cancelled subscriptions 2011. If-Match is optional; a stale one is 400 with code 2055. ' +
        'A status change of an Azure plan subscription is a slow change: 202 with Location (the subscription) and Retry-After. ' +
        'scheduledNextTermInstructions (same product; needs auto-renew) applies at the next renewal; null removes it; an immediate quantity change drops it. ' +
        'An expired subscription is 400.',
      params: SubscriptionParams, headers: IfMatchHeaders, body: UpdateSubscriptionSchema,
      response: { 200: SubscriptionSchema, 202: Type.Null(), ...errors }
    }
  }, async (request, reply) => {
    const { customerId, subscriptionId } = request.params
    const { subscription, slow } = await service.update(partnerOf(request), customerId, subscriptionId, request.headers['if-match'], request.body, await now())
    // A slow change answers 202; the client polls the Location.
    if (slow) return reply.code(202).header('Location', `/customers/${customerId}/subscriptions/${subscription.id}`).header('Retry-After', '5').send(null)
    return subscription
  })
}

export default subscriptions
