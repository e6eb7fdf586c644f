// SQL of upgrades and transitions: the subscriptions involved (locked for a write), the source's add-ons,
// the customer's subscriptions of a target, and the transitions kept for a subscription's history.
// Every query names the partner tenant.
import type { Insertable, Kysely, Updateable } from 'kysely'
import type { Database, SubscriptionRow, SubscriptionsTable, SubscriptionTransitionRow, SubscriptionTransitionsTable } from '../../db/schema.js'

export function createTransitionsRepository (db: Kysely<Database>) {
  return {
    /** The partner's subscription, locked until the transaction ends (read-check-write). */
    lock (partnerTenantId: string, id: string): Promise<SubscriptionRow | undefined> {
      return db.selectFrom('subscriptions').selectAll().where('partner_tenant_id', '=', partnerTenantId)
        .where('id', '=', id.toLowerCase()).forUpdate().executeTakeFirst()
    },

    update (partnerTenantId: string, id: string, changes: Updateable<SubscriptionsTable>): Promise<SubscriptionRow> {
      return db.updateTable('subscriptions').set(changes).where('partner_tenant_id', '=', partnerTenantId)
        .where('id', '=', id).returningAll().executeTakeFirstOrThrow()
    },

    /** Add-ons bought onto the subscription that are not cancelled. */
    async activeAddOns (partnerTenantId: string, customerId: string, parentId: string): Promise<number> {
      const row = await db.selectFrom('subscriptions').select((eb) => eb.fn.countAll<string>().as('n'))
        .where('partner_tenant_id', '=', partnerTenantId).where('customer_id', '=', customerId)
        .where('parent_subscription_id', '=', parentId).where('status', '!=', 'deleted').executeTakeFirstOrThrow()
      return Number(row.n)
    },

    /** The customer's live subscriptions of a product's SKU (`productId:skuId`), oldest first. */
    ofSku (partnerTenantId: string, customerId: string, productSku: string): Promise<SubscriptionRow[]> {
      return db.selectFrom('subscriptions').selectAll().where('partner_tenant_id', '=', partnerTenantId)
        .where('customer_id', '=', customerId).where('status', '!=', 'deleted')
        .where((eb) => eb(eb.fn('lower', ['catalog_item_id']), 'like', `${productSku.toLowerCase()}:%`))
        .orderBy('created_at').orderBy('id').execute()
    },

    /** The customer's active subscription of a legacy offer with this billing cycle, if any (an upgrade adds seats to it). */
    activeOfOffer (partnerTenantId: string, customerId: string, offerId: string, billingCycle: string): Promise<SubscriptionRow | undefined> {
      return db.selectFrom('subscriptions').selectAll().where('partner_tenant_id', '=', partnerTenantId)
        .where('customer_id', '=', customerId).where('catalog_item_id', '=', offerId).where('billing_cycle', '=', billingCycle)
        .where('status', '=', 'active').orderBy('created_at').limit(1).forUpdate().executeTakeFirst()
    },

    async insertTransition (row: Insertable<SubscriptionTransitionsTable>): Promise<void> {
      await db.insertInto('subscription_transitions').values(row).execute()
    },

    /** A subscription's transitions, from it or into it, oldest first; or the one with `operationId`. */
    transitions (partnerTenantId: string, customerId: string, subscriptionId: string, operationId?: string): Promise<SubscriptionTransitionRow[]> {
      let query = db.selectFrom('subscription_transitions').selectAll().where('partner_tenant_id', '=', partnerTenantId)
        .where('customer_id', '=', customerId)
        .where((eb) => eb.or([eb('from_subscription_id', '=', subscriptionId), eb('to_subscription_id', '=', subscriptionId)]))
        .orderBy('created_at').orderBy('id')
      if (operationId) query = query.where('id', '=', operationId.toLowerCase())
      return query.execute()
    }
  }
}

export type TransitionsRepository = ReturnType<typeof createTransitionsRepository>
