// Commerce shapes that several APIs share: an order (returned by checkout and by the orders API) and
// a cart line as a client writes it (what carts store and what buying prices). Property names as
// Partner Center's.
import { Type, type Static } from 'typebox'
import { AttributesSchema, LinkSchema } from '../schemas/common.js'

export const DateTime = Type.String({ format: 'date-time' })
export const Links = Type.Record(Type.String(), LinkSchema)

const Participant = Type.Object({ key: Type.String(), value: Type.String() })

export const LineItemInput = {
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

const Pricing = Type.Object({
  listPrice: Type.Number({ description: 'In the order currency' }),
  discountedPrice: Type.Number(),
  price: Type.Number(),
  extendedPrice: Type.Number()
}, { description: 'Only with include_price=true' })

export const OrderLineItemSchema = Type.Object({
  lineItemNumber: Type.Integer(),
  offerId: Type.String(),
  subscriptionId: Type.String(),
  termDuration: Type.Optional(Type.String()),
  transactionType: Type.String(),
  friendlyName: Type.String(),
  quantity: Type.Integer(),
  pricing: Type.Optional(Pricing),
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
  totalPrice: Type.Optional(Type.Number({ description: 'Only with include_price=true' })),
  links: Links,
  attributes: AttributesSchema('Order')
})
