// Term ends, applied by the emulator clock: nothing runs in the background, so every read or write of
// subscriptions or charges first calls renewDue, which brings the partner's subscriptions up to now.
// A subscription whose term ended renews into its next term (with auto-renew on), once per term that
// ended (the clock may jump years), each term in a transaction of its own with its renewal charge, its
// audit record and its subscription-renewed event; without auto-renew (or suspended) it expires.
import type { Kysely } from 'kysely'
import { EMULATOR_APP_ID, recordActivity } from '../audit/record.js'
import { runAsActor } from '../audit/actor.js'
import { customerMarket } from '../catalog/customer-market.js'
import type { Database, SubscriptionRow } from '../db/schema.js'
import { createDirectoryRepository } from '../directory/repository.js'
import { DAY_MS, utcDay } from '../lib/dates.js'
import { nextTermOf, nextTermStart } from './next-term.js'
import { CANCELLATION_WINDOW_DAYS, recordCharge } from './purchase.js'
import { createCommerceRepository } from './repository.js'
import { subscriptionOf } from './subscription-json.js'

/**
 * Terms one sweep renews per subscription at most: a clock moved to the year 9999 must not hold a
 * request for a hundred thousand monthly renewals; the next read carries on where this one stopped.
 */
const MAX_TERMS_PER_SWEEP = 60

/** Renews or expires every subscription of the partner whose term ended before today (UTC); answers how many terms ended. */
export async function renewDue (db: Kysely<Database>, partnerTenantId: string, now: Date): Promise<number> {
  const today = utcDay(now)
  let ended = 0
  for (const id of await createCommerceRepository(db).dueAtTermEnd(partnerTenantId, today)) {
    for (let term = 0; term < MAX_TERMS_PER_SWEEP; term++) {
      const outcome = await db.transaction().execute((trx) => endTerm(trx, partnerTenantId, id, today))
      if (outcome === 'none') break
      ended++
      if (outcome === 'expired') break
    }
  }
  return ended
}

/** Ends the subscription's term if it is still due (a concurrent request may have done it first). */
async function endTerm (trx: Kysely<Database>, partnerTenantId: string, id: string, today: Date): Promise<'none' | 'renewed' | 'expired'> {
  const commerce = createCommerceRepository(trx)
  const row = await commerce.lockDueAtTermEnd(partnerTenantId, id, today)
  if (!row) return 'none'
  const start = nextTermStart(row.commitment_end_at!)
  // The emulator renews, not the caller whose read found the term ended: records name no user.
  const actor = { partnerTenantId, userPrincipalName: null, applicationId: EMULATOR_APP_ID, correlationId: null, now: start }
  return runAsActor(actor, async () => {
    if (!row.auto_renew_enabled || row.status !== 'active') {
      const expired = await commerce.updateSubscription(row.id, { status: 'expired', auto_renew_enabled: false, scheduled_next_term: null, version: row.version + 1 })
      await record(trx, row, expired, start, 'subscription-updated')
      return 'expired'
    }
    const market = await customerMarket(createDirectoryRepository(trx), partnerTenantId, row.customer_id)
    const next = nextTermOf(row, start, market)
    const renewed = await commerce.updateSubscription(row.id, {
      ...next,
      term_started_at: start,
      cancellation_allowed_until: new Date(start.getTime() + CANCELLATION_WINDOW_DAYS * DAY_MS),
      term_number: row.term_number + 1,
      scheduled_next_term: null,
      version: row.version + 1
    })
    await recordCharge(commerce, renewed, 'renew', renewed.quantity, start)
    await record(trx, row, renewed, start, 'subscription-renewed')
    return 'renewed'
  })
}

function record (trx: Kysely<Database>, before: SubscriptionRow, after: SubscriptionRow, at: Date, event: 'subscription-renewed' | 'subscription-updated') {
  return recordActivity(trx, {
    partnerTenantId: before.partner_tenant_id, customerId: before.customer_id, resourceType: 'subscription', operationType: 'update_subscription',
    oldValue: subscriptionOf(before, at), newValue: subscriptionOf(after, at),
    events: [{ name: event, resourcePath: `/v1/customers/${before.customer_id}/subscriptions/${before.id}`, resourceName: 'subscription' }]
  })
}
