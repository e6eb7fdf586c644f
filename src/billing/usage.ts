// Daily rated usage of Azure plan subscriptions. Usage is metered per whole day up to a moment (a
// period close, or a read of unbilled usage), once per subscription, meter and day.
import { market } from '../catalog/catalog.js'
import { scale } from '../lib/money.js'
import type { BillingRepository } from './repository.js'

/** The one meter the emulator's Azure plan consumes: a D2s v5 virtual machine running all day. */
const METER = {
  id: '0d0a4dd4-7b1c-4f5c-9b1e-5c4a8f0e2d11',
  name: 'D2s v5',
  category: 'Virtual Machines',
  subCategory: 'Dv5 Series',
  unitOfMeasure: '1 Hour'
}
const HOURS_PER_DAY = 24
/** USD per hour, in cents; other markets convert at the catalog's rate. */
const UNIT_PRICE_USD_MINOR = 10n

/** What metered hours cost in USD (minor units): usage summaries show it beside the customer's currency (usdTotalCost). */
export const usdCostOf = (hours: bigint): bigint => hours * UNIT_PRICE_USD_MINOR
const REGIONS: Record<string, string> = { US: 'US East', CA: 'Canada Central', GB: 'UK South', DE: 'Germany West Central', FR: 'France Central', AU: 'Australia East' }

/** Meters every whole day of every active Azure plan subscription of the partner before `upTo`. */
export async function accrueUsage (billing: BillingRepository, partnerTenantId: string, upTo: Date): Promise<void> {
  for (const plan of await billing.activeAzurePlans(partnerTenantId)) {
    const country = plan.billing_address.country
    await billing.meterDays({
      partnerTenantId,
      customerId: plan.customer_id,
      subscriptionId: plan.id,
      meter: METER,
      region: REGIONS[country] ?? 'US East',
      quantityPerDay: HOURS_PER_DAY,
      unitPriceMinor: scale(UNIT_PRICE_USD_MINOR, market(country)?.rate ?? '1'),
      upTo
    })
  }
}
