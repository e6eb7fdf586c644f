// Commerce shapes (reference §4): agreements, carts, orders, subscriptions. Property names as Partner Center's.
import { Type, type Static } from 'typebox'
import { AttributesSchema, LinkSchema } from '../../schemas/common.js'

const GUID_PATTERN = '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$'
const customerId = Type.String({ pattern: GUID_PATTERN, description: 'The customer tenant id' })
const DateTime = Type.String({ format: 'date-time' })
const Links = Type.Record(Type.String(), LinkSchema)

export const CustomerParams = Type.Object({ customerId })
export const CartParams = Type.Object({ customerId, cartId: Type.String() })
export const OrderParams = Type.Object({ customerId, orderId: Type.String() })
export const SubscriptionParams = Type.Object({ customerId, subscriptionId: Type.String() })

// ---- Agreements --------------------------------------------------------------------------------------

export const AgreementMetadataSchema = Type.Object({
  templateId: Type.String(),
  agreementType: Type.String(),
  agreementLink: Type.String(),
  versionRank: Type.Integer(),
  attributes: AttributesSchema('AgreementMetaData')
})

const Contact = Type.Object({
  firstName: Type.String({ minLength: 1 }),
  lastName: Type.String({ minLength: 1 }),
  email: Type.String({ pattern: '^[^\\s@]+@[^\\s@]+$' }),
  phoneNumber: Type.Optional(Type.String())
})

export const CreateAgreementSchema = Type.Object({
  primaryContact: Contact,
  templateId: Type.String(),
  dateAgreed: DateTime,
  type: Type.String({ description: 'MicrosoftCustomerAgreement' }),
  attributes: Type.Optional(Type.Object({ objectType: Type.Optional(Type.String()) }))
})
export type CreateAgreement = Static<typeof CreateAgreementSchema>

export const AgreementSchema = Type.Object({
  userId: Type.String(),
  primaryContact: Contact,
  dateAgreed: DateTime,
  templateId: Type.String(),
  type: Type.String(),
  agreementLink: Type.String(),
  attributes: AttributesSchema('Agreement')
})

export const AgreementTypeQuery = Type.Object({ agreementType: Type.Optional(Type.String()) })

// ---- Carts --------------------------------------------------------------------------------------------

const Participant = Type.Object({ key: Type.String(), value: Type.String() })

const LineItemInput = {
  id: Type.Optional(Type.Integer({ minimum: 0 })),
  catalogItemId: Type.String({ description: 'productId:skuId:availabilityId' }),
  friendlyName: Type.Optional(Type.String({ maxLength: 100 })),
  quantity: Type.Integer({ minimum: 1 }),
  billingCycle: Type.String({ description: 'monthly, annual, triennial, one_time, none' }),
  termDuration: Type.Optional(Type.String({ description: 'P1M, P1Y, P3Y' })),
  promotionId: Type.Optional(Type.String()),
  participants: Type.Optional(Type.Array(Participant)),
  provisioningContext: Type.Optional(Type.Record(Type.String(), Type.String()))
}

export const CartLineItemInputSchema = Type.Object(LineItemInput)
export type CartLineItemInput = Static<typeof CartLineItemInputSchema>

export const CreateCartSchema = Type.Object({
  id: Type.Optional(Type.String()),
  lineItems: Type.Array(CartLineItemInputSchema, { minItems: 1, maxItems: 50 }),
  partnerOnRecordAttestationAccepted: Type.Optional(Type.Boolean()),
  attributes: Type.Optional(Type.Object({ objectType: Type.Optional(Type.String()) }))
})
export type CreateCart = Static<typeof CreateCartSchema>

export const CartLineItemSchema = Type.Object({
  ...LineItemInput,
  id: Type.Integer(),
  currencyCode: Type.String(),
  orderGroup: Type.String(),
  error: Type.Optional(Type.Object({ errorCode: Type.Integer({ description: 'CartErrorCode, e.g. 10001 invalid catalog item, 10010 invalid input, 10011 subscription not registered, 10014 invalid promotion, 10015 seats' }), errorDescription: Type.String() }))
})

export const CartSchema = Type.Object({
  id: Type.String(),
  creationTimestamp: DateTime,
  lastModifiedTimestamp: DateTime,
  expirationTimestamp: DateTime,
  lastModifiedUser: Type.String(),
  lineItems: Type.Array(CartLineItemSchema),
  status: Type.Union([Type.Literal('Active'), Type.Literal('Ordered')]),
  partnerOnRecordAttestationAccepted: Type.Boolean(),
  links: Type.Object({ self: LinkSchema }),
  attributes: AttributesSchema('Cart')
})

// ---- Orders --------------------------------------------------------------------------------------------

const Pricing = Type.Object({
  listPrice: Type.String({ description: 'Decimal string in the order currency' }),
  discountedPrice: Type.String(),
  price: Type.String(),
  extendedPrice: Type.String()
})

export const OrderLineItemSchema = Type.Object({
  lineItemNumber: Type.Integer(),
  offerId: Type.String(),
  subscriptionId: Type.String(),
  termDuration: Type.Optional(Type.String()),
  transactionType: Type.String(),
  friendlyName: Type.String(),
  quantity: Type.Integer(),
  pricing: Pricing,
  links: Links
})

export const OrderSchema = Type.Object({
  id: Type.String(),
  alternateId: Type.String(),
  referenceCustomerId: Type.String(),
  billingCycle: Type.String(),
  currencyCode: Type.String(),
  currencySymbol: Type.String(),
  lineItems: Type.Array(OrderLineItemSchema),
  creationDate: DateTime,
  status: Type.String({ description: 'pending, completed or cancelled' }),
  transactionType: Type.String(),
  totalPrice: Type.String(),
  links: Links,
  attributes: AttributesSchema('Order')
})

export const CreateOrderSchema = Type.Object({
  lineItems: Type.Array(Type.Object({
    lineItemNumber: Type.Optional(Type.Integer({ minimum: 0 })),
    offerId: Type.String({ description: 'catalogItemId' }),
    quantity: Type.Integer({ minimum: 1 }),
    friendlyName: Type.Optional(Type.String({ maxLength: 100 })),
    termDuration: Type.Optional(Type.String()),
    parentSubscriptionId: Type.Optional(Type.String({ description: 'Add-ons: the base subscription' })),
    partnerIdOnRecord: Type.Optional(Type.String({ description: 'Indirect reseller MPN id' }))
  }), { minItems: 1, maxItems: 50 }),
  billingCycle: Type.String(),
  attributes: Type.Optional(Type.Object({ objectType: Type.Optional(Type.String()) }))
})
export type CreateOrder = Static<typeof CreateOrderSchema>

export const CheckoutResultSchema = Type.Object({
  orders: Type.Array(OrderSchema),
  orderErrors: Type.Array(Type.Object({ orderGroupId: Type.String(), code: Type.Integer(), description: Type.String() })),
  attributes: AttributesSchema('CartCheckoutResult')
})

export const ProvisioningStatusSchema = Type.Object({
  lineItemNumber: Type.Integer(),
  status: Type.String(),
  quantityProvisioningInformation: Type.Array(Type.Object({ quantity: Type.Integer(), status: Type.String() })),
  attributes: AttributesSchema('OrderLineItemProvisioningStatus')
})

export const UpdateOrderSchema = Type.Object({
  id: Type.Optional(Type.String()),
  status: Type.Literal('cancelled'),
  attributes: Type.Optional(Type.Object({ objectType: Type.Optional(Type.String()) }))
})

export const ListOrdersQuery = Type.Object({
  billingType: Type.Optional(Type.String({ description: 'onetime, monthly, annual...' })),
  include_price: Type.Optional(Type.Boolean())
})

// ---- Subscriptions ---------------------------------------------------------------------------------------

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
  billingCycle: Type.Optional(Type.String())
}, { additionalProperties: true, description: 'The subscription with the fields to change (the rest is ignored)' })
export type UpdateSubscription = Static<typeof UpdateSubscriptionSchema>

export const ListSubscriptionsQuery = Type.Object({
  order_id: Type.Optional(Type.String()),
  mpn_id: Type.Optional(Type.String())
})
