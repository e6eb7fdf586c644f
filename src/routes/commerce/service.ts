// Carts, orders and subscriptions: rules, SQL and the mapping to Partner Center JSON.
import { customerMarket as marketOfCustomer } from '../../catalog/customer-market.js'
import type { CartRow, Database, OrderRow, SubscriptionRow, SubscriptionsTable } from '../../db/schema.js'
import type { Kysely, Updateable } from 'kysely'
import {
  autoRenewNotAllowed, billingCycleChangeNotAllowed, cancellationWindowPassed, cartAlreadyOrdered, cartItemErrors, cartCheckoutInProgress, cartNotFound,
  orderNotFound, subscriptionNotFound, etagMismatch, invalidRequest, quantityOutOfRange, subscriptionDeleted, subscriptionSuspended
} from '../../errors.js'
import { etagOf, ifMatchSatisfied } from '../../lib/etag.js'
import { fromMinor } from '../../lib/money.js'
import { link } from '../../schemas/common.js'
import { checkCartLines, cartLinesOf } from './cart-lines.js'
import { groupLines, priceLine, purchase, recordCharge } from './purchase.js'
import type { CartLineItemInput, CreateCart, CreateOrder, UpdateSubscription } from './schemas.js'

const CART_LIFETIME_MS = 7 * 86_400_000
const CHECKING_OUT = 'CheckingOut'

export function cartOf (row: CartRow) {
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

export function orderOf (row: OrderRow) {
  const base = `/customers/${row.customer_id}/orders/${row.id}`
  const lines = row.line_items as Array<{ subscriptionId: string, offerId: string, lineItemNumber: number }>
  return {
    id: row.id,
    alternateId: row.alternate_id,
    referenceCustomerId: row.customer_id,
    billingCycle: row.billing_cycle,
    currencyCode: row.currency_code,
    currencySymbol: row.currency_symbol,
    lineItems: lines.map((l) => ({
      ...l,
      links: {
        subscription: link(`/customers/${row.customer_id}/subscriptions/${l.subscriptionId}`),
        provisioningStatus: link(`${base}/provisioningstatus`)
      }
    })) as unknown as Array<{ lineItemNumber: number, offerId: string, subscriptionId: string, transactionType: string, friendlyName: string, quantity: number, pricing: { listPrice: string, discountedPrice: string, price: string, extendedPrice: string }, links: Record<string, ReturnType<typeof link>> }>,
    creationDate: row.created_at.toISOString(),
    status: row.status,
    transactionType: row.transaction_type,
    totalPrice: fromMinor(BigInt(row.total_price_minor)),
    links: { self: link(base), provisioningStatus: link(`${base}/provisioningstatus`), patchOperation: link(base, 'PATCH') },
    attributes: { objectType: 'Order' }
  }
}

export function subscriptionOf (row: SubscriptionRow, now: Date) {
  const cancellable = row.status !== 'deleted' && row.cancellation_allowed_until !== null && now < row.cancellation_allowed_until
  const base = `/customers/${row.customer_id}/subscriptions/${row.id}`
  const [productId, skuId, availabilityId] = row.catalog_item_id.split(':')
  return {
    id: row.id,
    entitlementId: row.id,
    offerId: row.catalog_item_id,
    offerName: row.offer_name,
    friendlyName: row.friendly_name,
    productType: row.product_type,
    quantity: row.quantity,
    unitType: row.unit_type,
    ...(row.parent_subscription_id ? { parentSubscriptionId: row.parent_subscription_id } : {}),
    ...(row.reseller_mpn_id ? { partnerId: row.reseller_mpn_id } : {}),
    creationDate: row.created_at.toISOString(),
    effectiveStartDate: row.created_at.toISOString(),
    commitmentEndDate: row.commitment_end_at?.toISOString() ?? null,
    cancellationAllowedUntilDate: cancellable ? row.cancellation_allowed_until!.toISOString() : null,
    status: row.status,
    autoRenewEnabled: row.auto_renew_enabled,
    billingType: row.billing_type,
    billingCycle: row.billing_cycle,
    termDuration: row.term_duration,
    isTrial: row.is_trial,
    isMicrosoftProduct: true,
    publisherName: 'Microsoft Corporation',
    actions: row.status === 'deleted' ? [] : cancellable ? ['edit', 'cancel'] : ['edit'],
    suspensionReasons: row.status === 'suspended' ? ['CustomerCancellation'] : [],
    contractType: 'subscription',
    orderId: row.order_id,
    ...(cancellable ? { refundableQuantity: { totalQuantity: row.quantity } } : {}),
    links: {
      self: link(base),
      product: link(`/products/${productId}`),
      sku: link(`/products/${productId}/skus/${skuId}`),
      ...(availabilityId ? { availability: link(`/products/${productId}/skus/${skuId}/availabilities/${availabilityId}`) } : {})
    },
    attributes: { etag: etagOf(row.id, row.version), objectType: 'Subscription' }
  }
}

const isGuidLike = (id: string) => /^[0-9a-f-]{36}$/i.test(id)

export function createCommerceService (db: Kysely<Database>) {
  /** The customer (of this partner) and its market. */
  const customerMarket = (partnerTenantId: string, customerId: string) => marketOfCustomer(db, partnerTenantId, customerId)


  async function findCart (partnerTenantId: string, customerId: string, cartId: string, now: Date) {
    if (!isGuidLike(cartId)) throw cartNotFound(cartId)
    const row = await db.selectFrom('carts').selectAll().where('partner_tenant_id', '=', partnerTenantId)
      .where('customer_id', '=', customerId.toLowerCase()).where('id', '=', cartId.toLowerCase()).executeTakeFirst()
    if (!row) throw cartNotFound(cartId)
    if (row.status !== 'Ordered' && row.expires_at <= now) throw cartNotFound(cartId, 'has expired (carts live 7 days)')
    return row
  }

  async function findSubscription (partnerTenantId: string, customerId: string, subscriptionId: string) {
    if (!isGuidLike(subscriptionId)) throw subscriptionNotFound(subscriptionId)
    const row = await db.selectFrom('subscriptions').selectAll().where('partner_tenant_id', '=', partnerTenantId)
      .where('customer_id', '=', customerId.toLowerCase()).where('id', '=', subscriptionId.toLowerCase()).executeTakeFirst()
    if (!row) throw subscriptionNotFound(subscriptionId)
    return row
  }

  async function ordersByIds (ids: string[]) {
    if (ids.length === 0) return []
    const rows = await db.selectFrom('orders').selectAll().where('id', 'in', ids).execute()
    return ids.map((id) => orderOf(rows.find((r) => r.id === id)!))
  }

  return {
    customerMarket,

    async createCart (partnerTenantId: string, customerId: string, body: CreateCart, user: string, now: Date) {
      const m = await customerMarket(partnerTenantId, customerId)
      const lines = await checkCartLines(db, partnerTenantId, customerId.toLowerCase(), body.lineItems, m)
      const row = await db.insertInto('carts').values({
        id: crypto.randomUUID(),
        partner_tenant_id: partnerTenantId,
        customer_id: customerId.toLowerCase(),
        status: 'Active',
        line_items: JSON.stringify(cartLinesOf(lines, m)),
        attestation_accepted: body.partnerOnRecordAttestationAccepted ?? false,
        created_at: now,
        last_modified_at: now,
        expires_at: new Date(now.getTime() + CART_LIFETIME_MS),
        last_modified_user: user
      }).returningAll().executeTakeFirstOrThrow()
      return cartOf(row)
    },

    async getCart (partnerTenantId: string, customerId: string, cartId: string, now: Date) {
      return cartOf(await findCart(partnerTenantId, customerId, cartId, now))
    },

    async replaceCart (partnerTenantId: string, customerId: string, cartId: string, body: CreateCart, user: string, now: Date) {
      const m = await customerMarket(partnerTenantId, customerId)
      const cart = await findCart(partnerTenantId, customerId, cartId, now)
      const lines = JSON.stringify(cartLinesOf(await checkCartLines(db, partnerTenantId, cart.customer_id, body.lineItems, m), m))
      const row = await db.updateTable('carts').set({
        line_items: lines, attestation_accepted: body.partnerOnRecordAttestationAccepted ?? cart.attestation_accepted, last_modified_at: now, last_modified_user: user
      }).where('id', '=', cart.id).where('status', '=', 'Active').returningAll().executeTakeFirst()
      if (!row) throw cart.status === 'Ordered' ? cartAlreadyOrdered(cartId) : cartCheckoutInProgress(cartId)
      return cartOf(row)
    },

    /**
     * One checkout per cart: the cart is taken by an atomic status change, so a concurrent checkout
     * gets 409 (800064) and a later one 400 (800065); a failed checkout gives the cart back.
     */
    async checkout (partnerTenantId: string, customerId: string, cartId: string, now: Date) {
      const cart = await findCart(partnerTenantId, customerId, cartId, now)
      const taken = await db.updateTable('carts').set({ status: CHECKING_OUT as 'Active' })
        .where('id', '=', cart.id).where('status', '=', 'Active').returningAll().executeTakeFirst()
      if (!taken) {
        const current = await findCart(partnerTenantId, customerId, cartId, now)
        throw current.status === 'Ordered' ? cartAlreadyOrdered(cartId) : cartCheckoutInProgress(cartId)
      }
      try {
        const m = await customerMarket(partnerTenantId, customerId)
        // Checked again: the catalog or the customer's subscriptions may have changed since the cart was written.
        const lines = await checkCartLines(db, partnerTenantId, cart.customer_id, taken.line_items as CartLineItemInput[], m)
        const failed = [...new Set(lines.filter((l) => l.error).map((l) => l.orderGroup))]
        const orderErrors = failed.map((group) => ({
          orderGroupId: group,
          code: 800009,
          description: lines.filter((l) => l.orderGroup === group && l.error).map((l) => `line ${l.index}: ${l.error!.errorCode} ${l.error!.errorDescription}`).join('; ')
        }))
        const buyable = lines.filter((l) => !failed.includes(l.orderGroup)).map((l) => ({ ...l.priced!, orderGroup: l.orderGroup }))
        if (buyable.length === 0) throw cartItemErrors(orderErrors)
        const orderIds = await db.transaction().execute(async (trx) => {
          const ids = await purchase(trx, { partnerTenantId, customerId: cart.customer_id, market: m, now, cartId: cart.id }, buyable)
          await trx.updateTable('carts').set({ status: 'Ordered', last_modified_at: now, checkout_result: JSON.stringify({ orderIds: ids, orderErrors }) })
            .where('id', '=', cart.id).execute()
          return ids
        })
        return { orders: await ordersByIds(orderIds), orderErrors, attributes: { objectType: 'CartCheckoutResult' } }
      } catch (error) {
        await db.updateTable('carts').set({ status: 'Active' }).where('id', '=', cart.id).where('status', '=', CHECKING_OUT as 'Active').execute()
        throw error
      }
    },

    async createOrder (partnerTenantId: string, customerId: string, body: CreateOrder, now: Date) {
      const m = await customerMarket(partnerTenantId, customerId)
      const priced = groupLines(body.lineItems.map((l, i) => priceLine({
        id: l.lineItemNumber ?? i, catalogItemId: l.offerId, quantity: l.quantity, billingCycle: body.billingCycle,
        ...(l.friendlyName ? { friendlyName: l.friendlyName } : {}), ...(l.termDuration ? { termDuration: l.termDuration } : {}),
        ...(l.partnerIdOnRecord ? { participants: [{ key: 'transaction_reseller', value: l.partnerIdOnRecord }] } : {})
      }, i, m, l.parentSubscriptionId)))
      if (new Set(priced.map((p) => p.orderGroup)).size > 1) throw invalidRequest('All lines of an order share one billing cycle.')
      const [orderId] = await db.transaction().execute((trx) => purchase(trx, { partnerTenantId, customerId: customerId.toLowerCase(), market: m, now }, priced))
      return (await ordersByIds([orderId!]))[0]!
    },

    async listOrders (partnerTenantId: string, customerId: string, billingType: string | undefined) {
      await customerMarket(partnerTenantId, customerId)
      let query = db.selectFrom('orders').selectAll().where('partner_tenant_id', '=', partnerTenantId)
        .where('customer_id', '=', customerId.toLowerCase()).orderBy('created_at').orderBy('id')
      if (billingType) {
        const cycle = billingType.toLowerCase() === 'onetime' ? 'one_time' : billingType.toLowerCase()
        query = query.where('billing_cycle', '=', cycle)
      }
      return (await query.execute()).map(orderOf)
    },

    async getOrder (partnerTenantId: string, customerId: string, orderId: string) {
      const row = await db.selectFrom('orders').selectAll().where('partner_tenant_id', '=', partnerTenantId)
        .where('customer_id', '=', customerId.toLowerCase()).where('id', '=', orderId.toLowerCase()).executeTakeFirst()
      if (!row) throw orderNotFound(orderId)
      return row
    },

    async listSubscriptions (partnerTenantId: string, customerId: string, filter: { orderId?: string | undefined, mpnId?: string | undefined, parentId?: string }, now: Date) {
      await customerMarket(partnerTenantId, customerId)
      let query = db.selectFrom('subscriptions').selectAll().where('partner_tenant_id', '=', partnerTenantId)
        .where('customer_id', '=', customerId.toLowerCase()).orderBy('created_at').orderBy('id')
      if (filter.orderId) query = query.where('order_id', '=', filter.orderId.toLowerCase())
      if (filter.mpnId) query = query.where('reseller_mpn_id', '=', filter.mpnId)
      if (filter.parentId) query = query.where('parent_subscription_id', '=', filter.parentId.toLowerCase())
      return (await query.execute()).map((row) => subscriptionOf(row, now))
    },

    findSubscription,

    async getSubscription (partnerTenantId: string, customerId: string, subscriptionId: string, now: Date) {
      return subscriptionOf(await findSubscription(partnerTenantId, customerId, subscriptionId), now)
    },

    /**
     * Quantity, status (suspend, reactivate, cancel), auto-renew and friendly name, with the documented
     * rules. Quantity changes and cancellations are charged (or refunded) at the unit price. `slow`: the
     * change is one the real service answers with 202 (a status change of an Azure plan).
     */
    async updateSubscription (partnerTenantId: string, customerId: string, subscriptionId: string, ifMatch: string | undefined, body: UpdateSubscription, now: Date) {
      const found = await findSubscription(partnerTenantId, customerId, subscriptionId)
      return db.transaction().execute(async (trx) => {
        const row = await trx.selectFrom('subscriptions').selectAll().where('id', '=', found.id).forUpdate().executeTakeFirstOrThrow()
        if (ifMatch && !ifMatchSatisfied(ifMatch, etagOf(row.id, row.version))) throw etagMismatch()
        if (row.status === 'deleted') throw subscriptionDeleted()
        if (body.billingCycle !== undefined && body.billingCycle.toLowerCase() !== row.billing_cycle) throw billingCycleChangeNotAllowed()
        const status = body.status?.toLowerCase()
        if (status !== undefined && !['active', 'suspended', 'deleted'].includes(status)) throw invalidRequest(`status ${body.status} is not a change a partner can make.`)
        const inWindow = row.cancellation_allowed_until !== null && now < row.cancellation_allowed_until
        const changes: Updateable<SubscriptionsTable> = {}
        if (status === 'deleted') {
          if (!inWindow) throw cancellationWindowPassed(row.cancellation_allowed_until)
          changes.status = 'deleted'
          changes.auto_renew_enabled = false
          await recordCharge(trx, row, 'cancel', -row.quantity, now)
        } else {
          if (status === 'suspended' && row.status !== 'suspended') Object.assign(changes, { status: 'suspended', suspended_at: now })
          if (status === 'active' && row.status === 'suspended') Object.assign(changes, { status: 'active', suspended_at: null })
          if (body.quantity !== undefined && body.quantity !== row.quantity) {
            if ((changes.status ?? row.status) === 'suspended') throw subscriptionSuspended()
            if (body.quantity < row.minimum_quantity || body.quantity > row.maximum_quantity) throw quantityOutOfRange(row.minimum_quantity, row.maximum_quantity)
            if (body.quantity < row.quantity && !inWindow) throw cancellationWindowPassed(row.cancellation_allowed_until)
            await recordCharge(trx, row, body.quantity > row.quantity ? 'addQuantity' : 'removeQuantity', body.quantity - row.quantity, now)
            changes.quantity = body.quantity
          }
          if (body.autoRenewEnabled !== undefined && body.autoRenewEnabled !== row.auto_renew_enabled) {
            if (row.commitment_end_at === null || row.is_trial) throw autoRenewNotAllowed()
            changes.auto_renew_enabled = body.autoRenewEnabled
          }
          if (body.friendlyName !== undefined) changes.friendly_name = body.friendlyName
        }
        if (Object.keys(changes).length === 0) return { subscription: subscriptionOf(row, now), slow: false }
        const updated = await trx.updateTable('subscriptions').set({ ...changes, version: row.version + 1 })
          .where('id', '=', row.id).returningAll().executeTakeFirstOrThrow()
        // Suspending or reactivating Azure takes the real service minutes: a slow change (202).
        return { subscription: subscriptionOf(updated, now), slow: row.billing_type === 'usage' && updated.status !== row.status }
      })
    },

    /** Cancels an order whose subscriptions are all inside their cancellation window (full refund). */
    async cancelOrder (partnerTenantId: string, customerId: string, orderId: string, now: Date) {
      const order = await this.getOrder(partnerTenantId, customerId, orderId)
      if (order.status === 'cancelled') return orderOf(order)
      return db.transaction().execute(async (trx) => {
        const subs = await trx.selectFrom('subscriptions').selectAll().where('order_id', '=', order.id).forUpdate().execute()
        const blocking = subs.find((s) => s.status !== 'deleted' && (s.cancellation_allowed_until === null || now >= s.cancellation_allowed_until))
        if (blocking) throw cancellationWindowPassed(blocking.cancellation_allowed_until)
        for (const s of subs.filter((x) => x.status !== 'deleted')) {
          await trx.updateTable('subscriptions').set({ status: 'deleted', auto_renew_enabled: false, version: s.version + 1 }).where('id', '=', s.id).execute()
          await recordCharge(trx, s, 'cancel', -s.quantity, now)
        }
        const updated = await trx.updateTable('orders').set({ status: 'cancelled' }).where('id', '=', order.id).returningAll().executeTakeFirstOrThrow()
        return orderOf(updated)
      })
    }
  }
}
