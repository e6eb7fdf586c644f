// Daily rated usage of Azure plan subscriptions. Usage is metered per whole day up to a moment (a
// period close, or a read of unbilled usage), once: a unique key per subscription, meter and day
// makes metering idempotent, so concurrent readers and closes never count a day twice.
import { sql, type Kysely, type Transaction } from 'kysely'
import { market } from '../../catalog/catalog.js'
import type { Database } from '../../db/schema.js'
import { scale } from '../../lib/money.js'

/** The one meter the emulator's Azure plan consumes: a D2s v5 virtual machine running all day. */
const METER = {
  id: '0d0a4dd4-7b1c-4f5c-9b1e-5c4a8f0e2d11',
  name: 'D2s v5',
  category: 'Virtual Machines',
  subCategory: 'Dv5 Series',
  unitOfMeasure: '1 Hour',
  hoursPerDay: 24,
  /** USD per hour, in cents; other markets convert at the catalog's rate. */
  unitPriceUsdMinor: 10n
}
const REGIONS: Record<string, string> = { US: 'US East', CA: 'Canada Central', GB: 'UK South', DE: 'Germany West Central', FR: 'France Central', AU: 'Australia East' }

/** Meters every whole day of every Azure plan subscription of the partner before `upTo`. */
export async function accrueUsage (db: Kysely<Database> | Transaction<Database>, partnerTenantId: string, upTo: Date): Promise<void> {
  const plans = await db.selectFrom('subscriptions as s').innerJoin('customers as c', 'c.id', 's.customer_id')
    .select(['s.id', 's.customer_id', 's.currency_code', 'c.billing_address'])
    .where('s.partner_tenant_id', '=', partnerTenantId).where('s.billing_type', '=', 'usage').where('s.status', '=', 'active').execute()
  for (const plan of plans) {
    const country = plan.billing_address.country
    const rate = market(country)?.rate ?? '1'
    const unitPrice = scale(METER.unitPriceUsdMinor, rate)
    await sql`insert into usage_records (partner_tenant_id, customer_id, subscription_id, usage_date, meter_id, meter_name, meter_category,
        meter_sub_category, meter_region, unit_of_measure, quantity, unit_price_minor, amount_minor, currency_code)
      select ${partnerTenantId}::uuid, ${plan.customer_id}::uuid, s.id, day, ${METER.id}::uuid, ${METER.name}, ${METER.category},
        ${METER.subCategory}, ${REGIONS[country] ?? 'US East'}, ${METER.unitOfMeasure}, ${METER.hoursPerDay}, ${unitPrice}, ${unitPrice * BigInt(METER.hoursPerDay)}, s.currency_code
      from subscriptions s
      cross join generate_series(date_trunc('day', s.created_at at time zone 'UTC') at time zone 'UTC',
        date_trunc('day', ${upTo}::timestamptz at time zone 'UTC') at time zone 'UTC' - interval '1 day', interval '1 day') as day
      where s.id = ${plan.id}::uuid
      on conflict (subscription_id, meter_id, usage_date) do nothing`.execute(db)
  }
}
