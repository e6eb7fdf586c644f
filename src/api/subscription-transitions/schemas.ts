// Shapes of a subscription's upgrades (legacy offers: Upgrade, UpgradeResult) and transitions (new
// commerce: TransitionEligibility, Transition), with Partner Center's property names.
import { Type, type Static } from 'typebox'
import { AttributesSchema, CustomerId, Guid, LinksSchema } from '../../schemas/common.js'

const DateTime = Type.String({ format: 'date-time' })

export const SubscriptionParams = Type.Object({ customerId: CustomerId, subscriptionId: Type.String() })
const TRANSITION_TYPES = 'transition_only or transition_with_license_transfer'

/** UpgradeErrorCode / TransitionErrorCode: the two enums share their values (numbers on the wire, as the samples show). */
const ReasonSchema = Type.Object({
  code: Type.Integer({ description: '2 not active, 6 add-ons present, 7 no upgrade paths, 8 not an upgrade path (the enum values)' }),
  description: Type.String(),
  additionalDetails: Type.Optional(Type.String())
})

export const UpgradeErrorSchema = Type.Object({ ...ReasonSchema.properties, attributes: AttributesSchema('UpgradeError') })

export const TargetOfferSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  description: Type.String(),
  minimumQuantity: Type.Integer(),
  maximumQuantity: Type.Integer(),
  isAddOn: Type.Boolean(),
  isAvailableForPurchase: Type.Boolean(),
  billing: Type.String(),
  supportedBillingCycles: Type.Array(Type.String()),
  unitType: Type.String(),
  links: LinksSchema,
  attributes: AttributesSchema('Offer')
})

export const UpgradeSchema = Type.Object({
  targetOffer: TargetOfferSchema,
  upgradeType: Type.String({ description: 'upgrade_only or upgrade_with_license_transfer' }),
  isEligible: Type.Boolean(),
  quantity: Type.Integer({ description: 'The source subscription\'s quantity' }),
  upgradeErrors: Type.Array(UpgradeErrorSchema),
  attributes: AttributesSchema('Upgrade')
})

// The Upgrade a GET listed comes back whole; only its target offer's id, the type and the quantity are read.
export const PerformUpgradeSchema = Type.Object({
  targetOffer: Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) }, { additionalProperties: true }),
  upgradeType: Type.Optional(Type.Union([Type.String({ maxLength: 64 }), Type.Integer()], { description: 'upgrade_only (1) or upgrade_with_license_transfer (2)' })),
  quantity: Type.Optional(Type.Integer({ minimum: 1, description: 'Seats to move; the source subscription\'s quantity when absent' }))
}, { additionalProperties: true })
export type PerformUpgrade = Static<typeof PerformUpgradeSchema>

export const UpgradeResultSchema = Type.Object({
  sourceSubscriptionId: Type.String(),
  targetSubscriptionId: Type.String(),
  upgradeType: Type.String(),
  upgradeErrors: Type.Array(UpgradeErrorSchema),
  licenseErrors: Type.Array(Type.Object({ email: Type.String(), name: Type.String(), userObjectId: Type.String() })),
  attributes: AttributesSchema('UpgradeResult')
})

export const EligibilityQuery = Type.Object({
  eligibilityType: Type.Optional(Type.String({ pattern: '^([Ii]mmediate|[Ss]cheduled)$', description: 'immediate (the default) or scheduled' }))
})

const TransitionEligibilityDetailSchema = Type.Object({
  isEligible: Type.Boolean(),
  transitionType: Type.String({ description: TRANSITION_TYPES }),
  errors: Type.Array(ReasonSchema)
})

const SubscriptionEligibilitySchema = Type.Object({
  isEligible: Type.Boolean(),
  subscriptionId: Type.String(),
  subscriptionFriendlyName: Type.String(),
  subscriptionTermDuration: Type.String(),
  subscriptionBillingCycle: Type.String(),
  errors: Type.Array(ReasonSchema, { description: '1 not active, 2 in its cancellation window, 3 shorter term, 4 term ends before the source\'s' })
})

export const TransitionEligibilitySchema = Type.Object({
  catalogItemId: Type.String(),
  title: Type.String(),
  description: Type.String(),
  quantity: Type.Integer(),
  subscriptionEligibilities: Type.Array(SubscriptionEligibilitySchema, { description: 'The customer\'s subscriptions of the target SKU (none for a trial source or a scheduled transition)' }),
  eligibilities: Type.Array(TransitionEligibilityDetailSchema),
  attributes: AttributesSchema('TransitionEligibility')
})

export const CreateTransitionSchema = Type.Object({
  toCatalogItemId: Type.String({ minLength: 1, maxLength: 128, description: 'product:sku:availability (or product:sku)' }),
  quantity: Type.Integer({ minimum: 1, description: 'Seats to move, at most the source\'s' }),
  transitionType: Type.String({ maxLength: 64, description: TRANSITION_TYPES }),
  fromCatalogItemId: Type.Optional(Type.String({ maxLength: 128 })),
  fromSubscriptionId: Type.Optional(Type.String({ maxLength: 64 })),
  toSubscriptionId: Type.Optional(Type.String({ maxLength: 64, description: 'An existing subscription of the target SKU to move the seats into' })),
  termDuration: Type.Optional(Type.String({ maxLength: 16 })),
  billingCycle: Type.Optional(Type.String({ maxLength: 32 }))
}, { additionalProperties: true })
export type CreateTransition = Static<typeof CreateTransitionSchema>

export const TransitionSchema = Type.Object({
  operationId: Type.String({ description: 'Identifies the transition (GET …/transitions?operationId=)' }),
  fromCatalogItemId: Type.String(),
  fromSubscriptionId: Type.String(),
  toCatalogItemId: Type.String(),
  toSubscriptionId: Type.String(),
  quantity: Type.Integer(),
  termDuration: Type.String(),
  billingCycle: Type.String(),
  transitionType: Type.String(),
  status: Type.String({ description: 'completed: the emulator transitions at once' }),
  creationDate: DateTime,
  events: Type.Array(Type.Object({
    name: Type.String({ description: 'Conversion, or LicenseReassignment' }),
    status: Type.String(),
    timestamp: DateTime,
    attributes: AttributesSchema('TransitionEvent')
  })),
  attributes: AttributesSchema('Transition')
})

export const TransitionsQuery = Type.Object({
  operationId: Type.Optional(Guid('Only this transition'))
})
