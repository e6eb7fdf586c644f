// Order shapes: an order to create, the cancellation PATCH, provisioning status, the list's filter.
import { Type, type Static } from 'typebox'
import { AttributesSchema, CustomerId } from '../../schemas/common.js'

export { OrderSchema } from '../../commerce/schemas.js'
export { CustomerParams } from '../../schemas/common.js'
export const OrderParams = Type.Object({ customerId: CustomerId, orderId: Type.String() })

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
  billingCycle: Type.Optional(Type.String({ description: 'Defaults to monthly, as the Order resource says' })),
  attributes: Type.Optional(Type.Object({ objectType: Type.Optional(Type.String()) }))
})
export type CreateOrder = Static<typeof CreateOrderSchema>

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
  include_price: Type.Optional(Type.Boolean({ description: 'Include each line\'s pricing and the order\'s totalPrice' }))
})
