// Cart lines are checked one by one. A line that the catalog or the customer's state refuses keeps a
// CartError (errorCode from Partner Center's CartErrorCode list) instead of failing the whole cart;
// at checkout an order group with such a line becomes an orderError while the other groups are bought.
import { isReservation, promotions, type Market } from '../catalog/catalog.js'
import { ApiError } from '../errors.js'
import { orderGroups, priceLine, type PricedLine } from './purchase.js'
import type { CommerceRepository } from './repository.js'
import type { CartLineItemInput } from './schemas.js'

export interface CartError { errorCode: number, errorDescription: string }

export interface CheckedLine {
  index: number
  input: CartLineItemInput
  priced?: Omit<PricedLine, 'orderGroup'>
  error?: CartError
  orderGroup: string
}

/** CartErrorCode values: 10001 catalog item id invalid, 10010 invalid input, 10011 subscription not registered, 10014 invalid promotion id, 10015 max seats. */
const CART_CODE_OF_API_CODE: Record<number, number> = { 800004: 10001, 2002: 10015 }

function checkLine (input: CartLineItemInput, index: number, market: Market): Omit<CheckedLine, 'orderGroup'> {
  try {
    const priced = priceLine(input, index, market)
    if (input.promotionId && !promotionFits(input.promotionId, priced)) {
      return { index, input, error: { errorCode: 10014, errorDescription: `Promotion ${input.promotionId} does not apply to ${priced.item.catalogItemId} with this term.` } }
    }
    return { index, input, priced }
  } catch (error) {
    if (!(error instanceof ApiError)) throw error
    return { index, input, error: { errorCode: CART_CODE_OF_API_CODE[error.code] ?? 10010, errorDescription: error.message } }
  }
}

function promotionFits (promotionId: string, line: Omit<PricedLine, 'orderGroup'>): boolean {
  const promotion = promotions().find((p) => p.id.toLowerCase() === promotionId.toLowerCase())
  return promotion?.requiredProducts.some((r) => r.productId === line.item.product.id && r.skuId === line.item.sku.id &&
    r.term.duration === line.termDuration) ?? false
}

/**
 * Checks every line, including what needs the database: an Azure reservation is bought for an
 * active Azure plan subscription of the customer (provisioningContext.subscriptionId; error 10011).
 * Lines with the same billing cycle share an order group.
 */
export async function checkCartLines (commerce: CommerceRepository, partnerTenantId: string, customerId: string, inputs: CartLineItemInput[], market: Market): Promise<CheckedLine[]> {
  const checked: Array<Omit<CheckedLine, 'orderGroup'>> = []
  for (const [index, input] of inputs.entries()) {
    const line = checkLine(input, index, market)
    if (line.priced && isReservation(line.priced.item.product)) {
      const target = line.input.provisioningContext?.subscriptionId ?? line.input.provisioningContext?.SubscriptionId
      if (!target || !await commerce.hasActiveAzurePlan(partnerTenantId, customerId, target)) {
        line.error = { errorCode: 10011, errorDescription: 'An Azure reservation needs provisioningContext.subscriptionId naming an active Azure plan subscription of the customer.' }
        delete line.priced
      }
    }
    checked.push(line)
  }
  const groups = orderGroups(checked.map((line) => line.priced?.billingCycle ?? line.input.billingCycle.toLowerCase()))
  return checked.map((line, i) => ({ ...line, orderGroup: groups[i]! }))
}

/** The lines as the cart stores and shows them. */
export const cartLinesOf = (lines: CheckedLine[], market: Market) => lines.map((l) => ({
  ...l.input,
  id: l.priced?.id ?? l.input.id ?? l.index,
  ...(l.priced ? { friendlyName: l.priced.friendlyName, billingCycle: l.priced.billingCycle, ...(l.priced.termDuration ? { termDuration: l.priced.termDuration } : {}) } : {}),
  currencyCode: market.currency,
  orderGroup: l.orderGroup,
  ...(l.error ? { error: l.error } : {})
}))
