// Subscription shapes: a subscription, the PATCH that changes it, the list's filters.
import { Type, type Static } from 'typebox'
import { DateTime, Links } from '../../commerce/schemas.js'
import { AttributesSchema, CustomerId } from '../../schemas/common.js'

export { CustomerParams, IfMatchHeaders } from '../../schemas/common.js'
export const SubscriptionParams = Type.Object({ customerId: CustomerId, subscriptionId: Type.String() })

const NextTermProduct = {
  productId: Type.String(),
  skuId: Type.String(),
  availabilityId: Type.String(),
  billingCycle: Type.String({ description: 'Monthly, Annual, Triennial...' })
}

/** What a subscription renews into (create-scheduled-changes). */
export const NextTermInstructionsSchema = Type.Object({
  product: Type.Object({ ...NextTermProduct, termDuration: Type.String({ description: 'P1M, P1Y, P3Y' }) }),
  quantity: Type.Integer(),
  customTermEndDate: Type.Optional(DateTime)
})

/** Scheduled instructions as a PATCH sends them: termDuration defaults to the current one. */
const NextTermInstructionsInput = Type.Object({
  product: Type.Object({ ...NextTermProduct, termDuration: Type.Optional(Type.String()) }),
  quantity: Type.Integer({ minimum: 1 }),
  customTermEndDate: Type.Optional(Type.Union([Type.String({ maxLength: 40 }), Type.Null()]))
})

export const SubscriptionSchema = Type.Object({
  id: Type.String(),
  entitlementId: Type.String(),
  offerId: Type.String(),
  offerName: Type.String(),
  friendlyName: Type.String(),
  productType: Type.Record(Type.String(), Type.Unknown()),
  quantity: Type.Integer(),
  unitType: Type.String(),
  parentSubscriptionId: Type.Optional(Type.String()),
  partnerId: Type.Optional(Type.String({ description: 'The indirect reseller\'s MPN id' })),
  creationDate: DateTime,
  effectiveStartDate: DateTime,
  commitmentEndDate: Type.Union([DateTime, Type.Null()]),
  cancellationAllowedUntilDate: Type.Union([DateTime, Type.Null()]),
  status: Type.String({ description: 'active, suspended, deleted, expired...' }),
  autoRenewEnabled: Type.Boolean(),
  scheduledNextTermInstructions: Type.Union([NextTermInstructionsSchema, Type.Null()], { description: 'Changes that take effect at renewal; null when none' }),
  billingType: Type.String(),
  billingCycle: Type.String(),
  termDuration: Type.String(),
  isTrial: Type.Boolean(),
  isMicrosoftProduct: Type.Boolean(),
  publisherName: Type.String(),
  actions: Type.Array(Type.String()),
  suspensionReasons: Type.Array(Type.String()),
  contractType: Type.String(),
  orderId: Type.String(),
  refundableQuantity: Type.Optional(Type.Object({ totalQuantity: Type.Integer() })),
  links: Links,
  attributes: AttributesSchema('Subscription')
})

export const UpdateSubscriptionSchema = Type.Object({
  quantity: Type.Optional(Type.Integer({ minimum: 1 })),
  status: Type.Optional(Type.String({ description: 'active (reactivate), suspended, deleted (cancel)' })),
  autoRenewEnabled: Type.Optional(Type.Boolean()),
  friendlyName: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  billingCycle: Type.Optional(Type.String()),
  scheduledNextTermInstructions: Type.Optional(Type.Union([NextTermInstructionsInput, Type.Null()], {
    description: 'The SKU, term, billing cycle and quantity of the next term (same product; auto-renew on); null removes them'
  }))
}, { additionalProperties: true, description: 'The subscription with the fields to change (the rest is ignored)' })
export type UpdateSubscription = Static<typeof UpdateSubscriptionSchema>

export const ListSubscriptionsQuery = Type.Object({
  order_id: Type.Optional(Type.String()),
  mpn_id: Type.Optional(Type.String())
})
