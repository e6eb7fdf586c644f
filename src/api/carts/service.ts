// Carts: lines priced from the catalog in the customer's market and grouped into order groups (one
// order each at checkout); a line the catalog refuses keeps a CartError instead of failing the cart.
import type { Kysely } from 'kysely'
import { customerMarket } from '../../catalog/customer-market.js'
import { cartLinesOf, checkCartLines } from '../../commerce/cart-lines.js'
import { recordPurchase } from '../../commerce/activity.js'
import { orderOf } from '../../commerce/json.js'
import { purchase } from '../../commerce/purchase.js'
import { renewDue } from '../../commerce/renewal.js'
import { createCommerceRepository } from '../../commerce/repository.js'
import type { CartLineItemInput } from '../../commerce/schemas.js'
import type { CartRow, Database } from '../../db/schema.js'
import { createDirectoryRepository } from '../../directory/repository.js'
import { cartAlreadyOrdered, cartCheckoutInProgress, cartItemErrors, cartNotFound } from '../../errors.js'
import { isGuid } from '../../lib/ids.js'
import { link } from '../../schemas/common.js'
import { createCartsRepository } from './repository.js'
import type { CreateCart } from './schemas.js'

const CART_LIFETIME_MS = 7 * 86_400_000

export function createCartsService (db: Kysely<Database>) {
  const carts = createCartsRepository(db)
  const commerce = createCommerceRepository(db)
  const directory = createDirectoryRepository(db)

  async function findCart (partnerTenantId: string, customerId: string, cartId: string, now: Date) {
    const row = isGuid(cartId) ? await carts.find(partnerTenantId, customerId, cartId) : undefined
    if (!row) throw cartNotFound(cartId)
    if (row.status !== 'Ordered' && row.expires_at <= now) throw cartNotFound(cartId, 'has expired (carts live 7 days)')
    return row
  }

  return {
    async create (partnerTenantId: string, customerId: string, body: CreateCart, user: string, now: Date) {
      const market = await customerMarket(directory, partnerTenantId, customerId)
      const lines = await checkCartLines(commerce, partnerTenantId, customerId.toLowerCase(), body.lineItems, market)
      const row = await carts.insert({
        id: crypto.randomUUID(),
        partner_tenant_id: partnerTenantId,
        customer_id: customerId.toLowerCase(),
        status: 'Active',
        line_items: JSON.stringify(cartLinesOf(lines, market)),
        attestation_accepted: body.partnerOnRecordAttestationAccepted ?? false,
        created_at: now,
        last_modified_at: now,
        expires_at: new Date(now.getTime() + CART_LIFETIME_MS),
        last_modified_user: user
      })
      return cartOf(row)
    },

    async get (partnerTenantId: string, customerId: string, cartId: string, now: Date) {
      return cartOf(await findCart(partnerTenantId, customerId, cartId, now))
    },

    async replace (partnerTenantId: string, customerId: string, cartId: string, body: CreateCart, user: string, now: Date) {
      const market = await customerMarket(directory, partnerTenantId, customerId)
      const cart = await findCart(partnerTenantId, customerId, cartId, now)
      const lines = cartLinesOf(await checkCartLines(commerce, partnerTenantId, cart.customer_id, body.lineItems, market), market)
      const row = await carts.updateActive(cart.id, {
        line_items: JSON.stringify(lines),
        attestation_accepted: body.partnerOnRecordAttestationAccepted ?? cart.attestation_accepted,
        last_modified_at: now,
        last_modified_user: user
      })
      if (!row) throw cart.status === 'Ordered' ? cartAlreadyOrdered(cartId) : cartCheckoutInProgress(cartId)
      return cartOf(row)
    },

    /**
     * One checkout per cart: the cart is taken by an atomic status change, so a concurrent checkout
     * gets 409 (800064) and a later one 400 (800065); a failed checkout gives the cart back.
     */
    async checkout (partnerTenantId: string, customerId: string, cartId: string, now: Date) {
      const cart = await findCart(partnerTenantId, customerId, cartId, now)
      const taken = await carts.takeForCheckout(cart.id)
      if (!taken) {
        const current = await findCart(partnerTenantId, customerId, cartId, now)
        throw current.status === 'Ordered' ? cartAlreadyOrdered(cartId) : cartCheckoutInProgress(cartId)
      }
      try {
        const market = await customerMarket(directory, partnerTenantId, customerId)
        // An add-on's parent must be in its current term (or expired) before it is checked.
        await renewDue(db, partnerTenantId, now)
        // Checked again: the catalog or the customer's subscriptions may have changed since the cart was written.
        const lines = await checkCartLines(commerce, partnerTenantId, cart.customer_id, taken.line_items as CartLineItemInput[], market)
        const failed = [...new Set(lines.filter((l) => l.error).map((l) => l.orderGroup))]
        const orderErrors = failed.map((group) => ({
          orderGroupId: group,
          code: 800009,
          description: lines.filter((l) => l.orderGroup === group && l.error)
            .map((l) => `line ${l.index}: ${l.error!.errorCode} ${l.error!.errorDescription}`).join('; ')
        }))
        const buyable = lines.filter((l) => !failed.includes(l.orderGroup)).map((l) => ({ ...l.priced!, orderGroup: l.orderGroup }))
        if (buyable.length === 0) throw cartItemErrors(orderErrors)
        const orderIds = await db.transaction().execute(async (trx) => {
          const context = { partnerTenantId, customerId: cart.customer_id, market, now, cartId: cart.id }
          const ids = await purchase(createCommerceRepository(trx), context, buyable)
          await createCartsRepository(trx).markOrdered(cart.id, now, { orderIds: ids, orderErrors })
          await recordPurchase(trx, partnerTenantId, ids)
          return ids
        })
        const orders = (await commerce.ordersByIds(orderIds)).map((row) => orderOf(row))
        return { orders, orderErrors, attributes: { objectType: 'CartCheckoutResult' } }
      } catch (error) {
        await carts.release(cart.id)
        throw error
      }
    }
  }
}

function cartOf (row: CartRow) {
  return {
    id: row.id,
    creationTimestamp: row.created_at.toISOString(),
    lastModifiedTimestamp: row.last_modified_at.toISOString(),
    expirationTimestamp: row.expires_at.toISOString(),
    lastModifiedUser: row.last_modified_user,
    lineItems: row.line_items as Array<CartLineItemInput & { id: number, currencyCode: string, orderGroup: string }>,
    status: row.status === 'Ordered' ? 'Ordered' as const : 'Active' as const,
    partnerOnRecordAttestationAccepted: row.attestation_accepted,
    links: { self: link(`/customers/${row.customer_id}/carts/${row.id}`) },
    attributes: { objectType: 'Cart' }
  }
}
