// A subscription's next term: what a partner schedules for it (PATCH scheduledNextTermInstructions,
// checked against the catalog when scheduled) and what the renewal turns it into (the scheduled
// instructions, or the same catalog item, term and quantity again).
import { resolveCatalogItem, type Market } from '../catalog/catalog.js'
import type { NextTermData, SubscriptionRow } from '../db/schema.js'
import { invalidCustomTermEndDate, invalidOfferId, invalidRequest, quantityOutOfRange } from '../errors.js'
import { DAY_MS, instantOf, utcDay } from '../lib/dates.js'
import { ownValue } from '../lib/ids.js'
import { addMonths, CYCLES, TERM_MONTHS } from './purchase.js'

export interface NextTermInput {
  product: { productId: string, skuId: string, availabilityId: string, billingCycle: string, termDuration?: string | undefined }
  quantity: number
  customTermEndDate?: string | null | undefined
}

const SCHEDULABLE = ['OnlineServices', 'Software']
const field = (name: string) => [`scheduledNextTermInstructions.${name}`]

/** The day (00:00 UTC) the term after the current one starts: the day after its last day (renewals run from 00:00 UTC then). */
export const nextTermStart = (commitmentEnd: Date) => new Date(utcDay(commitmentEnd).getTime() + DAY_MS)

/** The last day (00:00 UTC) of a term of `termDuration` starting on `start`. */
export const termEnd = (start: Date, termDuration: string) => new Date(addMonths(start, TERM_MONTHS[termDuration] ?? 1).getTime() - DAY_MS)

/**
 * The instructions as stored, once checked: the subscription renews (new commerce, with a term, auto-renew
 * on, not a trial) into a SKU of the same product sold with that term and billing cycle, for a quantity
 * the SKU allows, ending on its standard end or a custom day within that term.
 */
export function scheduleNextTerm (row: SubscriptionRow, input: NextTermInput, market: Market): NextTermData {
  // create-scheduled-changes: "supports new commerce license-based and software subscriptions".
  const kind = resolveCatalogItem(row.catalog_item_id)?.product.productType.id
  if (row.commitment_end_at === null || !SCHEDULABLE.includes(kind ?? '') || row.is_trial) {
    throw invalidRequest('Changes at renewal are for new-commerce license-based and software subscriptions with a term.', field('product'))
  }
  if (!row.auto_renew_enabled) {
    throw invalidRequest('Changes at renewal need auto-renew: set autoRenewEnabled to true first.', ['autoRenewEnabled'])
  }
  const { productId, skuId, availabilityId, billingCycle } = input.product
  const current = row.catalog_item_id.split(':')[0]!
  if (productId.toLowerCase() !== current.toLowerCase()) {
    throw invalidRequest(`A subscription renews into a SKU of its own product ${current}, not ${productId}.`, field('product.productId'))
  }
  const item = resolveCatalogItem(`${productId}:${skuId}:${availabilityId}`)
  if (!item) throw invalidOfferId(`${productId}:${skuId}:${availabilityId}`)
  if (item.sku.isTrial) throw invalidRequest(`${item.catalogItemId} is a trial; a subscription does not renew into one.`, field('product.skuId'))
  if (Boolean(item.sku.addonOf) !== (row.parent_subscription_id !== null)) {
    throw invalidRequest(`${item.catalogItemId} and the subscription are not both add-ons or both base offers.`, field('product.skuId'))
  }
  const termDuration = input.product.termDuration || row.term_duration
  const term = item.term(termDuration, billingCycle, market)
  if (!term || TERM_MONTHS[term.duration] === undefined) {
    throw invalidRequest(`${item.catalogItemId} is not sold with termDuration ${termDuration} and billingCycle ${billingCycle}.`, field('product.billingCycle'))
  }
  if (input.quantity < item.sku.minimumQuantity || input.quantity > item.sku.maximumQuantity) {
    throw quantityOutOfRange(item.sku.minimumQuantity, item.sku.maximumQuantity)
  }
  return {
    product: { productId: item.product.id, skuId: item.sku.id, availabilityId: item.availability.id, billingCycle: term.billingCycle, termDuration: term.duration },
    quantity: input.quantity,
    customTermEndDate: input.customTermEndDate ? customEnd(row.commitment_end_at, term.duration, input.customTermEndDate) : null
  }
}

/** A custom end (coterminosity) is a day inside the next term: after it starts, not after its standard end. */
function customEnd (commitmentEnd: Date, termDuration: string, text: string): string {
  const instant = instantOf(text)
  if (!instant) throw invalidCustomTermEndDate(`customTermEndDate ${text} is not a date.`)
  const day = utcDay(instant)
  const start = nextTermStart(commitmentEnd)
  const end = termEnd(start, termDuration)
  if (day < start || day > end) {
    throw invalidCustomTermEndDate(`customTermEndDate must fall within the next term, ${start.toISOString()} to ${end.toISOString()}.`)
  }
  return day.toISOString()
}

/** What the subscription is in its next term, starting on `start`: its scheduled instructions, or the same again. */
export function nextTermOf (row: SubscriptionRow, start: Date, market: Market) {
  const scheduled = row.scheduled_next_term
  const item = scheduled && resolveCatalogItem(`${scheduled.product.productId}:${scheduled.product.skuId}:${scheduled.product.availabilityId}`)
  const term = scheduled && item ? item.term(scheduled.product.termDuration, scheduled.product.billingCycle, market) : undefined
  if (!scheduled || !item || !term) {
    return {
      catalog_item_id: row.catalog_item_id, offer_name: row.offer_name, term_duration: row.term_duration, billing_cycle: row.billing_cycle,
      unit_price_minor: BigInt(row.unit_price_minor), quantity: row.quantity, minimum_quantity: row.minimum_quantity,
      maximum_quantity: row.maximum_quantity, commitment_end_at: termEnd(start, row.term_duration)
    }
  }
  return {
    catalog_item_id: item.catalogItemId,
    offer_name: item.sku.title,
    term_duration: term.duration,
    billing_cycle: ownValue(CYCLES, term.billingCycle.toLowerCase()) ?? row.billing_cycle,
    unit_price_minor: term.unitPrice,
    quantity: scheduled.quantity,
    minimum_quantity: item.sku.minimumQuantity,
    maximum_quantity: item.sku.maximumQuantity,
    commitment_end_at: scheduled.customTermEndDate ? new Date(scheduled.customTermEndDate) : termEnd(start, term.duration)
  }
}
