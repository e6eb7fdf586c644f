// SQL of carts. A cart is taken for checkout by an atomic status change (Active → CheckingOut), so
// that one checkout runs per cart; a failed checkout gives it back.
import type { Insertable, Kysely, Updateable } from 'kysely'
import type { CartRow, CartsTable, Database } from '../../db/schema.js'

/** The status a cart has while a checkout holds it; clients see it as Active. */
const CHECKING_OUT = 'CheckingOut' as 'Active'

export function createCartsRepository (db: Kysely<Database>) {
  return {
    insert (row: Insertable<CartsTable>): Promise<CartRow> {
      return db.insertInto('carts').values(row).returningAll().executeTakeFirstOrThrow()
    },

    find (partnerTenantId: string, customerId: string, cartId: string): Promise<CartRow | undefined> {
      return db.selectFrom('carts').selectAll().where('partner_tenant_id', '=', partnerTenantId)
        .where('customer_id', '=', customerId.toLowerCase()).where('id', '=', cartId.toLowerCase()).executeTakeFirst()
    },

    /** Changes an active cart; undefined when it is no longer active (ordered, or being checked out). */
    updateActive (id: string, changes: Updateable<CartsTable>): Promise<CartRow | undefined> {
      return db.updateTable('carts').set(changes).where('id', '=', id).where('status', '=', 'Active').returningAll().executeTakeFirst()
    },

    /** Takes an active cart for checkout; undefined when another checkout has it or it is ordered. */
    takeForCheckout (id: string): Promise<CartRow | undefined> {
      return db.updateTable('carts').set({ status: CHECKING_OUT }).where('id', '=', id).where('status', '=', 'Active').returningAll().executeTakeFirst()
    },

    async markOrdered (id: string, at: Date, result: { orderIds: string[], orderErrors: unknown[] }): Promise<void> {
      await db.updateTable('carts').set({ status: 'Ordered', last_modified_at: at, checkout_result: JSON.stringify(result) }).where('id', '=', id).execute()
    },

    /** Gives a cart back after a failed checkout. */
    async release (id: string): Promise<void> {
      await db.updateTable('carts').set({ status: 'Active' }).where('id', '=', id).where('status', '=', CHECKING_OUT).execute()
    }
  }
}
