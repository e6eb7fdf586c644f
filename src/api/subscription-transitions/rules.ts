// Eligibility of upgrades and transitions, derived from the catalog (a SKU or legacy offer declares its
// upgradeTargets) and the state of the subscriptions involved. Pure: the service reads the rows.
import { findProduct, findSku, offers, resolveCatalogItem, type CatalogItem } from '../../catalog/catalog.js'
import type { SubscriptionRow } from '../../db/schema.js'
import { link } from '../../schemas/common.js'

/** A reason an upgrade or transition cannot be done: UpgradeErrorCode / TransitionErrorCode values (the same enum). */
export interface Reason { code: number, description: string, additionalDetails?: string }

export const REASONS = {
  notActive: (status: string): Reason => ({
    code: 2,
    description: 'Subscription cannot be upgraded because the source subscription state is not active. Additional Details contains the current source subscription state.',
    additionalDetails: status
  }),
  addOnsPresent: (): Reason => ({ code: 6, description: 'Subscription cannot be upgraded because the source subscription has add-ons.' }),
  notAPath: (target: string): Reason => ({ code: 8, description: `${target} is not an upgrade path of the subscription.` })
}

export const isNewCommerce = (row: SubscriptionRow) => row.catalog_item_id.includes(':')
export const productSkuOf = (catalogItemId: string) => catalogItemId.split(':').slice(0, 2).join(':').toLowerCase()

const TERM_MONTHS: Record<string, number> = { P1M: 1, P1Y: 12, P3Y: 36 }
export const termMonths = (duration: string) => TERM_MONTHS[duration] ?? 0

/** What keeps the source from moving at all: not active (suspended, deleted), or add-ons bought onto it. */
export function sourceReasons (source: SubscriptionRow, activeAddOns: number): Reason[] {
  const reasons: Reason[] = []
  if (source.status !== 'active') reasons.push(REASONS.notActive(source.status))
  if (activeAddOns > 0) reasons.push(REASONS.addOnsPresent())
  return reasons
}

type LegacyOffer = ReturnType<typeof offers>[number] & { upgradeTargets?: string[] }

/** The legacy offers a legacy subscription may be upgraded to (none for a new-commerce one). */
export function legacyTargets (source: SubscriptionRow): LegacyOffer[] {
  const all = offers() as LegacyOffer[]
  const offer = all.find((o) => o.id.toLowerCase() === source.catalog_item_id.toLowerCase())
  return (offer?.upgradeTargets ?? []).map((id) => all.find((o) => o.id === id)!)
}

/** A legacy target offer as the Upgrade's targetOffer (the offers API's Offer, in the customer's market). */
export function targetOfferOf (offer: LegacyOffer, country: string) {
  return {
    id: offer.id,
    name: offer.name,
    description: offer.description,
    minimumQuantity: offer.minimumQuantity,
    maximumQuantity: offer.maximumQuantity,
    isAddOn: offer.isAddOn,
    isAvailableForPurchase: true,
    billing: offer.billing,
    supportedBillingCycles: offer.supportedBillingCycles,
    unitType: offer.unitType,
    links: { self: link(`/offers/${offer.id}?country=${country}`) },
    attributes: { objectType: 'Offer' }
  }
}

/** The catalog items a new-commerce subscription may transition to (its SKU's upgradeTargets). */
export function transitionTargets (source: SubscriptionRow): CatalogItem[] {
  const [productId, skuId] = source.catalog_item_id.split(':')
  const product = productId ? findProduct(productId) : undefined
  const sku = product && skuId ? findSku(product, skuId) : undefined
  return (sku?.upgradeTargets ?? []).map((id) => resolveCatalogItem(id)!)
}

/**
 * Why an existing subscription of the target SKU cannot take the seats of an immediate transition (the
 * documented subscription eligibility errors, codes 1 to 4).
 */
export function targetSubscriptionReasons (target: SubscriptionRow, source: SubscriptionRow, now: Date): Reason[] {
  const reasons: Reason[] = []
  if (target.status !== 'active') reasons.push({ code: 1, description: 'Subscription is not active.' })
  if (target.cancellation_allowed_until && now < target.cancellation_allowed_until) {
    reasons.push({ code: 2, description: 'Subscription is within cancellation window.' })
  }
  if (termMonths(target.term_duration) < termMonths(source.term_duration)) {
    reasons.push({ code: 3, description: 'The subscription\'s term duration is shorter than the source subscription\'s term duration.' })
  }
  if (target.commitment_end_at && source.commitment_end_at && target.commitment_end_at < source.commitment_end_at) {
    reasons.push({ code: 4, description: 'Subscription term end date is before the source subscription\'s term end date.' })
  }
  return reasons
}

/** The term a transition buys when the body names none: the source's, or for a trial the target's first paid term. */
export function defaultTerm (source: SubscriptionRow, target: CatalogItem): { termDuration: string, billingCycle: string } {
  if (!source.is_trial) return { termDuration: source.term_duration, billingCycle: source.billing_cycle }
  const term = target.availability.terms[0]!
  return { termDuration: term.duration, billingCycle: term.billingCycle.toLowerCase() }
}
