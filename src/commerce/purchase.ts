// Buying: prices cart or order lines from the catalog, then turns them into orders (one per order
// group), subscriptions (one per line) and charges, in one transaction. Used by cart checkout and by
// POST /orders. Money is integer minor units; decimal strings only at the edge.
import { isReservation, resolveCatalogItem, resolveLegacyOffer, type CatalogItem, type Market } from '../catalog/catalog.js'
import type { SubscriptionRow } from '../db/schema.js'
import { agreementRequired, invalidOfferId, invalidRequest, quantityOutOfRange, subscriptionNotFound } from '../errors.js'
import { DAY_MS } from '../lib/dates.js'
import { ownValue } from '../lib/ids.js'
import { fromMinor } from '../lib/money.js'
import type { CommerceRepository } from './repository.js'
import type { CartLineItemInput } from './schemas.js'

/** New-commerce cancellation window (LEARN: 7 days after purchase or renewal). */
export const CANCELLATION_WINDOW_DAYS = 7
export const MCA = 'MicrosoftCustomerAgreement'

export interface PricedLine {
  id: number
  item: CatalogItem
  quantity: number
  friendlyName: string
  billingCycle: string
  termDuration: string
  unitPrice: bigint
  orderGroup: string
  input: CartLineItemInput
  /** Add-ons only: the base subscription they are bought onto. */
  parentSubscriptionId?: string
}

/** Billing cycles as Partner Center writes them on carts and orders (lower snake case). */
export const CYCLES: Record<string, string> = { monthly: 'monthly', annual: 'annual', triennial: 'triennial', one_time: 'one_time', onetime: 'one_time', none: 'none' }

/** Validates one line against the catalog and prices it; `index` names it in errors. */
export function priceLine (input: CartLineItemInput, index: number, market: Market, parentSubscriptionId?: string): Omit<PricedLine, 'orderGroup'> {
  const item = resolveCatalogItem(input.catalogItemId) ?? resolveLegacyOffer(input.catalogItemId)
  if (!item) throw invalidOfferId(input.catalogItemId)
  const billingCycle = ownValue(CYCLES, input.billingCycle.toLowerCase())
  const term = billingCycle && item.term(input.termDuration, billingCycle, market)
  if (!billingCycle || !term) {
    throw invalidRequest(`Line ${index}: ${item.catalogItemId} is not sold with billingCycle ${input.billingCycle}` +
      `${input.termDuration ? ` and termDuration ${input.termDuration}` : ''}.`, [`lineItems[${index}].billingCycle`])
  }
  if (input.quantity < item.sku.minimumQuantity || input.quantity > item.sku.maximumQuantity) {
    throw quantityOutOfRange(item.sku.minimumQuantity, item.sku.maximumQuantity)
  }
  if (item.sku.addonOf && !parentSubscriptionId) {
    throw invalidRequest(`Line ${index}: ${item.catalogItemId} is an add-on; buy it with an order line naming its parentSubscriptionId.`)
  }
  if (!item.sku.addonOf && parentSubscriptionId) throw invalidRequest(`Line ${index}: ${item.catalogItemId} is not an add-on.`)
  return {
    id: input.id ?? index,
    item,
    quantity: input.quantity,
    friendlyName: input.friendlyName ?? item.sku.title,
    billingCycle,
    termDuration: term.duration,
    unitPrice: term.unitPrice,
    input,
    ...(parentSubscriptionId ? { parentSubscriptionId: parentSubscriptionId.toLowerCase() } : {})
  }
}

/** Lines with the same billing cycle become one order: their order group. */
export function groupLines (lines: Array<Omit<PricedLine, 'orderGroup'>>): PricedLine[] {
  const groups = orderGroups(lines.map((line) => line.billingCycle))
  return lines.map((line, i) => ({ ...line, orderGroup: groups[i]! }))
}

/** The order group of each line, numbered in order of first appearance of its billing cycle. */
export function orderGroups (billingCycles: string[]): string[] {
  const seen: string[] = []
  return billingCycles.map((cycle) => {
    if (!seen.includes(cycle)) seen.push(cycle)
    return String(seen.indexOf(cycle))
  })
}

export const TERM_MONTHS: Record<string, number> = { P1M: 1, P1Y: 12, P3Y: 36 }
const hex12 = () => crypto.randomUUID().replaceAll('-', '').slice(0, 12)

/**
 * The same day `months` later, or the month's last day when it has no such day: 31 January plus a month
 * is 28 (or 29) February, never 2 or 3 March, which would push every later renewal by days.
 */
export function addMonths (date: Date, months: number): Date {
  const end = new Date(date)
  const day = date.getUTCDate()
  end.setUTCDate(1)
  end.setUTCMonth(end.getUTCMonth() + months)
  const lastDay = new Date(Date.UTC(end.getUTCFullYear(), end.getUTCMonth() + 1, 0)).getUTCDate()
  end.setUTCDate(Math.min(day, lastDay))
  return end
}

export interface PurchaseContext {
  partnerTenantId: string
  customerId: string
  market: Market
  now: Date
  cartId?: string
}

/** Creates the orders, subscriptions and charges of priced lines; returns the order rows' ids in group order. */
export async function purchase (commerce: CommerceRepository, context: PurchaseContext, lines: PricedLine[]): Promise<string[]> {
  if (lines.some((l) => l.item.isNewCommerce) && !await commerce.hasAgreement(context.customerId, MCA)) throw agreementRequired(context.customerId)
  for (const line of lines.filter((l) => l.parentSubscriptionId)) await requireParent(commerce, context, line)
  const orderIds: string[] = []
  for (const group of [...new Set(lines.map((l) => l.orderGroup))]) {
    const groupLines = lines.filter((l) => l.orderGroup === group)
    const orderId = hex12()
    const orderLines = []
    let total = 0n
    for (const [lineItemNumber, line] of groupLines.entries()) {
      const subscriptionId = crypto.randomUUID()
      const amount = line.unitPrice * BigInt(line.quantity)
      total += amount
      const months = TERM_MONTHS[line.termDuration]
      const commitmentEnd = months ? new Date(addMonths(context.now, months).getTime() - DAY_MS) : null
      const isAzurePlan = line.item.product.productType.id === 'Azure' && !isReservation(line.item.product)
      await commerce.insertSubscription({
        id: subscriptionId,
        partner_tenant_id: context.partnerTenantId,
        customer_id: context.customerId,
        order_id: orderId,
        parent_subscription_id: line.parentSubscriptionId ?? null,
        reseller_mpn_id: line.input.participants?.find((p) => p.key.toLowerCase() === 'transaction_reseller')?.value ?? null,
        catalog_item_id: line.item.catalogItemId,
        offer_name: line.item.sku.title,
        friendly_name: line.friendlyName,
        product_type: JSON.stringify(line.item.product.productType),
        quantity: line.quantity,
        minimum_quantity: line.item.sku.minimumQuantity,
        maximum_quantity: line.item.sku.maximumQuantity,
        unit_type: isAzurePlan ? 'Usage-based' : 'Licenses',
        billing_type: isAzurePlan ? 'usage' : 'license',
        billing_cycle: line.billingCycle,
        term_duration: line.termDuration,
        unit_price_minor: line.unitPrice,
        currency_code: context.market.currency,
        status: 'active',
        auto_renew_enabled: months !== undefined && !line.item.sku.isTrial,
        is_trial: line.item.sku.isTrial,
        created_at: context.now,
        commitment_end_at: commitmentEnd,
        cancellation_allowed_until: months || line.billingCycle === 'one_time' ? new Date(context.now.getTime() + CANCELLATION_WINDOW_DAYS * DAY_MS) : null
      })
      if (amount !== 0n || !isAzurePlan) {
        await recordCharge(commerce, {
          partner_tenant_id: context.partnerTenantId, customer_id: context.customerId, id: subscriptionId, order_id: orderId,
          catalog_item_id: line.item.catalogItemId, unit_price_minor: line.unitPrice, currency_code: context.market.currency,
          offer_name: line.item.sku.title, term_duration: line.termDuration, billing_cycle: line.billingCycle, commitment_end_at: commitmentEnd
        }, 'new', line.quantity, context.now)
      }
      orderLines.push({
        lineItemNumber,
        offerId: line.item.catalogItemId,
        subscriptionId,
        ...(line.termDuration ? { termDuration: line.termDuration } : {}),
        transactionType: 'New',
        friendlyName: line.friendlyName,
        quantity: line.quantity,
        pricing: { listPrice: fromMinor(line.unitPrice), discountedPrice: fromMinor(line.unitPrice), price: fromMinor(line.unitPrice), extendedPrice: fromMinor(amount) }
      })
    }
    await commerce.insertOrder({
      id: orderId,
      partner_tenant_id: context.partnerTenantId,
      customer_id: context.customerId,
      alternate_id: hex12(),
      billing_cycle: groupLines[0]!.billingCycle,
      currency_code: context.market.currency,
      currency_symbol: context.market.symbol,
      status: 'completed',
      transaction_type: 'UserPurchase',
      line_items: JSON.stringify(orderLines),
      total_price_minor: total,
      created_at: context.now,
      cart_id: context.cartId ?? null
    })
    orderIds.push(orderId)
  }
  return orderIds
}

/** A money event of a subscription: quantity × its unit price (negative quantities are refunds). */
export async function recordCharge (
  commerce: CommerceRepository,
  subscription: Pick<SubscriptionRow, 'partner_tenant_id' | 'customer_id' | 'id' | 'order_id' | 'catalog_item_id' | 'currency_code' |
    'offer_name' | 'term_duration' | 'billing_cycle' | 'commitment_end_at'> & { unit_price_minor: bigint | string },
  type: 'new' | 'renew' | 'addQuantity' | 'removeQuantity' | 'cancel',
  quantity: number,
  at: Date
): Promise<void> {
  const unit = BigInt(subscription.unit_price_minor)
  await commerce.insertCharge({
    partner_tenant_id: subscription.partner_tenant_id, customer_id: subscription.customer_id, subscription_id: subscription.id,
    order_id: subscription.order_id, charge_type: type, catalog_item_id: subscription.catalog_item_id, quantity,
    unit_price_minor: unit, amount_minor: unit * BigInt(quantity), currency_code: subscription.currency_code, occurred_at: at,
    // The term as it is now: a later renewal or scheduled change must not rewrite this charge's line item.
    term_end_at: subscription.commitment_end_at, offer_name: subscription.offer_name, term_duration: subscription.term_duration,
    billing_cycle: subscription.billing_cycle
  })
}

/** An add-on goes onto an active subscription of the same customer, of the product and SKU it extends. */
async function requireParent (commerce: CommerceRepository, context: PurchaseContext, line: PricedLine): Promise<void> {
  const parent = await commerce.subscription(context.partnerTenantId, context.customerId, line.parentSubscriptionId!)
  if (!parent) throw subscriptionNotFound(line.parentSubscriptionId!)
  if (parent.status !== 'active') throw invalidRequest(`The parent subscription ${parent.id} is ${parent.status}; add-ons need an active one.`)
  if (!parent.catalog_item_id.toLowerCase().startsWith(`${line.item.sku.addonOf!.toLowerCase()}:`)) {
    throw invalidRequest(`${line.item.catalogItemId} is an add-on of ${line.item.sku.addonOf}, not of ${parent.catalog_item_id}.`)
  }
}
