// Usage records and summaries of Azure usage: every customer's usage records, a customer's subscriptions'
// usage records and usage summary, and a subscription's usage summary, usage by resource, by meter, and by day. Every number is
// the unbilled usage of the current billing period, metered up to the emulator clock's now. The Azure
// entitlement routes (an Azure plan's Azure subscriptions) are registered from here (entitlement-routes.ts).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { TSchema } from 'typebox'
import { partnerOf, type AuthPolicy } from '../../auth/policy.js'
import { selfOf } from '../../lib/url.js'
import { collectionOf, ErrorRef, protectedErrors, SeekCollectionSchema } from '../../schemas/common.js'
import azureEntitlements from './entitlement-routes.js'
import {
  AzureResourceMonthlyUsageRecordSchema, CustomerMonthlyUsageRecordSchema, CustomerUsageParams, CustomerUsageSummarySchema, MeterUsageRecordSchema, ResourceUsageRecordSchema,
  SubscriptionDailyUsageRecordSchema, SubscriptionMonthlyUsageRecordSchema, SubscriptionUsageParams, SubscriptionUsageSummarySchema
} from './schemas.js'
import { createUsageRecordsService } from './service.js'

// Every usage page: App+User credentials only. The pages name no roles; the emulator lets read them
// those who see Azure spending in Partner Center: Admin agents, Sales agents, Billing admins and Global admins.
const USAGE: AuthPolicy = { appOnly: false, partnerRoles: ['admin_agent', 'sales_agent', 'billing_admin', 'global_admin'] }
const tags = ['usage']
const errors = { ...protectedErrors, 404: ErrorRef }
const subscription = '/v1/customers/:customerId/subscriptions/:subscriptionId'
const learn = (page: string) => `https://learn.microsoft.com/partner-center/developer/${page}`

type SubscriptionRead = (partnerTenantId: string, customerId: string, subscriptionId: string, now: Date) => Promise<unknown[]>

const usageRecords: FastifyPluginAsyncTypebox = async (app) => {
  const service = createUsageRecordsService(app.db)
  const now = () => app.clock.now()

  app.get('/v1/customers/usagerecords', {
    config: { auth: USAGE },
    schema: {
      operationId: 'listCustomerUsageRecords', tags, summary: 'Get usage records for all customers',
      description: 'One CustomerMonthlyUsageRecord per customer with a usage-based subscription (budgets are not modelled). ' + learn('get-a-customer-s-usage-records'),
      response: { 200: SeekCollectionSchema(CustomerMonthlyUsageRecordSchema, 'Customer usage records'), ...errors }
    }
  }, async (request) => collectionOf(await service.customerRecords(partnerOf(request), await now()), selfOf(request)))

  app.get('/v1/customers/:customerId/subscriptions/usagerecords', {
    config: { auth: USAGE },
    schema: {
      operationId: 'listCustomerSubscriptionUsageRecords', tags, summary: 'Get subscription usage records for a customer',
      description: 'One SubscriptionMonthlyUsageRecord per usage-based subscription (an Azure plan, not its Azure subscriptions). ' + learn('get-a-customer-subscription-s-usage-records'),
      params: CustomerUsageParams,
      response: { 200: SeekCollectionSchema(SubscriptionMonthlyUsageRecordSchema, 'Subscription usage records'), ...errors }
    }
  }, async (request) => collectionOf(await service.subscriptionRecords(partnerOf(request), request.params.customerId, await now()), selfOf(request)))

  app.get('/v1/customers/:customerId/usagesummary', {
    config: { auth: USAGE },
    schema: {
      operationId: 'getCustomerUsageSummary', tags, summary: 'Get a usage summary for all of a customer\'s subscriptions',
      description: 'Zero, in the customer\'s currency, for a customer without usage. ' + learn('get-a-customer-usage-summary'),
      params: CustomerUsageParams,
      response: { 200: CustomerUsageSummarySchema, ...errors }
    }
  }, async (request) => service.customerSummary(partnerOf(request), request.params.customerId, await now()))

  app.get(`${subscription}/usagesummary`, {
    config: { auth: USAGE },
    schema: {
      operationId: 'getSubscriptionUsageSummary', tags, summary: 'Get a subscription usage summary',
      description: 'Usage-based subscriptions only (others 400). ' + learn('get-a-customer-subscription-usage-summary'),
      params: SubscriptionUsageParams,
      response: { 200: SubscriptionUsageSummarySchema, ...errors }
    }
  }, async (request) => {
    const { customerId, subscriptionId } = request.params
    return service.subscriptionSummary(partnerOf(request), customerId, subscriptionId, await now())
  })

  /** A collection read of one usage-based subscription. */
  function subscriptionCollection (path: string, read: SubscriptionRead, item: TSchema, operationId: string, summary: string, description: string) {
    app.get(`${subscription}/${path}`, {
      config: { auth: USAGE },
      schema: { operationId, tags, summary, description, params: SubscriptionUsageParams, response: { 200: SeekCollectionSchema(item, summary), ...errors } }
    }, async (request) => {
      const { customerId, subscriptionId } = request.params
      return collectionOf(await read(partnerOf(request), customerId, subscriptionId, await now()), selfOf(request))
    })
  }

  subscriptionCollection('resourceusagerecords', service.resourceRecords, ResourceUsageRecordSchema, 'listSubscriptionResourceUsageRecords',
    'Get usage data for subscription by resource', 'Azure plans only (the page: not MS-AZR-0145P; others 400). ' + learn('get-a-customer-subscription-resource-usage-records'))
  subscriptionCollection('meterusagerecords', service.meterRecords, MeterUsageRecordSchema, 'listSubscriptionMeterUsageRecords',
    'Get usage data for subscription by meter', 'Azure plans and Microsoft Azure (MS-AZR-0145P). ' + learn('get-a-customer-subscription-meter-usage-records'))
  subscriptionCollection('usagerecords/resources', service.legacyResourceRecords, AzureResourceMonthlyUsageRecordSchema, 'listSubscriptionMonthlyUsageRecords',
    'Get all monthly usage records for a subscription', 'The legacy route: Microsoft Azure (MS-AZR-0145P) only; Azure plans 400 (use resourceusagerecords). ' +
      learn('get-a-customer-subscription-meter-usage-records'))
  subscriptionCollection('usagerecords/daily', service.dailyRecords, SubscriptionDailyUsageRecordSchema, 'listSubscriptionDailyUsageRecords',
    'Get a subscription\'s daily usage records', 'One record per day metered this period (SDK route GetSubscriptionDailyUsageRecords; obsolete resource). ' +
      learn('subscription-usage-resources'))

  await app.register(azureEntitlements)
}

export default usageRecords
