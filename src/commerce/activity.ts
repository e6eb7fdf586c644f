// The audit records and webhook events of a purchase, written in the purchase's transaction: one
// create_order record per order, and subscription-active for each subscription it made (the emulator's
// subscriptions are active as soon as they are bought).
import type { Kysely } from 'kysely'
import { recordActivity } from '../audit/record.js'
import type { Database } from '../db/schema.js'
import { orderOf } from './json.js'
import { createCommerceRepository } from './repository.js'

export async function recordPurchase (trx: Kysely<Database>, partnerTenantId: string, orderIds: string[]): Promise<void> {
  for (const row of await createCommerceRepository(trx).ordersByIds(orderIds)) {
    const order = orderOf(row)
    await recordActivity(trx, {
      partnerTenantId, customerId: row.customer_id, resourceType: 'order', operationType: 'create_order', newValue: order,
      events: order.lineItems.map((line) => ({
        name: 'subscription-active' as const,
        resourcePath: `/v1/customers/${row.customer_id}/subscriptions/${line.subscriptionId}`,
        resourceName: 'subscription'
      }))
    })
  }
}
