// A customer's market is the country of its billing address: what the catalog, carts and orders
// price in. The lookup names the partner, so another partner's customer is a 404.
import type { Kysely } from 'kysely'
import type { Database } from '../db/schema.js'
import { customerNotFound } from '../errors.js'
import { requireMarket, type Market } from './catalog.js'

export async function customerMarket (db: Kysely<Database>, partnerTenantId: string, customerId: string): Promise<Market> {
  const row = await db.selectFrom('customers').select('billing_address')
    .where('partner_tenant_id', '=', partnerTenantId).where('id', '=', customerId.toLowerCase()).executeTakeFirst()
  if (!row) throw customerNotFound(customerId)
  return requireMarket(row.billing_address.country)
}
