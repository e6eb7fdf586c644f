// SQL of orders, and of the subscriptions an order cancellation ends.
import type { Kysely } from 'kysely'
import type { Database, OrderRow, SubscriptionRow } from '../../db/schema.js'

export function createOrdersRepository (db: Kysely<Database>) {
  return {
    /** The customer's orders in creation order, of one billing cycle when given. */
    list (partnerTenantId: string, customerId: string, billingCycle: string | undefined): Promise<OrderRow[]> {
      let query = db.selectFrom('orders').selectAll().where('partner_tenant_id', '=', partnerTenantId)
        .where('customer_id', '=', customerId.toLowerCase()).orderBy('created_at').orderBy('id')
      if (billingCycle) query = query.where('billing_cycle', '=', billingCycle)
      return query.execute()
    },

    find (partnerTenantId: string, customerId: string, orderId: string): Promise<OrderRow | undefined> {
      return db.selectFrom('orders').selectAll().where('partner_tenant_id', '=', partnerTenantId)
        .where('customer_id', '=', customerId.toLowerCase()).where('id', '=', orderId.toLowerCase()).executeTakeFirst()
    },

    /** The order's subscriptions, locked until the transaction ends. */
    lockSubscriptions (orderId: string): Promise<SubscriptionRow[]> {
      return db.selectFrom('subscriptions').selectAll().where('order_id', '=', orderId).forUpdate().execute()
    },

    markCancelled (orderId: string): Promise<OrderRow> {
      return db.updateTable('orders').set({ status: 'cancelled' }).where('id', '=', orderId).returningAll().executeTakeFirstOrThrow()
    }
  }
}
