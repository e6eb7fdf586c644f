// The one way an area finds a customer's subscription by the id a client sent: a 404 (20003) for an
// id that is no GUID or names no subscription of the partner's customer.
import { subscriptionNotFound } from '../errors.js'
import { isGuid } from '../lib/ids.js'
import type { CommerceRepository } from './repository.js'

export async function findSubscription (commerce: CommerceRepository, partnerTenantId: string, customerId: string, subscriptionId: string) {
  const row = isGuid(subscriptionId) ? await commerce.subscription(partnerTenantId, customerId, subscriptionId) : undefined
  if (!row) throw subscriptionNotFound(subscriptionId)
  return row
}
