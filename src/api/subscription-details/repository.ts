// SQL of a subscription's details: the partner's indirect resellers (support contacts), whether the
// partner is an integration sandbox (activation), the order whose lines link to activation, and the
// subscription row a detail write locks and changes.
import type { Kysely, Updateable } from 'kysely'
import type { Database, IndirectResellerRow, OrderRow, SubscriptionRow, SubscriptionsTable } from '../../db/schema.js'

export function createSubscriptionDetailsRepository (db: Kysely<Database>) {
  return {
    /** The partner's indirect reseller with this tenant id, if it works with the partner. */
    reseller (partnerTenantId: string, resellerTenantId: string): Promise<IndirectResellerRow | undefined> {
      return db.selectFrom('indirect_resellers').selectAll().where('partner_tenant_id', '=', partnerTenantId)
        .where('reseller_tenant_id', '=', resellerTenantId.toLowerCase()).executeTakeFirst()
    },

    async isIntegrationSandbox (partnerTenantId: string): Promise<boolean> {
      const row = await db.selectFrom('partner_tenants').select('integration_sandbox').where('id', '=', partnerTenantId).executeTakeFirst()
      return row?.integration_sandbox ?? false
    },

    /** An order of the partner's customer, by id. */
    order (partnerTenantId: string, customerId: string, orderId: string): Promise<OrderRow | undefined> {
      return db.selectFrom('orders').selectAll().where('partner_tenant_id', '=', partnerTenantId)
        .where('customer_id', '=', customerId.toLowerCase()).where('id', '=', orderId.toLowerCase()).executeTakeFirst()
    },

    /** The subscription, locked until the transaction ends (read-check-write). */
    lock (id: string): Promise<SubscriptionRow> {
      return db.selectFrom('subscriptions').selectAll().where('id', '=', id).forUpdate().executeTakeFirstOrThrow()
    },

    update (id: string, changes: Updateable<SubscriptionsTable>): Promise<SubscriptionRow> {
      return db.updateTable('subscriptions').set(changes).where('id', '=', id).returningAll().executeTakeFirstOrThrow()
    }
  }
}
