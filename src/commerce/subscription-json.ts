// A subscription as Partner Center JSON: what the subscriptions API reads and what a subscription's
// audit record holds before and after a change (the subscriptions and subscription-details areas).
import { activationOf } from '../catalog/catalog.js'
import type { NextTermData, SubscriptionRow } from '../db/schema.js'
import { utcDay } from '../lib/dates.js'
import { etagOf } from '../lib/etag.js'
import { link } from '../schemas/common.js'

export function subscriptionOf (row: SubscriptionRow, now: Date) {
  const ended = row.status === 'deleted' || row.status === 'expired'
  const cancellable = !ended && row.cancellation_allowed_until !== null && now < row.cancellation_allowed_until
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
    // creationDate keeps its time; the term's dates are days (midnight UTC), as every sample shows them.
    creationDate: row.created_at.toISOString(),
    // The current term's start: a renewal starts a new term (the day after the last one's last day).
    effectiveStartDate: utcDay(row.term_started_at ?? row.created_at).toISOString(),
    commitmentEndDate: row.commitment_end_at ? utcDay(row.commitment_end_at).toISOString() : null,
    cancellationAllowedUntilDate: cancellable ? row.cancellation_allowed_until!.toISOString() : null,
    status: row.status,
    autoRenewEnabled: row.auto_renew_enabled,
    // null when nothing is scheduled, as the update-subscription samples show it ("original value = null").
    scheduledNextTermInstructions: nextTermInstructionsOf(row.scheduled_next_term),
    billingType: row.billing_type,
    billingCycle: row.billing_cycle,
    termDuration: row.term_duration,
    isTrial: row.is_trial,
    // Third-party SaaS products name their publisher in the catalog; everything else is Microsoft's.
    isMicrosoftProduct: activationOf(row.catalog_item_id) === undefined,
    publisherName: activationOf(row.catalog_item_id)?.publisherName ?? 'Microsoft Corporation',
    // Capitalised and in this order, as recorded (SessionRecords/GetCustomerSubscription.json).
    actions: ended ? [] : cancellable ? ['Cancel', 'Edit'] : ['Edit'],
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

/** Scheduled instructions as Partner Center writes them: customTermEndDate only when one was asked for. */
function nextTermInstructionsOf (next: NextTermData | null) {
  if (!next) return null
  return { product: next.product, quantity: next.quantity, ...(next.customTermEndDate ? { customTermEndDate: next.customTermEndDate } : {}) }
}
