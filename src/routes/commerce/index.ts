// Transactions: customer agreements, carts (create, get, update, checkout), orders (create, list, get,
// provisioning status, cancel) and subscriptions (list, get, PATCH). Every write is idempotent on
// MS-RequestId (plugins/idempotency.ts).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { agreementTemplates } from '../../catalog/catalog.js'
import { invalidRequest } from '../../errors.js'
import { partnerOf, type AuthPolicy } from '../../plugins/auth/index.js'
import { selfOf } from '../../lib/url.js'
import { collectionOf, ErrorRef, protectedErrors, SeekCollectionSchema } from '../../schemas/common.js'
import { MCA } from './purchase.js'
import {
  AgreementMetadataSchema, AgreementSchema, AgreementTypeQuery, CartParams, CartSchema, CheckoutResultSchema, CreateAgreementSchema, CreateCartSchema,
  CreateOrderSchema, CustomerParams, ListOrdersQuery, ListSubscriptionsQuery, OrderParams, OrderSchema, ProvisioningStatusSchema, SubscriptionParams,
  SubscriptionSchema, UpdateOrderSchema, UpdateSubscriptionSchema
} from './schemas.js'
import { createCommerceService, orderOf } from './service.js'

// Reference §2.5 (inferred mapping): commerce writes by Admin and Sales agents; reads also by Helpdesk agents. All APP+AU.
const READ: AuthPolicy = { appOnly: true, partnerRoles: ['admin_agent', 'sales_agent', 'helpdesk_agent'] }
const WRITE: AuthPolicy = { appOnly: true, partnerRoles: ['admin_agent', 'sales_agent'] }
const errors = { ...protectedErrors, 404: ErrorRef, 409: ErrorRef, 412: ErrorRef }
const IfMatch = Type.Object({ 'if-match': Type.Optional(Type.String()) })


const commerce: FastifyPluginAsyncTypebox = async (app) => {
  const service = createCommerceService(app.db)
  const now = () => app.clock.now()

  // ---- Agreements ----

  app.get('/v1/agreements', {
    config: { auth: READ },
    schema: { operationId: 'listAgreementMetadata', tags: ['agreements'], summary: 'Agreement templates (Microsoft Customer Agreement)', querystring: AgreementTypeQuery, response: { 200: SeekCollectionSchema(AgreementMetadataSchema, 'Agreement metadata'), ...errors } }
  }, async (request) => {
    const wanted = request.query.agreementType
    const items = agreementTemplates().filter((a) => !wanted || wanted === '*' || a.agreementType.toLowerCase() === wanted.toLowerCase())
    return collectionOf(items.map((a) => ({ ...a, attributes: { objectType: 'AgreementMetaData' } })), selfOf(request))
  })

  app.post('/v1/customers/:customerId/agreements', {
    config: { auth: WRITE },
    schema: { operationId: 'createCustomerAgreement', tags: ['agreements'], summary: 'Confirm the customer\'s acceptance of the Microsoft Customer Agreement', params: CustomerParams, body: CreateAgreementSchema, response: { 201: AgreementSchema, ...errors } }
  }, async (request, reply) => {
    await service.customerMarket(partnerOf(request), request.params.customerId)
    const template = agreementTemplates().find((a) => a.templateId.toLowerCase() === request.body.templateId.toLowerCase())
    if (!template || request.body.type.toLowerCase() !== MCA.toLowerCase()) {
      throw invalidRequest(`templateId and type must name a known agreement template (GET /v1/agreements): ${template?.templateId ?? agreementTemplates()[0]!.templateId}, ${MCA}.`)
    }
    const row = await app.db.insertInto('customer_agreements').values({
      id: crypto.randomUUID(), customer_id: request.params.customerId.toLowerCase(), agreement_type: MCA, template_id: template.templateId,
      date_agreed: request.body.dateAgreed, primary_contact: JSON.stringify(request.body.primaryContact), user_id: request.principal!.objectId
    }).returningAll().executeTakeFirstOrThrow()
    reply.code(201)
    return agreementOf(row, template.agreementLink)
  })

  app.get('/v1/customers/:customerId/agreements', {
    config: { auth: READ },
    schema: { operationId: 'listCustomerAgreements', tags: ['agreements'], summary: 'The customer\'s agreement confirmations', params: CustomerParams, querystring: AgreementTypeQuery, response: { 200: SeekCollectionSchema(AgreementSchema, 'Agreements'), ...errors } }
  }, async (request) => {
    await service.customerMarket(partnerOf(request), request.params.customerId)
    const rows = await app.db.selectFrom('customer_agreements').selectAll().where('customer_id', '=', request.params.customerId.toLowerCase()).orderBy('created_at').execute()
    return collectionOf(rows.map((r) => agreementOf(r, agreementTemplates().find((a) => a.templateId === r.template_id)?.agreementLink ?? '')), selfOf(request))
  })

  // ---- Carts ----

  app.post('/v1/customers/:customerId/carts', {
    config: { auth: WRITE },
    schema: { operationId: 'createCart', tags: ['carts'], summary: 'Create a cart (lines are priced and grouped into orders)', params: CustomerParams, body: CreateCartSchema, response: { 201: CartSchema, ...errors } }
  }, async (request, reply) => {
    reply.code(201)
    return service.createCart(partnerOf(request), request.params.customerId, request.body, request.principal!.objectId, await now())
  })

  app.get('/v1/customers/:customerId/carts/:cartId', {
    config: { auth: READ },
    schema: { operationId: 'getCart', tags: ['carts'], summary: 'Get a cart', params: CartParams, response: { 200: CartSchema, ...errors } }
  }, async (request) => service.getCart(partnerOf(request), request.params.customerId, request.params.cartId, await now()))

  app.put('/v1/customers/:customerId/carts/:cartId', {
    config: { auth: WRITE },
    schema: { operationId: 'updateCart', tags: ['carts'], summary: 'Replace the lines of an active cart (201, as documented)', params: CartParams, body: CreateCartSchema, response: { 201: CartSchema, ...errors } }
  }, async (request, reply) => {
    reply.code(201)
    return service.replaceCart(partnerOf(request), request.params.customerId, request.params.cartId, request.body, request.principal!.objectId, await now())
  })

  app.post('/v1/customers/:customerId/carts/:cartId/checkout', {
    config: { auth: WRITE },
    schema: {
      operationId: 'checkoutCart', tags: ['carts'], summary: 'Check out a cart: one order per order group',
      description: 'Checked out already: 400 (800065); being checked out: 409 (800064); new-commerce items without the Microsoft Customer Agreement: 403 (13605).',
      params: CartParams, response: { 201: CheckoutResultSchema, ...errors }
    }
  }, async (request, reply) => {
    reply.code(201)
    return service.checkout(partnerOf(request), request.params.customerId, request.params.cartId, await now())
  })

  // ---- Orders ----

  app.post('/v1/customers/:customerId/orders', {
    config: { auth: WRITE },
    schema: { operationId: 'createOrder', tags: ['orders'], summary: 'Create an order directly', params: CustomerParams, body: CreateOrderSchema, response: { 201: OrderSchema, ...errors } }
  }, async (request, reply) => {
    reply.code(201)
    return service.createOrder(partnerOf(request), request.params.customerId, request.body, await now())
  })

  app.get('/v1/customers/:customerId/orders', {
    config: { auth: READ },
    schema: { operationId: 'listOrders', tags: ['orders'], summary: 'Orders of a customer (billingType: onetime, monthly, annual...)', params: CustomerParams, querystring: ListOrdersQuery, response: { 200: SeekCollectionSchema(OrderSchema, 'Orders'), ...errors } }
  }, async (request) => collectionOf(await service.listOrders(partnerOf(request), request.params.customerId, request.query.billingType), selfOf(request)))

  app.get('/v1/customers/:customerId/orders/:orderId', {
    config: { auth: READ },
    schema: { operationId: 'getOrder', tags: ['orders'], summary: 'Get an order', params: OrderParams, querystring: ListOrdersQuery, response: { 200: OrderSchema, ...errors } }
  }, async (request) => orderOf(await service.getOrder(partnerOf(request), request.params.customerId, request.params.orderId)))

  app.get('/v1/customers/:customerId/orders/:orderId/provisioningstatus', {
    config: { auth: READ },
    schema: { operationId: 'getOrderProvisioningStatus', tags: ['orders'], summary: 'Provisioning status of each order line', params: OrderParams, response: { 200: SeekCollectionSchema(ProvisioningStatusSchema, 'Provisioning status'), ...errors } }
  }, async (request) => {
    const order = orderOf(await service.getOrder(partnerOf(request), request.params.customerId, request.params.orderId))
    const status = order.status === 'cancelled' ? 'Cancelled' : 'Fulfilled'
    return collectionOf(order.lineItems.map((l) => ({
      lineItemNumber: l.lineItemNumber, status, quantityProvisioningInformation: [{ quantity: l.quantity, status }], attributes: { objectType: 'OrderLineItemProvisioningStatus' }
    })), selfOf(request))
  })

  app.patch('/v1/customers/:customerId/orders/:orderId', {
    config: { auth: WRITE },
    schema: { operationId: 'updateOrder', tags: ['orders'], summary: 'Cancel an order inside its cancellation window', params: OrderParams, body: UpdateOrderSchema, response: { 200: OrderSchema, ...errors } }
  }, async (request) => service.cancelOrder(partnerOf(request), request.params.customerId, request.params.orderId, await now()))

  // ---- Subscriptions ----

  app.get('/v1/customers/:customerId/subscriptions', {
    config: { auth: READ },
    schema: { operationId: 'listSubscriptions', tags: ['subscriptions'], summary: 'Subscriptions of a customer (by order with order_id, by indirect reseller with mpn_id)', params: CustomerParams, querystring: ListSubscriptionsQuery, response: { 200: SeekCollectionSchema(SubscriptionSchema, 'Subscriptions'), ...errors } }
  }, async (request) => collectionOf(await service.listSubscriptions(partnerOf(request), request.params.customerId,
    { orderId: request.query.order_id, mpnId: request.query.mpn_id }, await now()), selfOf(request)))

  app.get('/v1/customers/:customerId/subscriptions/:subscriptionId/addons', {
    config: { auth: READ },
    schema: { operationId: 'listSubscriptionAddons', tags: ['subscriptions'], summary: 'Add-ons bought onto a subscription', params: SubscriptionParams, response: { 200: SeekCollectionSchema(SubscriptionSchema, 'Add-on subscriptions'), ...errors } }
  }, async (request) => {
    const parent = await service.findSubscription(partnerOf(request), request.params.customerId, request.params.subscriptionId)
    return collectionOf(await service.listSubscriptions(partnerOf(request), request.params.customerId, { parentId: parent.id }, await now()), selfOf(request))
  })

  app.get('/v1/customers/:customerId/subscriptions/:subscriptionId', {
    config: { auth: READ },
    schema: { operationId: 'getSubscription', tags: ['subscriptions'], summary: 'Get a subscription', params: SubscriptionParams, response: { 200: SubscriptionSchema, ...errors } }
  }, async (request) => service.getSubscription(partnerOf(request), request.params.customerId, request.params.subscriptionId, await now()))

  app.patch('/v1/customers/:customerId/subscriptions/:subscriptionId', {
    config: { auth: WRITE },
    schema: {
      operationId: 'updateSubscription', tags: ['subscriptions'], summary: 'Change quantity, status, auto-renew or friendly name',
      description: 'status suspended/active suspends and reactivates; deleted cancels (only inside the cancellation window, else 900117). ' +
        'Quantity outside min/max 2002; while suspended 800091; cancelled subscriptions 2011. If-Match is optional; a stale one is 412. ' +
        'A status change of an Azure plan subscription is a slow change: 202 with Location (the subscription) and Retry-After.',
      params: SubscriptionParams, headers: IfMatch, body: UpdateSubscriptionSchema, response: { 200: SubscriptionSchema, 202: Type.Null(), ...errors }
    }
  }, async (request, reply) => {
    const { customerId, subscriptionId } = request.params
    const { subscription, slow } = await service.updateSubscription(partnerOf(request), customerId, subscriptionId, request.headers['if-match'], request.body, await now())
    // A slow change answers 202; the client polls the Location.
    if (slow) return reply.code(202).header('Location', `/customers/${customerId}/subscriptions/${subscription.id}`).header('Retry-After', '5').send(null)
    return subscription
  })
}

function agreementOf (row: { user_id: string, primary_contact: Record<string, string>, date_agreed: Date, template_id: string, agreement_type: string }, agreementLink: string) {
  return {
    userId: row.user_id,
    primaryContact: row.primary_contact as { firstName: string, lastName: string, email: string, phoneNumber?: string },
    dateAgreed: row.date_agreed.toISOString(),
    templateId: row.template_id,
    type: row.agreement_type,
    agreementLink,
    attributes: { objectType: 'Agreement' }
  }
}

export default commerce
