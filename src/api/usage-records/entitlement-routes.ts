// Azure entitlements of an Azure plan: the list, one by id, and cancelling or reactivating one (POST
// …/cancel, …/reactivate: 202 Accepted, as the pages answer; the emulator applies the change at once).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { partnerOf, type AuthPolicy } from '../../auth/policy.js'
import { selfOf } from '../../lib/url.js'
import { collectionOf, ErrorRef, protectedErrors, SeekCollectionSchema } from '../../schemas/common.js'
import { createAzureEntitlementsService } from './entitlement-service.js'
import { AzureEntitlementSchema, CancelEntitlementSchema, EntitlementParams, SubscriptionUsageParams } from './schemas.js'

// Reads: app-only or App+User, the subscriptions' readers. Cancel and reactivate: app-only or App+User;
// "Partners must be Global Administrators with Admin Agent roles": users need the Admin agent role.
const READ: AuthPolicy = { appOnly: true, partnerRoles: ['admin_agent', 'sales_agent', 'helpdesk_agent'] }
const CHANGE: AuthPolicy = { appOnly: true, partnerRoles: ['admin_agent'] }
const tags = ['subscriptions']
const errors = { ...protectedErrors, 404: ErrorRef }
const base = '/v1/customers/:customerId/subscriptions/:subscriptionId/azureEntitlements'
const learn = (page: string) => `https://learn.microsoft.com/partner-center/developer/${page}`

const azureEntitlements: FastifyPluginAsyncTypebox = async (app) => {
  const service = createAzureEntitlementsService(app.db)
  const now = () => app.clock.now()

  app.get(base, {
    config: { auth: READ },
    schema: {
      operationId: 'listAzureEntitlements', tags, summary: 'Get a list of Azure entitlements for a subscription',
      description: 'Azure plan subscriptions only (others 400): the plan\'s Azure subscription, with the plan\'s id. ' + learn('get-a-list-of-azure-entitlements-for-subscription'),
      params: SubscriptionUsageParams,
      response: { 200: SeekCollectionSchema(AzureEntitlementSchema, 'Azure entitlements'), ...errors }
    }
  }, async (request) => {
    const items = await service.list(partnerOf(request), request.params.customerId, request.params.subscriptionId)
    return collectionOf(items, selfOf(request))
  })

  app.get(`${base}/:entitlementId`, {
    config: { auth: READ },
    schema: {
      operationId: 'getAzureEntitlement', tags, summary: 'Get an Azure entitlement for a subscription',
      description: learn('get-an-azure-entitlement-for-a-subscription'),
      params: EntitlementParams,
      response: { 200: AzureEntitlementSchema, ...errors }
    }
  }, async (request) => {
    const { customerId, subscriptionId, entitlementId } = request.params
    return service.get(partnerOf(request), customerId, subscriptionId, entitlementId)
  })

  app.post(`${base}/:entitlementId/cancel`, {
    config: { auth: CHANGE },
    schema: {
      operationId: 'cancelAzureEntitlement', tags, summary: 'Cancel an Azure subscription (an Azure entitlement of an Azure plan)',
      description: 'The Azure subscription stops metering usage; its plan stays active (suspend a plan with a subscription PATCH). ' +
        'Cancelling one already cancelled, or of a deleted plan, is 400. ' + learn('cancel-an-azure-subscription'),
      params: EntitlementParams, body: CancelEntitlementSchema,
      response: { 202: AzureEntitlementSchema, ...errors }
    }
  }, async (request, reply) => {
    const { customerId, subscriptionId, entitlementId } = request.params
    const entitlement = await service.cancel(partnerOf(request), customerId, subscriptionId, entitlementId, request.body.cancellationReason, await now())
    return reply.code(202).send(entitlement)
  })

  app.post(`${base}/:entitlementId/reactivate`, {
    config: { auth: CHANGE },
    schema: {
      operationId: 'reactivateAzureEntitlement', tags, summary: 'Reactivate a cancelled Azure subscription',
      description: 'Usage is metered again from the day of the reactivation; one not cancelled is 400 (900337). ' + learn('reactivate-an-azure-subscription'),
      params: EntitlementParams,
      response: { 202: AzureEntitlementSchema, ...errors }
    }
  }, async (request, reply) => {
    const { customerId, subscriptionId, entitlementId } = request.params
    return reply.code(202).send(await service.reactivate(partnerOf(request), customerId, subscriptionId, entitlementId, await now()))
  })
}

export default azureEntitlements
