// SQL of subscriptions: the lists a customer's subscriptions are read in, and the row an update locks.
import type { Kysely } from 'kysely'
import type { Database, SubscriptionRow } from '../../db/schema.js'

export interface SubscriptionFilter { orderId?: string | undefined, mpnId?: string | undefined, parentId?: string }

export function createSubscriptionsRepository (db: Kysely<Database>) {
  return {
    /** The customer's subscriptions in creation order: of one order, one indirect reseller, or one base subscription (add-ons). */
    list (partnerTenantId: string, customerId: string, filter: SubscriptionFilter): Promise<SubscriptionRow[]> {
      let query = db.selectFrom('subscriptions').selectAll().where('partner_tenant_id', '=', partnerTenantId)
        .where('customer_id', '=', customerId.toLowerCase()).orderBy('created_at').orderBy('id')
      if (filter.orderId) query = query.where('order_id', '=', filter.orderId.toLowerCase())
      if (filter.mpnId) query = query.where('reseller_mpn_id', '=', filter.mpnId)
      if (filter.parentId) query = query.where('parent_subscription_id', '=', filter.parentId.toLowerCase())
      return query.execute()
    },

    /** The subscription, locked until the transaction ends (read-check-write of an update). */
    lock (id: string): Promise<SubscriptionRow> {
      return db.selectFrom('subscriptions').selectAll().where('id', '=', id).forUpdate().executeTakeFirstOrThrow()
    }
  }
}
