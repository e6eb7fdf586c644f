// Subscriptions: read, their add-ons, and the changes a partner makes (quantity, suspend and
// reactivate, cancel inside the window, auto-renew, friendly name, changes at renewal) with the
// documented rules. Quantity changes and cancellations are charged (or refunded) at the unit price.
// Terms that ended are renewed (or expired) before any of it (commerce/renewal.ts).
import { isDeepStrictEqual } from 'node:util'
import type { Kysely, Updateable } from 'kysely'
import { recordActivity } from '../../audit/record.js'
import { customerMarket } from '../../catalog/customer-market.js'
import { scheduleNextTerm } from '../../commerce/next-term.js'
import { recordCharge } from '../../commerce/purchase.js'
import { renewDue } from '../../commerce/renewal.js'
import { findSubscription } from '../../commerce/find-subscription.js'
import { createCommerceRepository } from '../../commerce/repository.js'
import type { Database, NextTermData, SubscriptionRow, SubscriptionsTable } from '../../db/schema.js'
import { createDirectoryRepository } from '../../directory/repository.js'
import {
  autoRenewNotAllowed, billingCycleChangeNotAllowed, cancellationWindowPassed, etagMismatch, invalidRequest, quantityOutOfRange,
  subscriptionDeleted, subscriptionExpired, subscriptionSuspended
} from '../../errors.js'
import { etagOf, ifMatchSatisfied } from '../../lib/etag.js'
import { subscriptionOf } from '../../commerce/subscription-json.js'
import { createSubscriptionsRepository, type SubscriptionFilter } from './repository.js'
import type { UpdateSubscription } from './schemas.js'

export function createSubscriptionsService (db: Kysely<Database>) {
  const subscriptions = createSubscriptionsRepository(db)
  const commerce = createCommerceRepository(db)
  const directory = createDirectoryRepository(db)

  async function mustFind (partnerTenantId: string, customerId: string, subscriptionId: string, now: Date) {
    await renewDue(db, partnerTenantId, now)
    return findSubscription(commerce, partnerTenantId, customerId, subscriptionId)
  }

  async function list (partnerTenantId: string, customerId: string, filter: SubscriptionFilter, now: Date) {
    await customerMarket(directory, partnerTenantId, customerId)
    await renewDue(db, partnerTenantId, now)
    return (await subscriptions.list(partnerTenantId, customerId, filter)).map((row) => subscriptionOf(row, now))
  }

  /**
   * Changes at renewal: set, replaced or removed (null). They need auto-renew (turning it off drops
   * them), and an immediate quantity change drops them unless the same PATCH schedules new ones
   * (create-scheduled-changes: a mid-term change deletes what was scheduled). A PATCH that sends the
   * subscription back as read (the .NET SDK's way) echoes them: an echo schedules nothing new.
   */
  async function scheduleChanges (trx: Kysely<Database>, partnerTenantId: string, row: SubscriptionRow, body: UpdateSubscription, changes: Updateable<SubscriptionsTable>) {
    const asked = body.scheduledNextTermInstructions
    const autoRenew = changes.auto_renew_enabled ?? row.auto_renew_enabled
    let next = row.scheduled_next_term
    if (asked === null) next = null
    else if (asked !== undefined && !isEcho(asked, row.scheduled_next_term)) {
      // Read in the update's transaction: on PGlite, its one connection is the transaction's until it ends.
      const market = await customerMarket(createDirectoryRepository(trx), partnerTenantId, row.customer_id)
      next = scheduleNextTerm({ ...row, auto_renew_enabled: autoRenew }, asked, market)
    } else if (!autoRenew || changes.quantity !== undefined) next = null
    // jsonb keeps its own key order: compare values, not serialisations.
    if (!isDeepStrictEqual(next, row.scheduled_next_term)) changes.scheduled_next_term = next === null ? null : JSON.stringify(next)
  }

  return {
    list,

    /** The add-ons bought onto a subscription. */
    async addOns (partnerTenantId: string, customerId: string, subscriptionId: string, now: Date) {
      const parent = await mustFind(partnerTenantId, customerId, subscriptionId, now)
      return list(partnerTenantId, customerId, { parentId: parent.id }, now)
    },

    async get (partnerTenantId: string, customerId: string, subscriptionId: string, now: Date) {
      return subscriptionOf(await mustFind(partnerTenantId, customerId, subscriptionId, now), now)
    },

    /**
     * Quantity, status (suspend, reactivate, cancel), auto-renew and friendly name, with the documented
     * rules. Quantity changes and cancellations are charged (or refunded) at the unit price. `slow`: the
     * change is one the real service answers with 202 (a status change of an Azure plan).
     */
    async update (partnerTenantId: string, customerId: string, subscriptionId: string, ifMatch: string | undefined,
      body: UpdateSubscription, now: Date) {
      const found = await mustFind(partnerTenantId, customerId, subscriptionId, now)
      return db.transaction().execute(async (trx) => {
        const purchases = createCommerceRepository(trx)
        const row = await createSubscriptionsRepository(trx).lock(found.id)
        if (ifMatch && !ifMatchSatisfied(ifMatch, etagOf(row.id, row.version))) throw etagMismatch()
        if (row.status === 'deleted') throw subscriptionDeleted()
        if (row.status === 'expired') throw subscriptionExpired()
        if (body.billingCycle !== undefined && body.billingCycle.toLowerCase() !== row.billing_cycle) throw billingCycleChangeNotAllowed()
        const status = body.status?.toLowerCase()
        if (status !== undefined && !['active', 'suspended', 'deleted'].includes(status)) {
          throw invalidRequest(`status ${body.status} is not a change a partner can make.`)
        }
        const inWindow = row.cancellation_allowed_until !== null && now < row.cancellation_allowed_until
        const changes: Updateable<SubscriptionsTable> = {}
        if (status === 'deleted') {
          if (!inWindow) throw cancellationWindowPassed(row.cancellation_allowed_until)
          changes.status = 'deleted'
          changes.auto_renew_enabled = false
          changes.scheduled_next_term = null
          await recordCharge(purchases, row, 'cancel', -row.quantity, now)
        } else {
          if (status === 'suspended' && row.status !== 'suspended') Object.assign(changes, { status: 'suspended', suspended_at: now })
          if (status === 'active' && row.status === 'suspended') Object.assign(changes, { status: 'active', suspended_at: null })
          if (body.quantity !== undefined && body.quantity !== row.quantity) {
            if ((changes.status ?? row.status) === 'suspended') throw subscriptionSuspended()
            if (body.quantity < row.minimum_quantity || body.quantity > row.maximum_quantity) {
              throw quantityOutOfRange(row.minimum_quantity, row.maximum_quantity)
            }
            if (body.quantity < row.quantity && !inWindow) throw cancellationWindowPassed(row.cancellation_allowed_until)
            const type = body.quantity > row.quantity ? 'addQuantity' : 'removeQuantity'
            await recordCharge(purchases, row, type, body.quantity - row.quantity, now)
            changes.quantity = body.quantity
          }
          if (body.autoRenewEnabled !== undefined && body.autoRenewEnabled !== row.auto_renew_enabled) {
            if (row.commitment_end_at === null || row.is_trial) throw autoRenewNotAllowed()
            changes.auto_renew_enabled = body.autoRenewEnabled
          }
          if (body.friendlyName !== undefined) changes.friendly_name = body.friendlyName
          await scheduleChanges(trx, partnerTenantId, row, body, changes)
        }
        if (Object.keys(changes).length === 0) return { subscription: subscriptionOf(row, now), slow: false }
        const updated = await purchases.updateSubscription(row.id, { ...changes, version: row.version + 1 })
        await recordActivity(trx, {
          partnerTenantId, customerId: row.customer_id, resourceType: 'subscription', operationType: 'update_subscription',
          oldValue: subscriptionOf(row, now), newValue: subscriptionOf(updated, now),
          events: [{ name: 'subscription-updated', resourcePath: `/v1/customers/${row.customer_id}/subscriptions/${row.id}`, resourceName: 'subscription' }]
        })
        // Suspending or reactivating Azure takes the real service minutes: a slow change (202).
        return { subscription: subscriptionOf(updated, now), slow: row.billing_type === 'usage' && updated.status !== row.status }
      })
    }
  }
}

/** The instructions as the subscription shows them, sent back unchanged. */
function isEcho (asked: NonNullable<UpdateSubscription['scheduledNextTermInstructions']>, stored: NextTermData | null): boolean {
  return stored !== null && isDeepStrictEqual({ product: asked.product, quantity: asked.quantity, customTermEndDate: asked.customTermEndDate ?? null }, stored)
}
