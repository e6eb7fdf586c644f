// A subscription's details: its support contact (one of the partner's indirect resellers), its
// provisioning status, the registration of an Azure subscription for Azure reservations, and the
// activation of third-party SaaS subscriptions. Reads scope by partner and customer (another partner's customer is a
// 404); each write locks the subscription, changes it and records its audit record in one transaction.
import type { Kysely, Updateable } from 'kysely'
import { recordActivity } from '../../audit/record.js'
import { activationOf, needsRegistration } from '../../catalog/catalog.js'
import { findSubscription } from '../../commerce/find-subscription.js'
import { createCommerceRepository } from '../../commerce/repository.js'
import type { Database, SubscriptionRow, SubscriptionsTable } from '../../db/schema.js'
import { activationSandboxOnly, invalidRequest, orderNotFound, resourceNotFound, subscriptionDeleted } from '../../errors.js'
import { utcDay } from '../../lib/dates.js'
import { link } from '../../schemas/common.js'
import { subscriptionOf } from '../../commerce/subscription-json.js'
import { createSubscriptionDetailsRepository } from './repository.js'
import type { UpdateSupportContact } from './schemas.js'

export function createSubscriptionDetailsService (db: Kysely<Database>) {
  const commerce = createCommerceRepository(db)

  const mustFind = (partnerTenantId: string, customerId: string, subscriptionId: string) =>
    findSubscription(commerce, partnerTenantId, customerId, subscriptionId)

  /** Locks the subscription, applies `change`, and records the update with the subscription before and after. */
  async function update (partnerTenantId: string, found: SubscriptionRow, now: Date,
    change: (row: SubscriptionRow, trx: Kysely<Database>) => Promise<Updateable<SubscriptionsTable> | undefined>) {
    return db.transaction().execute(async (trx) => {
      const details = createSubscriptionDetailsRepository(trx)
      const row = await details.lock(found.id)
      if (row.status === 'deleted') throw subscriptionDeleted()
      const changes = await change(row, trx)
      // Nothing to change (a second PUT of the same contact, a second registration): no write, no record.
      if (!changes) return row
      const updated = await details.update(row.id, { ...changes, version: row.version + 1 })
      await recordActivity(trx, {
        partnerTenantId, customerId: row.customer_id, resourceType: 'subscription', operationType: 'update_subscription',
        oldValue: subscriptionOf(row, now), newValue: subscriptionOf(updated, now),
        events: [{ name: 'subscription-updated', resourcePath: `/v1/customers/${row.customer_id}/subscriptions/${row.id}`, resourceName: 'subscription' }]
      })
      return updated
    })
  }

  return {
    async supportContact (partnerTenantId: string, customerId: string, subscriptionId: string) {
      const row = await mustFind(partnerTenantId, customerId, subscriptionId)
      if (!row.support_contact) throw resourceNotFound(`Subscription ${row.id} has no support contact.`)
      return supportContactOf(row)
    },

    /** Names one of the partner's indirect resellers (tenant id, MPN id and name must all match it). */
    async updateSupportContact (partnerTenantId: string, customerId: string, subscriptionId: string, body: UpdateSupportContact, now: Date) {
      const found = await mustFind(partnerTenantId, customerId, subscriptionId)
      // Designated support contacts are not supported in new commerce (the note of both pages): only
      // subscriptions of legacy offers (an offer id, not product:sku:availability) have one.
      if (found.catalog_item_id.includes(':')) throw invalidRequest('Designated support contacts are not supported for new commerce subscriptions.')
      const updated = await update(partnerTenantId, found, now, async (row, trx) => {
        const reseller = await createSubscriptionDetailsRepository(trx).reseller(partnerTenantId, body.supportTenantId)
        if (!reseller || reseller.mpn_id !== body.supportMpnId.trim() || reseller.name.toLowerCase() !== body.name.trim().toLowerCase()) {
          throw invalidRequest('The support contact must be one of the partner\'s indirect resellers (GET /v1/relationships): ' +
            'supportTenantId, supportMpnId and name must match one.', ['supportTenantId', 'supportMpnId', 'name'])
        }
        const contact = { supportTenantId: reseller.reseller_tenant_id, supportMpnId: reseller.mpn_id, name: reseller.name }
        const current = row.support_contact
        if (current && current.supportTenantId === contact.supportTenantId && current.supportMpnId === contact.supportMpnId && current.name === contact.name) return undefined
        return { support_contact: JSON.stringify(contact) }
      })
      return supportContactOf(updated)
    },

    /** Provisioning is immediate in the emulator: every live subscription is provisioned (success). */
    async provisioningStatus (partnerTenantId: string, customerId: string, subscriptionId: string) {
      const row = await mustFind(partnerTenantId, customerId, subscriptionId)
      return {
        skuId: row.catalog_item_id.split(':')[1] ?? row.catalog_item_id,
        status: 'success',
        quantity: row.quantity,
        endDate: row.commitment_end_at ? utcDay(row.commitment_end_at).toISOString() : null,
        attributes: { objectType: 'SubscriptionProvisioningStatus' }
      }
    },

    async registrationStatus (partnerTenantId: string, customerId: string, subscriptionId: string) {
      const row = await mustFind(partnerTenantId, customerId, subscriptionId)
      requireRegistrable(row)
      return registrationStatusOf(row)
    },

    /** Registers the Azure subscription for Azure reservations; it is registered at once (the status is never `registering`). */
    async register (partnerTenantId: string, customerId: string, subscriptionId: string, now: Date) {
      const found = await mustFind(partnerTenantId, customerId, subscriptionId)
      requireRegistrable(found)
      const updated = await update(partnerTenantId, found, now, async (row) => {
        if (row.status !== 'active') throw invalidRequest(`Subscription ${row.id} is ${row.status}: only an active subscription can be registered.`)
        return row.registration_status === 'registered' ? undefined : { registration_status: 'registered' }
      })
      return registrationStatusOf(updated)
    },

    /** Activates a third-party SaaS subscription, as its publisher would; integration sandbox accounts only. */
    async activate (partnerTenantId: string, customerId: string, subscriptionId: string, now: Date) {
      const found = await mustFind(partnerTenantId, customerId, subscriptionId)
      if (!activationOf(found.catalog_item_id)) throw invalidRequest(`Subscription ${found.id} is not of a product that needs activation.`)
      if (!await createSubscriptionDetailsRepository(db).isIntegrationSandbox(partnerTenantId)) throw activationSandboxOnly()
      // Activating twice changes nothing and answers success again.
      const updated = await update(partnerTenantId, found, now, async (row) => row.activated_at ? undefined : { activated_at: now })
      return { subscriptionId: updated.id, status: 'success' }
    },

    /** The publisher's activation link of an order line, for a product that needs activation (else none). */
    async activationLinks (partnerTenantId: string, customerId: string, orderId: string, lineItemNumber: number) {
      const order = await createSubscriptionDetailsRepository(db).order(partnerTenantId, customerId, orderId)
      if (!order) throw orderNotFound(orderId)
      const line = (order.line_items as Array<{ lineItemNumber: number, offerId: string, subscriptionId: string }>).find((l) => l.lineItemNumber === lineItemNumber)
      if (!line) throw resourceNotFound(`Order ${order.id} has no line item ${lineItemNumber}.`)
      const activation = activationOf(line.offerId)
      if (!activation) return []
      return [{ lineItemNumber, link: link(`${activation.activationUrl}?subscriptionId=${line.subscriptionId}`) }]
    }
  }
}

function requireRegistrable (row: SubscriptionRow) {
  if (!needsRegistration(row.catalog_item_id)) {
    throw invalidRequest(`Subscription ${row.id} is not an Azure subscription: only Azure subscriptions are registered for Azure reservations.`)
  }
}

function registrationStatusOf (row: SubscriptionRow) {
  return { subscriptionId: row.id, status: row.registration_status ?? 'notregistered', attributes: { objectType: 'SubscriptionRegistrationStatus' } }
}

function supportContactOf (row: SubscriptionRow) {
  return {
    ...row.support_contact!,
    links: { self: link(`/customers/${row.customer_id}/subscriptions/${row.id}/supportcontact`) },
    attributes: { objectType: 'SupportContact' }
  }
}
