// Shapes of usage records and summaries (Partner Center's customer and subscription usage resources) and
// of Azure entitlements. Azure plans name their currency (currencyCode) and add the USD cost; legacy
// Microsoft Azure (MS-AZR-0145P) subscriptions name a currency locale instead, as the pages' two samples show.
import { Type, type TSchema } from 'typebox'
import { AttributesSchema, CustomerId, LinksSchema } from '../../schemas/common.js'

export const CustomerUsageParams = Type.Object({ customerId: CustomerId })
export const SubscriptionUsageParams = Type.Object({ customerId: CustomerId, subscriptionId: Type.String({ maxLength: 64 }) })
export const EntitlementParams = Type.Object({
  customerId: CustomerId,
  subscriptionId: Type.String({ maxLength: 64 }),
  entitlementId: Type.String({ maxLength: 64, description: 'The Azure subscription (its id is the Azure plan\'s in the emulator)' })
})

export const CancelEntitlementSchema = Type.Object({
  cancellationReason: Type.String({ minLength: 1, maxLength: 256, description: 'Why the Azure subscription is cancelled, e.g. compromise' })
}, { additionalProperties: true })

/** currencyCode + usdTotalCost (Azure plan) or currencyLocale (legacy Azure). */
const money = {
  totalCost: Type.Number({ description: 'Estimated cost in the customer\'s currency, unbilled usage of the current billing period' }),
  currencyCode: Type.Optional(Type.String({ description: 'Azure plans' })),
  currencyLocale: Type.Optional(Type.String({ description: 'Microsoft Azure (MS-AZR-0145P) subscriptions' })),
  usdTotalCost: Type.Optional(Type.Number({ description: 'Azure plans: the estimated cost in USD' })),
  lastModifiedDate: Type.String({ description: 'The end of the last whole day metered (the start of the period when none was)' })
}

const usageRecord = (objectType: string, fields: Record<string, TSchema>, description: string) =>
  Type.Object({ ...fields, ...money, attributes: AttributesSchema(objectType) }, { description })

export const CustomerMonthlyUsageRecordSchema = usageRecord('CustomerMonthlyUsageRecord', {
  resourceId: Type.String({ description: 'The customer' }),
  resourceName: Type.String(),
  isUpgraded: Type.Boolean({ description: 'The customer has an Azure plan' })
}, 'A customer\'s usage this billing period, all its usage-based subscriptions')

export const SubscriptionMonthlyUsageRecordSchema = usageRecord('SubscriptionMonthlyUsageRecord', {
  status: Type.String(),
  partnerOnRecord: Type.Union([Type.String(), Type.Null()]),
  offerId: Type.String(),
  resourceId: Type.String(),
  id: Type.String(),
  resourceName: Type.String(),
  name: Type.String()
}, 'A usage-based subscription\'s usage this billing period')

const summary = {
  resourceId: Type.String(),
  resourceName: Type.String(),
  billingStartDate: Type.String({ format: 'date-time' }),
  billingEndDate: Type.String({ format: 'date-time', description: 'The first instant after the period' })
}

export const SubscriptionUsageSummarySchema = usageRecord('SubscriptionUsageSummary', { ...summary, links: LinksSchema }, 'A subscription\'s usage summary')
export const CustomerUsageSummarySchema = usageRecord('CustomerUsageSummary', summary, 'A customer\'s usage summary, all its usage-based subscriptions')

export const ResourceUsageRecordSchema = usageRecord('ResourceUsageRecord', {
  subscriptionId: Type.String(),
  resourceUri: Type.String(),
  resourceType: Type.String(),
  entitlementId: Type.String({ description: 'The Azure subscription' }),
  entitlementName: Type.String(),
  resourceGroupName: Type.String(),
  name: Type.String(),
  resourceName: Type.String()
}, 'An Azure resource\'s usage this billing period')

export const MeterUsageRecordSchema = usageRecord('MeterUsageRecord', {
  subscriptionId: Type.String(),
  meterId: Type.String(),
  meterName: Type.String(),
  category: Type.String(),
  subcategory: Type.String(),
  quantityUsed: Type.Number(),
  unit: Type.String()
}, 'A meter\'s usage this billing period')

export const AzureResourceMonthlyUsageRecordSchema = Type.Object({
  category: Type.String(),
  subcategory: Type.String(),
  quantityUsed: Type.Number(),
  unit: Type.String(),
  id: Type.String({ description: 'The meter' }),
  name: Type.String(),
  totalCost: Type.Number(),
  currencyLocale: Type.String(),
  attributes: AttributesSchema('AzureResourceMonthlyUsageRecord')
}, { description: 'Legacy Azure (MS-AZR-0145P): a meter\'s usage this billing period' })

export const SubscriptionDailyUsageRecordSchema = usageRecord('SubscriptionDailyUsageRecord', {
  dateUsed: Type.String({ format: 'date-time' }),
  resourceId: Type.String(),
  resourceName: Type.String()
}, 'A subscription\'s usage on one day')

export const AzureEntitlementSchema = Type.Object({
  id: Type.String({ description: 'The Azure subscription id' }),
  friendlyName: Type.String(),
  status: Type.String({ description: 'canceled once cancelled, else the Azure plan\'s: active, suspended or deleted' }),
  subscriptionId: Type.String({ description: 'The Azure plan subscription' }),
  attributes: AttributesSchema('AzureEntitlement')
})
