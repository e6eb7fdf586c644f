// Usage records and summaries of a customer's usage-based subscriptions (Azure plans and legacy Microsoft
// Azure), read from the usage the emulator meters. The numbers are the unbilled usage of the current
// billing period (the calendar month the emulator clock is in, as period-close.ts bills it), metered up to
// now first as the unbilled line items are, so they add up to the same daily rated usage line items.
import type { Kysely } from 'kysely'
import { market } from '../../catalog/catalog.js'
import { createCommerceRepository } from '../../commerce/repository.js'
import { AZURE_RESOURCE, azureResourceUri } from '../../billing/line-items.js'
import { createBillingRepository } from '../../billing/repository.js'
import { accrueUsage, usdCostOf } from '../../billing/usage.js'
import type { Database, SubscriptionRow } from '../../db/schema.js'
import { customerNotFound, invalidRequest, subscriptionNotFound } from '../../errors.js'
import { DAY_MS, monthStart } from '../../lib/dates.js'
import { isGuid } from '../../lib/ids.js'
import { amountOf } from '../../lib/money.js'
import { link } from '../../schemas/common.js'
import { createUsageRecordsRepository, type UsageScope } from './repository.js'

interface Sums { amount: string | null, quantity: string | null, last_day: Date | string | null }

const isAzurePlan = (row: SubscriptionRow) => row.catalog_item_id.includes(':')
const LANGUAGES: Record<string, string> = { DE: 'de', FR: 'fr' }
const localeOf = (country: string) => `${LANGUAGES[country] ?? 'en'}-${country}`

export function createUsageRecordsService (db: Kysely<Database>) {
  const usage = createUsageRecordsRepository(db)
  const commerce = createCommerceRepository(db)

  /** The customer (else 404); usage is metered up to now only once the request is known to be answered. */
  async function findCustomer (partnerTenantId: string, customerId: string) {
    const customer = isGuid(customerId) ? await usage.customer(partnerTenantId, customerId) : undefined
    if (!customer) throw customerNotFound(customerId)
    return customer
  }

  /** Meters usage up to now and answers the current billing period's scope (of a customer, or of one of its subscriptions). */
  async function accrue (partnerTenantId: string, customerId: string, now: Date, subscriptionId?: string): Promise<UsageScope> {
    await accrueUsage(createBillingRepository(db), partnerTenantId, now)
    return { partnerTenantId, customerId, subscriptionId, from: monthStart(now), to: monthStart(now, 1) }
  }

  async function open (partnerTenantId: string, customerId: string, now: Date) {
    const customer = await findCustomer(partnerTenantId, customerId)
    return { customer, scope: await accrue(partnerTenantId, customer.id, now), country: customer.billing_address.country }
  }

  /** A usage-based subscription of the customer (else 404, or 400 for one billed otherwise). */
  async function openSubscription (partnerTenantId: string, customerId: string, subscriptionId: string, now: Date) {
    const customer = await findCustomer(partnerTenantId, customerId)
    const row = isGuid(subscriptionId) ? await commerce.subscription(partnerTenantId, customer.id, subscriptionId) : undefined
    if (!row) throw subscriptionNotFound(subscriptionId)
    if (row.billing_type !== 'usage') {
      throw invalidRequest(`Subscription ${row.id} is not usage-based: usage records are kept for Azure plans and Microsoft Azure (MS-AZR-0145P) subscriptions.`)
    }
    return { row, scope: await accrue(partnerTenantId, customer.id, now, row.id), country: customer.billing_address.country }
  }

  /** totalCost in the subscription's currency; Azure plans name it and add the USD cost, legacy Azure names a locale. */
  function moneyOf (sums: Sums | undefined, plan: boolean, currency: string, country: string, from: Date) {
    const last = sums?.last_day ? new Date(new Date(sums.last_day).getTime() + DAY_MS) : from
    const currencyFields = plan
      ? { currencyCode: currency, usdTotalCost: amountOf(usdCostOf(BigInt(sums?.quantity ?? 0))) }
      : { currencyLocale: localeOf(country) }
    return { totalCost: amountOf(sums?.amount ?? '0'), ...currencyFields, lastModifiedDate: last.toISOString() }
  }

  const currencyOf = (country: string) => market(country)?.currency ?? 'USD'

  return {
    /** CustomerMonthlyUsageRecord of each of the partner's customers with a usage-based subscription. */
    async customerRecords (partnerTenantId: string, now: Date) {
      await accrueUsage(createBillingRepository(db), partnerTenantId, now)
      const scope: UsageScope = { partnerTenantId, from: monthStart(now), to: monthStart(now, 1) }
      const totals = new Map((await usage.byCustomer(scope)).map((t) => [t.customer_id, t]))
      return (await usage.customersWithUsage(partnerTenantId)).map((c) => {
        const sums = totals.get(c.id)
        const country = c.billing_address.country
        const upgraded = Number(c.upgraded) === 1
        return {
          resourceId: c.id,
          resourceName: c.company_name,
          ...moneyOf(sums, upgraded, sums?.currency_code ?? currencyOf(country), country, scope.from),
          isUpgraded: upgraded,
          attributes: { objectType: 'CustomerMonthlyUsageRecord' }
        }
      })
    },

    /** SubscriptionMonthlyUsageRecord of each usage-based subscription of the customer (Azure plans: the plan, not its Azure subscriptions). */
    async subscriptionRecords (partnerTenantId: string, customerId: string, now: Date) {
      const { customer, scope, country } = await open(partnerTenantId, customerId, now)
      const totals = new Map((await usage.bySubscription(scope)).map((t) => [t.subscription_id, t]))
      return (await usage.usageSubscriptions(partnerTenantId, customer.id)).map((row) => ({
        status: row.status,
        partnerOnRecord: row.reseller_mpn_id,
        offerId: row.catalog_item_id,
        resourceId: row.id,
        id: row.id,
        resourceName: row.friendly_name,
        name: row.friendly_name,
        ...moneyOf(totals.get(row.id), isAzurePlan(row), row.currency_code, country, scope.from),
        attributes: { objectType: 'SubscriptionMonthlyUsageRecord' }
      }))
    },

    /** The customer's usage this period, all its usage-based subscriptions together. */
    async customerSummary (partnerTenantId: string, customerId: string, now: Date) {
      const { customer, scope, country } = await open(partnerTenantId, customerId, now)
      const subscriptions = await usage.usageSubscriptions(partnerTenantId, customer.id)
      const sums = await usage.total(scope)
      // A customer with an Azure plan is "upgraded": its usage is in its currency; else the legacy locale.
      const plan = subscriptions.length === 0 || subscriptions.some(isAzurePlan)
      return {
        resourceId: customer.id,
        resourceName: customer.company_name,
        ...period(scope),
        ...moneyOf(sums, plan, sums?.currency_code ?? currencyOf(country), country, scope.from),
        attributes: { objectType: 'CustomerUsageSummary' }
      }
    },

    async subscriptionSummary (partnerTenantId: string, customerId: string, subscriptionId: string, now: Date) {
      const { row, scope, country } = await openSubscription(partnerTenantId, customerId, subscriptionId, now)
      const sums = await usage.total(scope)
      return {
        resourceId: row.id,
        resourceName: row.friendly_name,
        ...period(scope),
        ...moneyOf(sums, isAzurePlan(row), row.currency_code, country, scope.from),
        links: { self: link(`/customers/${row.customer_id}/subscriptions/${row.id}/usagesummary`) },
        attributes: { objectType: 'SubscriptionUsageSummary' }
      }
    },

    /** Usage by Azure resource: the one virtual machine usage runs on. Azure plans only (the page: not MS-AZR-0145P). */
    async resourceRecords (partnerTenantId: string, customerId: string, subscriptionId: string, now: Date) {
      const { row, scope, country } = await openSubscription(partnerTenantId, customerId, subscriptionId, now)
      if (!isAzurePlan(row)) throw invalidRequest('Usage by resource is for Azure plans; for Microsoft Azure (MS-AZR-0145P) read …/usagerecords/resources.')
      const sums = await usage.total(scope)
      if (!sums) return []
      return [{
        subscriptionId: row.id,
        resourceUri: azureResourceUri(row.id),
        resourceType: AZURE_RESOURCE.provider,
        entitlementId: row.id,
        entitlementName: row.friendly_name,
        resourceGroupName: AZURE_RESOURCE.group,
        name: AZURE_RESOURCE.name,
        resourceName: AZURE_RESOURCE.name,
        ...moneyOf(sums, true, row.currency_code, country, scope.from),
        attributes: { objectType: 'ResourceUsageRecord' }
      }]
    },

    /** Usage by meter, Azure plans and legacy Azure alike. */
    async meterRecords (partnerTenantId: string, customerId: string, subscriptionId: string, now: Date) {
      const { row, scope, country } = await openSubscription(partnerTenantId, customerId, subscriptionId, now)
      return (await usage.byMeter(scope)).map((m) => ({
        subscriptionId: row.id,
        meterId: m.meter_id,
        meterName: m.meter_name,
        category: m.meter_category,
        subcategory: m.meter_sub_category,
        quantityUsed: Number(m.quantity ?? 0),
        unit: m.unit_of_measure,
        ...moneyOf(m, isAzurePlan(row), m.currency_code, country, scope.from),
        attributes: { objectType: 'MeterUsageRecord' }
      }))
    },

    /** The legacy route's usage by "resource" (meter): Microsoft Azure (MS-AZR-0145P) only, as the new routes' pages say. */
    async legacyResourceRecords (partnerTenantId: string, customerId: string, subscriptionId: string, now: Date) {
      const { row, scope, country } = await openSubscription(partnerTenantId, customerId, subscriptionId, now)
      if (isAzurePlan(row)) throw invalidRequest('…/usagerecords/resources serves Microsoft Azure (MS-AZR-0145P) subscriptions; for an Azure plan read …/resourceusagerecords or …/meterusagerecords.')
      return (await usage.byMeter(scope)).map((m) => ({
        category: m.meter_category,
        subcategory: m.meter_sub_category,
        quantityUsed: Number(m.quantity ?? 0),
        unit: m.unit_of_measure,
        id: m.meter_id,
        name: m.meter_name,
        totalCost: amountOf(m.amount ?? '0'),
        currencyLocale: localeOf(country),
        attributes: { objectType: 'AzureResourceMonthlyUsageRecord' }
      }))
    },

    /** One record per day metered this period, oldest first. */
    async dailyRecords (partnerTenantId: string, customerId: string, subscriptionId: string, now: Date) {
      const { row, scope, country } = await openSubscription(partnerTenantId, customerId, subscriptionId, now)
      return (await usage.byDay(scope)).map((d) => ({
        dateUsed: new Date(d.usage_date).toISOString(),
        resourceId: row.id,
        resourceName: row.friendly_name,
        ...moneyOf(d, isAzurePlan(row), d.currency_code, country, scope.from),
        attributes: { objectType: 'SubscriptionDailyUsageRecord' }
      }))
    }
  }
}

/** The period as the summaries' samples give it: first day of the month to the first day of the next. */
const period = (scope: UsageScope) => ({ billingStartDate: scope.from.toISOString(), billingEndDate: scope.to.toISOString() })
