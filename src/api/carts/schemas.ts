// Cart shapes: a cart, its lines with their order groups and errors, and a checkout's result.
import { Type, type Static } from 'typebox'
import { CartLineItemInputSchema, DateTime, LineItemInput, OrderSchema } from '../../commerce/schemas.js'
import { AttributesSchema, CustomerId, LinkSchema } from '../../schemas/common.js'

export { CustomerParams } from '../../schemas/common.js'
export const CartParams = Type.Object({ customerId: CustomerId, cartId: Type.String() })

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
  error: Type.Optional(Type.Object({
    errorCode: Type.Integer({
      description: 'CartErrorCode, e.g. 10001 invalid catalog item, 10010 invalid input, 10011 subscription not registered, 10014 invalid promotion, 10015 seats'
    }),
    errorDescription: Type.String()
  }))
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

export const CheckoutResultSchema = Type.Object({
  orders: Type.Array(OrderSchema),
  orderErrors: Type.Array(Type.Object({
    orderGroupId: Type.String(),
    code: Type.Integer(),
    description: Type.String()
  })),
  attributes: AttributesSchema('CartCheckoutResult')
})
