// SQL that buying and changing subscriptions share: orders, subscriptions and their charges, the
// customer's agreement, and the subscriptions an add-on or a reservation is bought for. Pass the
// purchase's transaction, so that an order, its subscriptions and its charges commit together.
import type { Insertable, Kysely, Updateable } from 'kysely'
import type { ChargesTable, Database, OrderRow, OrdersTable, SubscriptionRow, SubscriptionsTable } from '../db/schema.js'

/** Statuses a term end acts on: an active subscription renews (or expires), a suspended one expires. */
const LIVE = ['active', 'suspended']

export function createCommerceRepository (db: Kysely<Database>) {
  return {
    async insertOrder (row: Insertable<OrdersTable>): Promise<void> {
      await db.insertInto('orders').values(row).execute()
    },

    async insertSubscription (row: Insertable<SubscriptionsTable>): Promise<void> {
      await db.insertInto('subscriptions').values(row).execute()
    },

    async insertCharge (row: Insertable<ChargesTable>): Promise<void> {
      await db.insertInto('charges').values(row).execute()
    },

    /** Orders by id, in the order of `ids`. */
    async ordersByIds (ids: string[]): Promise<OrderRow[]> {
      if (ids.length === 0) return []
      const rows = await db.selectFrom('orders').selectAll().where('id', 'in', ids).execute()
      return ids.map((id) => rows.find((r) => r.id === id)!)
    },

    /** A subscription of the customer, by id. */
    subscription (partnerTenantId: string, customerId: string, subscriptionId: string): Promise<SubscriptionRow | undefined> {
      return db.selectFrom('subscriptions').selectAll().where('partner_tenant_id', '=', partnerTenantId)
        .where('customer_id', '=', customerId.toLowerCase()).where('id', '=', subscriptionId.toLowerCase()).executeTakeFirst()
    },

    /** An active Azure plan subscription of the customer (what an Azure reservation is bought for). */
    async hasActiveAzurePlan (partnerTenantId: string, customerId: string, subscriptionId: string): Promise<boolean> {
      const row = await db.selectFrom('subscriptions').select('id').where('partner_tenant_id', '=', partnerTenantId)
        .where('customer_id', '=', customerId).where('id', '=', subscriptionId.toLowerCase())
        .where('billing_type', '=', 'usage').where('status', '=', 'active').executeTakeFirst()
      return row !== undefined
    },

    async hasAgreement (customerId: string, agreementType: string): Promise<boolean> {
      const row = await db.selectFrom('customer_agreements').select('id')
        .where('customer_id', '=', customerId).where('agreement_type', '=', agreementType).limit(1).executeTakeFirst()
      return row !== undefined
    },

    updateSubscription (id: string, changes: Updateable<SubscriptionsTable>): Promise<SubscriptionRow> {
      return db.updateTable('subscriptions').set(changes).where('id', '=', id).returningAll().executeTakeFirstOrThrow()
    },

    /** Ids of the partner's live subscriptions whose term's last day is before `today` (00:00 UTC): due for renewal or expiry. */
    async dueAtTermEnd (partnerTenantId: string, today: Date): Promise<string[]> {
      const rows = await db.selectFrom('subscriptions').select('id').where('partner_tenant_id', '=', partnerTenantId)
        .where('status', 'in', LIVE).where('commitment_end_at', '<', today).orderBy('commitment_end_at').orderBy('id').execute()
      return rows.map((r) => r.id)
    },

    /**
     * The subscription, locked, if it is still due; undefined once another request renewed it. The lock
     * makes a concurrent renewal wait, and PostgreSQL re-checks the condition on the row it then sees.
     */
    lockDueAtTermEnd (partnerTenantId: string, id: string, today: Date): Promise<SubscriptionRow | undefined> {
      return db.selectFrom('subscriptions').selectAll().where('partner_tenant_id', '=', partnerTenantId).where('id', '=', id)
        .where('status', 'in', LIVE).where('commitment_end_at', '<', today).forUpdate().executeTakeFirst()
    }
  }
}

export type CommerceRepository = ReturnType<typeof createCommerceRepository>
