// Orders: bought directly (one order, all lines on one billing cycle) or by a cart's checkout; read,
// and cancelled while every subscription of the order is inside its cancellation window.
import type { Kysely } from 'kysely'
import { recordActivity } from '../../audit/record.js'
import { customerMarket } from '../../catalog/customer-market.js'
import { recordPurchase } from '../../commerce/activity.js'
import { orderOf } from '../../commerce/json.js'
import { groupLines, priceLine, purchase, recordCharge } from '../../commerce/purchase.js'
import { renewDue } from '../../commerce/renewal.js'
import { createCommerceRepository } from '../../commerce/repository.js'
import type { Database } from '../../db/schema.js'
import { createDirectoryRepository } from '../../directory/repository.js'
import { cancellationWindowPassed, invalidRequest, orderNotFound } from '../../errors.js'
import { createOrdersRepository } from './repository.js'
import type { CreateOrder } from './schemas.js'

export function createOrdersService (db: Kysely<Database>) {
  const orders = createOrdersRepository(db)
  const commerce = createCommerceRepository(db)
  const directory = createDirectoryRepository(db)

  async function mustFind (partnerTenantId: string, customerId: string, orderId: string) {
    const row = await orders.find(partnerTenantId, customerId, orderId)
    if (!row) throw orderNotFound(orderId)
    return row
  }

  return {
    async create (partnerTenantId: string, customerId: string, body: CreateOrder, now: Date) {
      const market = await customerMarket(directory, partnerTenantId, customerId)
      const priced = groupLines(body.lineItems.map((l, i) => priceLine({
        id: l.lineItemNumber ?? i,
        catalogItemId: l.offerId,
        quantity: l.quantity,
        billingCycle: body.billingCycle ?? 'monthly',
        ...(l.friendlyName ? { friendlyName: l.friendlyName } : {}),
        ...(l.termDuration ? { termDuration: l.termDuration } : {}),
        ...(l.partnerIdOnRecord ? { participants: [{ key: 'transaction_reseller', value: l.partnerIdOnRecord }] } : {})
      }, i, market, l.parentSubscriptionId)))
      if (new Set(priced.map((p) => p.orderGroup)).size > 1) throw invalidRequest('All lines of an order share one billing cycle.')
      const context = { partnerTenantId, customerId: customerId.toLowerCase(), market, now }
      // An add-on's parent must be in its current term (or expired) before it is checked.
      await renewDue(db, partnerTenantId, now)
      const [orderId] = await db.transaction().execute(async (trx) => {
        const ids = await purchase(createCommerceRepository(trx), context, priced)
        await recordPurchase(trx, partnerTenantId, ids)
        return ids
      })
      return orderOf((await commerce.ordersByIds([orderId!]))[0]!)
    },

    /** `billingType` as the API takes it: onetime, monthly, annual... */
    async list (partnerTenantId: string, customerId: string, billingType: string | undefined, includePrice = false) {
      await customerMarket(directory, partnerTenantId, customerId)
      const cycle = billingType?.toLowerCase() === 'onetime' ? 'one_time' : billingType?.toLowerCase()
      return (await orders.list(partnerTenantId, customerId, cycle)).map((row) => orderOf(row, { includePrice }))
    },

    async get (partnerTenantId: string, customerId: string, orderId: string, includePrice = false) {
      return orderOf(await mustFind(partnerTenantId, customerId, orderId), { includePrice })
    },

    /** Orders complete at once: every line is Fulfilled, or Cancelled with its order. */
    async provisioningStatus (partnerTenantId: string, customerId: string, orderId: string) {
      const order = orderOf(await mustFind(partnerTenantId, customerId, orderId))
      const status = order.status === 'cancelled' ? 'Cancelled' : 'Fulfilled'
      return order.lineItems.map((l) => ({
        lineItemNumber: l.lineItemNumber,
        status,
        quantityProvisioningInformation: [{ quantity: l.quantity, status }],
        attributes: { objectType: 'OrderLineItemProvisioningStatus' }
      }))
    },

    /** Cancels an order whose subscriptions are all inside their cancellation window (full refund). */
    async cancel (partnerTenantId: string, customerId: string, orderId: string, now: Date) {
      const order = await mustFind(partnerTenantId, customerId, orderId)
      if (order.status === 'cancelled') return orderOf(order)
      // A renewal reopens its subscription's cancellation window: bring the terms up to now first.
      await renewDue(db, partnerTenantId, now)
      return db.transaction().execute(async (trx) => {
        const repo = createOrdersRepository(trx)
        const purchases = createCommerceRepository(trx)
        const subscriptions = await repo.lockSubscriptions(order.id)
        const blocking = subscriptions.find((s) => s.status !== 'deleted' &&
          (s.cancellation_allowed_until === null || now >= s.cancellation_allowed_until))
        if (blocking) throw cancellationWindowPassed(blocking.cancellation_allowed_until)
        for (const s of subscriptions.filter((x) => x.status !== 'deleted')) {
          await purchases.updateSubscription(s.id, { status: 'deleted', auto_renew_enabled: false, version: s.version + 1 })
          await recordCharge(purchases, s, 'cancel', -s.quantity, now)
        }
        const cancelled = orderOf(await repo.markCancelled(order.id))
        await recordActivity(trx, {
          partnerTenantId, customerId: order.customer_id, resourceType: 'order', operationType: 'update_order', oldValue: orderOf(order), newValue: cancelled,
          events: subscriptions.map((s) => ({ name: 'subscription-updated' as const, resourcePath: `/v1/customers/${order.customer_id}/subscriptions/${s.id}`, resourceName: 'subscription' }))
        })
        return cancelled
      })
    }
  }
}
