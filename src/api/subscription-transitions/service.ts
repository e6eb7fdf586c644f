// Upgrades (legacy offers) and transitions (new commerce) of a subscription: what it may move to, and the
// move itself. A move locks the source, takes the seats off it (all of them suspend a legacy source and
// cancel a new-commerce one; fewer reduce it), puts them on the target (bought as an order would buy it,
// or added to an existing subscription of the target), records the charges at each side's unit price,
// the audit record and the webhook events, all in one transaction.
import type { Kysely } from 'kysely'
import { recordActivity } from '../../audit/record.js'
import { customerMarket } from '../../catalog/customer-market.js'
import { recordPurchase } from '../../commerce/activity.js'
import { groupLines, priceLine, purchase, recordCharge } from '../../commerce/purchase.js'
import { renewDue } from '../../commerce/renewal.js'
import { findSubscription } from '../../commerce/find-subscription.js'
import { createCommerceRepository } from '../../commerce/repository.js'
import { subscriptionOf } from '../../commerce/subscription-json.js'
import type { Database, SubscriptionRow, SubscriptionTransitionRow, TransitionEventData } from '../../db/schema.js'
import { createDirectoryRepository } from '../../directory/repository.js'
import { invalidRequest, quantityOutOfRange, subscriptionNotFound, transitionNotEligible } from '../../errors.js'
import { isGuid } from '../../lib/ids.js'
import { createTransitionsRepository } from './repository.js'
import {
  defaultTerm, isNewCommerce, legacyTargets, productSkuOf, REASONS, sourceReasons, targetOfferOf, targetSubscriptionReasons, termMonths,
  transitionTargets, type Reason
} from './rules.js'
import type { CreateTransition, PerformUpgrade } from './schemas.js'

const TRANSITION_TYPES = ['transition_only', 'transition_with_license_transfer']
/** UpgradeType as the SDK may send it: its enum's number, or the name in snake case. */
const UPGRADE_TYPES: Record<string, string> = { 1: 'upgrade_only', 2: 'upgrade_with_license_transfer', upgrade_only: 'upgrade_only', upgrade_with_license_transfer: 'upgrade_with_license_transfer' }

const upgradeErrorOf = (reason: Reason) => ({ ...reason, attributes: { objectType: 'UpgradeError' } })
const transitionErrorOf = ({ code, description }: Reason) => ({ code, description })

export function createTransitionsService (db: Kysely<Database>) {
  const commerce = createCommerceRepository(db)

  /** The subscription, its ended terms renewed (or expired) first by the emulator clock: a move starts from its current term. */
  async function mustFind (partnerTenantId: string, customerId: string, subscriptionId: string, now: Date) {
    if (!isGuid(subscriptionId)) throw subscriptionNotFound(subscriptionId)
    await renewDue(db, partnerTenantId, now)
    return findSubscription(commerce, partnerTenantId, customerId, subscriptionId)
  }

  /** Locks the source again inside the write and refuses it when it cannot move (the listing's reasons). */
  async function lockSource (trx: Kysely<Database>, partnerTenantId: string, found: SubscriptionRow, quantity: number, toReason: (r: Reason) => unknown) {
    const transitions = createTransitionsRepository(trx)
    const source = (await transitions.lock(partnerTenantId, found.id))!
    const reasons = sourceReasons(source, await transitions.activeAddOns(partnerTenantId, source.customer_id, source.id))
    if (reasons.length > 0) throw transitionNotEligible(`Subscription ${source.id} cannot move: ${reasons.map((r) => r.description).join(' ')}`, reasons.map(toReason))
    if (quantity > source.quantity) throw invalidRequest(`At most the subscription's ${source.quantity} seats can move.`, ['quantity'])
    return source
  }

  /** Buys the target as an order line would (order, subscription, 'new' charge, create_order record); answers its id. */
  async function buyTarget (trx: Kysely<Database>, partnerTenantId: string, customerId: string, line: { catalogItemId: string, quantity: number, billingCycle: string, termDuration?: string }, now: Date) {
    const market = await customerMarket(createDirectoryRepository(trx), partnerTenantId, customerId)
    const purchases = createCommerceRepository(trx)
    const orderIds = await purchase(purchases, { partnerTenantId, customerId, market, now }, groupLines([priceLine(line, 0, market)]))
    await recordPurchase(trx, partnerTenantId, orderIds)
    const [order] = await purchases.ordersByIds(orderIds)
    return (order!.line_items as Array<{ subscriptionId: string }>)[0]!.subscriptionId
  }

  /** Adds the seats to an existing subscription of the target, charged at its unit price. */
  async function addSeats (trx: Kysely<Database>, partnerTenantId: string, target: SubscriptionRow, quantity: number, now: Date) {
    if (target.quantity + quantity > target.maximum_quantity) throw quantityOutOfRange(target.minimum_quantity, target.maximum_quantity)
    await recordCharge(createCommerceRepository(trx), target, 'addQuantity', quantity, now)
    // A mid-term quantity change drops scheduled next-term changes, as a PATCH of the quantity does.
    return createTransitionsRepository(trx).update(partnerTenantId, target.id, { quantity: target.quantity + quantity, scheduled_next_term: null, version: target.version + 1 })
  }

  /** Takes the seats off the source, refunded at its unit price: all of them end it (`whenAll`), fewer reduce it. */
  async function release (trx: Kysely<Database>, partnerTenantId: string, source: SubscriptionRow, quantity: number, whenAll: 'suspended' | 'deleted', now: Date) {
    const all = quantity === source.quantity
    // A trial costs nothing: no refund line for it.
    if (BigInt(source.unit_price_minor) !== 0n) await recordCharge(createCommerceRepository(trx), source, all ? 'cancel' : 'removeQuantity', -quantity, now)
    const changes = !all
      ? { quantity: source.quantity - quantity }
      : whenAll === 'suspended' ? { status: 'suspended', suspended_at: now } : { status: 'deleted', auto_renew_enabled: false }
    return createTransitionsRepository(trx).update(partnerTenantId, source.id, { ...changes, scheduled_next_term: null, version: source.version + 1 })
  }

  /** The move's audit record on the source; the events name the source and, when it existed before, the target. */
  async function record (trx: Kysely<Database>, partnerTenantId: string, operationType: 'upgrade_subscription' | 'transition_subscription',
    before: SubscriptionRow, after: SubscriptionRow, targetId: string, targetExisted: boolean, now: Date) {
    const pathOf = (id: string) => `/v1/customers/${before.customer_id}/subscriptions/${id}`
    await recordActivity(trx, {
      partnerTenantId, customerId: before.customer_id, resourceType: 'subscription', operationType,
      oldValue: subscriptionOf(before, now), newValue: subscriptionOf(after, now), customizedData: { TargetSubscriptionId: targetId },
      events: [before.id, ...(targetExisted ? [targetId] : [])].map((id) => ({ name: 'subscription-updated' as const, resourcePath: pathOf(id), resourceName: 'subscription' }))
    })
  }

  return {
    /** The legacy offers the subscription may be upgraded to, each eligible or with its reasons (none for new commerce). */
    async upgrades (partnerTenantId: string, customerId: string, subscriptionId: string, now: Date) {
      const source = await mustFind(partnerTenantId, customerId, subscriptionId, now)
      const market = await customerMarket(createDirectoryRepository(db), partnerTenantId, source.customer_id)
      const targets = legacyTargets(source)
      if (targets.length === 0) return []
      const reasons = sourceReasons(source, await createTransitionsRepository(db).activeAddOns(partnerTenantId, source.customer_id, source.id))
      return targets.map((offer) => ({
        targetOffer: targetOfferOf(offer, market.country),
        // No conflicting services are modelled: every target may take the users' licenses along.
        upgradeType: 'upgrade_with_license_transfer',
        isEligible: reasons.length === 0,
        quantity: source.quantity,
        upgradeErrors: reasons.map(upgradeErrorOf),
        attributes: { objectType: 'Upgrade' }
      }))
    },

    /** Upgrades a legacy subscription to one of its target offers, into the customer's active subscription of it if there is one. */
    async upgrade (partnerTenantId: string, customerId: string, subscriptionId: string, body: PerformUpgrade, now: Date) {
      const found = await mustFind(partnerTenantId, customerId, subscriptionId, now)
      const upgradeType = body.upgradeType === undefined ? 'upgrade_with_license_transfer' : UPGRADE_TYPES[String(body.upgradeType).toLowerCase()]
      if (!upgradeType) throw invalidRequest('upgradeType must be upgrade_only or upgrade_with_license_transfer.', ['upgradeType'])
      const offer = legacyTargets(found).find((o) => o.id.toLowerCase() === body.targetOffer.id.toLowerCase())
      if (!offer) throw transitionNotEligible(`${body.targetOffer.id} is not an upgrade of subscription ${found.id}.`, [upgradeErrorOf(REASONS.notAPath(body.targetOffer.id))])
      return db.transaction().execute(async (trx) => {
        const source = await lockSource(trx, partnerTenantId, found, body.quantity ?? 0, upgradeErrorOf)
        const quantity = body.quantity ?? source.quantity
        const existing = await createTransitionsRepository(trx).activeOfOffer(partnerTenantId, source.customer_id, offer.id, source.billing_cycle)
        const targetId = existing
          ? (await addSeats(trx, partnerTenantId, existing, quantity, now)).id
          : await buyTarget(trx, partnerTenantId, source.customer_id, { catalogItemId: offer.id, quantity, billingCycle: source.billing_cycle }, now)
        const after = await release(trx, partnerTenantId, source, quantity, 'suspended', now)
        await record(trx, partnerTenantId, 'upgrade_subscription', source, after, targetId, existing !== undefined, now)
        return { sourceSubscriptionId: source.id, targetSubscriptionId: targetId, upgradeType, upgradeErrors: [], licenseErrors: [], attributes: { objectType: 'UpgradeResult' } }
      })
    },

    /** The catalog items a new-commerce subscription may transition to, and the customer's subscriptions of each that could take the seats. */
    async eligibilities (partnerTenantId: string, customerId: string, subscriptionId: string, eligibilityType: string, now: Date) {
      const source = await mustFind(partnerTenantId, customerId, subscriptionId, now)
      const transitions = createTransitionsRepository(db)
      const reasons = sourceReasons(source, await transitions.activeAddOns(partnerTenantId, source.customer_id, source.id)).map(transitionErrorOf)
      // Documented: no existing subscriptions for a trial source, nor for a scheduled transition (immediate ones only).
      const intoExisting = eligibilityType.toLowerCase() === 'immediate' && !source.is_trial
      const items = []
      for (const target of isNewCommerce(source) ? transitionTargets(source) : []) {
        const existing = intoExisting ? await transitions.ofSku(partnerTenantId, source.customer_id, productSkuOf(target.catalogItemId)) : []
        items.push({
          catalogItemId: target.catalogItemId,
          title: target.sku.title,
          description: target.sku.description,
          quantity: source.quantity,
          subscriptionEligibilities: existing.filter((s) => s.id !== source.id).map((s) => {
            const errors = targetSubscriptionReasons(s, source, now).map(transitionErrorOf)
            return {
              isEligible: errors.length === 0, subscriptionId: s.id, subscriptionFriendlyName: s.friendly_name,
              subscriptionTermDuration: s.term_duration, subscriptionBillingCycle: s.billing_cycle, errors
            }
          }),
          eligibilities: TRANSITION_TYPES.map((transitionType) => ({ isEligible: reasons.length === 0, transitionType, errors: reasons })),
          attributes: { objectType: 'TransitionEligibility' }
        })
      }
      return items
    },

    /** Transitions seats of a new-commerce subscription to one of its targets, bought anew or into an existing subscription. */
    async transition (partnerTenantId: string, customerId: string, subscriptionId: string, body: CreateTransition, now: Date) {
      const found = await mustFind(partnerTenantId, customerId, subscriptionId, now)
      const transitionType = body.transitionType.toLowerCase()
      if (!TRANSITION_TYPES.includes(transitionType)) throw invalidRequest('transitionType must be transition_only or transition_with_license_transfer.', ['transitionType'])
      if (body.fromSubscriptionId && body.fromSubscriptionId.toLowerCase() !== found.id) throw invalidRequest('fromSubscriptionId is not the subscription of the path.', ['fromSubscriptionId'])
      if (body.fromCatalogItemId && productSkuOf(body.fromCatalogItemId) !== productSkuOf(found.catalog_item_id)) {
        throw invalidRequest(`fromCatalogItemId is not the catalog item of subscription ${found.id}.`, ['fromCatalogItemId'])
      }
      const target = isNewCommerce(found) ? transitionTargets(found).find((t) => productSkuOf(t.catalogItemId) === productSkuOf(body.toCatalogItemId)) : undefined
      if (!target) throw transitionNotEligible(`${body.toCatalogItemId} is not a transition of subscription ${found.id}.`, [transitionErrorOf(REASONS.notAPath(body.toCatalogItemId))])
      return db.transaction().execute(async (trx) => {
        const transitions = createTransitionsRepository(trx)
        const source = await lockSource(trx, partnerTenantId, found, body.quantity, transitionErrorOf)
        let targetId: string
        if (body.toSubscriptionId) {
          const into = isGuid(body.toSubscriptionId) ? await transitions.lock(partnerTenantId, body.toSubscriptionId) : undefined
          if (!into || into.customer_id !== source.customer_id || into.id === source.id) throw subscriptionNotFound(body.toSubscriptionId)
          if (productSkuOf(into.catalog_item_id) !== productSkuOf(target.catalogItemId)) throw invalidRequest(`Subscription ${into.id} is not of ${body.toCatalogItemId}.`, ['toSubscriptionId'])
          const why = targetSubscriptionReasons(into, source, now)
          if (why.length > 0) throw transitionNotEligible(`Subscription ${into.id} cannot take the seats: ${why.map((r) => r.description).join(' ')}`, why.map(transitionErrorOf))
          targetId = (await addSeats(trx, partnerTenantId, into, body.quantity, now)).id
        } else {
          const term = { ...defaultTerm(source, target), ...(body.termDuration ? { termDuration: body.termDuration } : {}), ...(body.billingCycle ? { billingCycle: body.billingCycle } : {}) }
          // An upgrade keeps at least the commitment it replaces (a trial commits to nothing).
          if (!source.is_trial && termMonths(term.termDuration) < termMonths(source.term_duration)) {
            throw invalidRequest(`termDuration ${term.termDuration} is shorter than the source's ${source.term_duration}.`, ['termDuration'])
          }
          targetId = await buyTarget(trx, partnerTenantId, source.customer_id, { catalogItemId: target.catalogItemId, quantity: body.quantity, ...term }, now)
        }
        const to = (await transitions.lock(partnerTenantId, targetId))!
        const after = await release(trx, partnerTenantId, source, body.quantity, 'deleted', now)
        const timestamp = now.toISOString()
        const events: TransitionEventData[] = [{ name: 'Conversion', status: 'Completed', timestamp }]
        if (transitionType === 'transition_with_license_transfer') events.push({ name: 'LicenseReassignment', status: 'Completed', timestamp })
        const row = {
          id: crypto.randomUUID(), partner_tenant_id: partnerTenantId, customer_id: source.customer_id, from_subscription_id: source.id,
          to_subscription_id: to.id, from_catalog_item_id: source.catalog_item_id, to_catalog_item_id: to.catalog_item_id, quantity: body.quantity,
          term_duration: to.term_duration, billing_cycle: to.billing_cycle, transition_type: transitionType, status: 'completed', created_at: now
        }
        await transitions.insertTransition({ ...row, events: JSON.stringify(events) })
        await record(trx, partnerTenantId, 'transition_subscription', source, after, to.id, body.toSubscriptionId !== undefined, now)
        return transitionOf({ ...row, events })
      })
    },

    /** The transitions from or into the subscription, oldest first (one, with `operationId`). */
    async history (partnerTenantId: string, customerId: string, subscriptionId: string, operationId: string | undefined, now: Date) {
      const source = await mustFind(partnerTenantId, customerId, subscriptionId, now)
      return (await createTransitionsRepository(db).transitions(partnerTenantId, source.customer_id, source.id, operationId)).map(transitionOf)
    }
  }
}

function transitionOf (row: SubscriptionTransitionRow) {
  return {
    operationId: row.id,
    fromCatalogItemId: row.from_catalog_item_id,
    fromSubscriptionId: row.from_subscription_id,
    toCatalogItemId: row.to_catalog_item_id,
    toSubscriptionId: row.to_subscription_id,
    quantity: row.quantity,
    termDuration: row.term_duration,
    billingCycle: row.billing_cycle,
    transitionType: row.transition_type,
    status: row.status,
    creationDate: row.created_at.toISOString(),
    events: row.events.map((e) => ({ ...e, attributes: { objectType: 'TransitionEvent' } })),
    attributes: { objectType: 'Transition' }
  }
}
