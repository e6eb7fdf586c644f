// Azure entitlements: the Azure subscriptions of an Azure plan. The emulator keeps one per plan, with the
// plan's id: the Azure subscription usage is metered to (usage line items name it as their entitlementId).
// A partner cancels it (compromise, abuse) apart from its plan, and reactivates it; while it is cancelled
// no usage is metered, and after a reactivation metering resumes without back-filling the cancelled days.
import type { Kysely } from 'kysely'
import { recordActivity } from '../../audit/record.js'
import { createBillingRepository } from '../../billing/repository.js'
import { accrueUsage } from '../../billing/usage.js'
import { createCommerceRepository } from '../../commerce/repository.js'
import type { AzureEntitlementRow, Database, SubscriptionRow } from '../../db/schema.js'
import { azureEntitlementNotReactivatable, invalidRequest, resourceNotFound, subscriptionNotFound } from '../../errors.js'
import { isGuid } from '../../lib/ids.js'
import { createUsageRecordsRepository } from './repository.js'

const CANCELED = 'canceled'

/** The entitlement as Partner Center shows it: cancelled apart from its plan, else in its plan's state. */
function entitlementOf (row: SubscriptionRow, change: AzureEntitlementRow | undefined) {
  const status = change?.status === CANCELED ? CANCELED : row.status
  return { id: row.id, friendlyName: row.friendly_name, status, subscriptionId: row.id, attributes: { objectType: 'AzureEntitlement' } }
}

export function createAzureEntitlementsService (db: Kysely<Database>) {
  const commerce = createCommerceRepository(db)

  /** The Azure plan (404 for an unknown subscription, 400 for one that is not an Azure plan). */
  async function mustFindPlan (partnerTenantId: string, customerId: string, subscriptionId: string) {
    const row = isGuid(subscriptionId) ? await commerce.subscription(partnerTenantId, customerId, subscriptionId) : undefined
    if (!row) throw subscriptionNotFound(subscriptionId)
    if (row.billing_type !== 'usage' || !row.catalog_item_id.includes(':')) {
      throw invalidRequest(`Subscription ${row.id} is not an Azure plan: only Azure plan subscriptions have Azure entitlements.`)
    }
    return row
  }

  function mustMatch (row: SubscriptionRow, entitlementId: string) {
    if (entitlementId.toLowerCase() !== row.id) throw resourceNotFound(`Azure entitlement ${entitlementId} was not found in subscription ${row.id}.`)
  }

  /** Locks the plan, applies `change` to its entitlement, and records the update with the entitlement before and after. */
  async function update (partnerTenantId: string, customerId: string, subscriptionId: string, entitlementId: string, now: Date,
    change: (row: SubscriptionRow, current: AzureEntitlementRow | undefined) => { status: string, cancellationReason: string | null, meteredFrom: Date | null }) {
    const found = await mustFindPlan(partnerTenantId, customerId, subscriptionId)
    mustMatch(found, entitlementId)
    return db.transaction().execute(async (trx) => {
      const usage = createUsageRecordsRepository(trx)
      const row = await usage.lockSubscription(found.id)
      const current = await usage.entitlement(partnerTenantId, row.id)
      const next = change(row, current)
      // Whole days before the change are metered in the state they were used in.
      await accrueUsage(createBillingRepository(trx), partnerTenantId, now)
      const saved = await usage.saveEntitlement({ subscriptionId: row.id, partnerTenantId, at: now, ...next })
      const before = entitlementOf(row, current)
      const after = entitlementOf(row, saved)
      await recordActivity(trx, {
        partnerTenantId, customerId: row.customer_id, resourceType: 'subscription', operationType: 'update_subscription',
        oldValue: before, newValue: after,
        customizedData: { azureEntitlementId: row.id, ...(next.cancellationReason && next.status === CANCELED ? { cancellationReason: next.cancellationReason } : {}) }
      })
      return after
    })
  }

  return {
    async list (partnerTenantId: string, customerId: string, subscriptionId: string) {
      const row = await mustFindPlan(partnerTenantId, customerId, subscriptionId)
      return [entitlementOf(row, await createUsageRecordsRepository(db).entitlement(partnerTenantId, row.id))]
    },

    async get (partnerTenantId: string, customerId: string, subscriptionId: string, entitlementId: string) {
      const row = await mustFindPlan(partnerTenantId, customerId, subscriptionId)
      mustMatch(row, entitlementId)
      return entitlementOf(row, await createUsageRecordsRepository(db).entitlement(partnerTenantId, row.id))
    },

    /** Cancels the Azure subscription, not its plan (suspend the plan with a subscription PATCH). */
    cancel (partnerTenantId: string, customerId: string, subscriptionId: string, entitlementId: string, reason: string, now: Date) {
      return update(partnerTenantId, customerId, subscriptionId, entitlementId, now, (row, current) => {
        if (row.status === 'deleted' || current?.status === CANCELED) {
          throw invalidRequest(`Partner cannot cancel Azure entitlement with ID ${entitlementId}: it is ${row.status === 'deleted' ? 'deleted with its plan' : 'already cancelled'}.`)
        }
        return { status: CANCELED, cancellationReason: reason.trim(), meteredFrom: current?.metered_from ?? null }
      })
    },

    /** Reactivates a cancelled Azure subscription: usage is metered again from this day on. */
    reactivate (partnerTenantId: string, customerId: string, subscriptionId: string, entitlementId: string, now: Date) {
      return update(partnerTenantId, customerId, subscriptionId, entitlementId, now, (row, current) => {
        if (row.status === 'deleted' || current?.status !== CANCELED) throw azureEntitlementNotReactivatable(entitlementId)
        return { status: 'active', cancellationReason: null, meteredFrom: now }
      })
    }
  }
}
