// A subscription's details: support contact (GET, PUT), provisioning status, registration for Azure
// reservations (POST registrations, GET registrationstatus), and activation of third-party SaaS (POST
// activate, the activation links of an order line). Azure entitlements are in usage-records/.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { partnerOf, type AuthPolicy } from '../../auth/policy.js'
import { selfOf } from '../../lib/url.js'
import { collectionOf, ErrorRef, protectedErrors, SeekCollectionSchema } from '../../schemas/common.js'
import {
  ActivationLinkSchema, ActivationResultSchema, OrderLineParams, RegistrationStatusSchema, SubscriptionParams, SubscriptionProvisioningStatusSchema, SupportContactSchema,
  UpdateSupportContactSchema
} from './schemas.js'
import { createSubscriptionDetailsService } from './service.js'

// The subscriptions' roles: written by Admin and Sales agents, read also by Helpdesk agents. Support
// contact and provisioning status pages allow App+User only; the registration pages allow app-only tokens too.
const READ_ROLES = ['admin_agent', 'sales_agent', 'helpdesk_agent'] as const
const WRITE_ROLES = ['admin_agent', 'sales_agent'] as const
const READ: AuthPolicy = { appOnly: true, partnerRoles: READ_ROLES }
const WRITE: AuthPolicy = { appOnly: true, partnerRoles: WRITE_ROLES }
const USER_READ: AuthPolicy = { appOnly: false, partnerRoles: READ_ROLES }
const USER_WRITE: AuthPolicy = { appOnly: false, partnerRoles: WRITE_ROLES }
// Activate a sandbox subscription: app-only or App+User, Admin agent ("Appropriate roles").
const ACTIVATE: AuthPolicy = { appOnly: true, partnerRoles: ['admin_agent'] }
const errors = { ...protectedErrors, 404: ErrorRef, 409: ErrorRef }
const tags = ['subscriptions']
const base = '/v1/customers/:customerId/subscriptions/:subscriptionId'

const subscriptionDetails: FastifyPluginAsyncTypebox = async (app) => {
  const service = createSubscriptionDetailsService(app.db)
  const now = () => app.clock.now()

  app.get(`${base}/supportcontact`, {
    config: { auth: USER_READ },
    schema: {
      operationId: 'getSubscriptionSupportContact', tags, summary: 'Get a subscription\'s support contact',
      description: 'The indirect reseller named as the subscription\'s support contact; 404 when none is named.',
      params: SubscriptionParams,
      response: { 200: SupportContactSchema, ...errors }
    }
  }, async (request) => service.supportContact(partnerOf(request), request.params.customerId, request.params.subscriptionId))

  app.put(`${base}/supportcontact`, {
    config: { auth: USER_WRITE },
    schema: {
      operationId: 'updateSubscriptionSupportContact', tags, summary: 'Update a subscription\'s support contact',
      description: 'The contact must be one of the partner\'s indirect resellers (GET /v1/relationships): supportTenantId, supportMpnId ' +
        'and name must match one, else 400 (800002). New commerce subscriptions have no designated support contact (400).',
      params: SubscriptionParams, body: UpdateSupportContactSchema,
      response: { 200: SupportContactSchema, ...errors }
    }
  }, async (request) => {
    const { customerId, subscriptionId } = request.params
    return service.updateSupportContact(partnerOf(request), customerId, subscriptionId, request.body, await now())
  })

  app.get(`${base}/provisioningstatus`, {
    config: { auth: USER_READ },
    schema: {
      operationId: 'getSubscriptionProvisioningStatus', tags, summary: 'Get subscription provisioning status',
      params: SubscriptionParams,
      response: { 200: SubscriptionProvisioningStatusSchema, ...errors }
    }
  }, async (request) => service.provisioningStatus(partnerOf(request), request.params.customerId, request.params.subscriptionId))

  app.post(`${base}/registrations`, {
    config: { auth: WRITE },
    schema: {
      operationId: 'registerSubscription', tags, summary: 'Register a subscription for Azure reservations',
      description: 'Only subscriptions of products the catalog marks for registration (Azure plan, legacy Azure); others 400. ' +
        'Answers 202 with Location: the registration status.',
      params: SubscriptionParams,
      response: { 202: Type.Null(), ...errors }
    }
  }, async (request, reply) => {
    const { customerId, subscriptionId } = request.params
    const status = await service.register(partnerOf(request), customerId, subscriptionId, await now())
    return reply.code(202).header('Location', `/customers/${customerId}/subscriptions/${status.subscriptionId}/registrationstatus`).send(null)
  })

  app.get(`${base}/registrationstatus`, {
    config: { auth: READ },
    schema: {
      operationId: 'getSubscriptionRegistrationStatus', tags, summary: 'Get subscription registration status',
      params: SubscriptionParams,
      response: { 200: RegistrationStatusSchema, ...errors }
    }
  }, async (request) => service.registrationStatus(partnerOf(request), request.params.customerId, request.params.subscriptionId))

  app.post(`${base}/activate`, {
    config: { auth: ACTIVATE },
    schema: {
      operationId: 'activateSubscription', tags, summary: 'Activate a sandbox subscription of a third-party SaaS product',
      description: 'Integration sandbox accounts only (else 403 / 2032); products that need no activation 400.',
      params: SubscriptionParams,
      response: { 200: ActivationResultSchema, ...errors }
    }
  }, async (request) => service.activate(partnerOf(request), request.params.customerId, request.params.subscriptionId, await now()))

  app.get('/v1/customers/:customerId/orders/:orderId/lineitems/:lineItemNumber/activationlinks', {
    config: { auth: READ },
    schema: {
      operationId: 'listOrderLineItemActivationLinks', tags: ['orders'], summary: 'Get activation links by order line item',
      description: 'The publisher\'s activation page for a line of a product that needs activation; none for other lines.',
      params: OrderLineParams,
      response: { 200: SeekCollectionSchema(ActivationLinkSchema, 'Activation links'), ...errors }
    }
  }, async (request) => {
    const { customerId, orderId, lineItemNumber } = request.params
    return collectionOf(await service.activationLinks(partnerOf(request), customerId, orderId, lineItemNumber), selfOf(request))
  })
}

export default subscriptionDetails
