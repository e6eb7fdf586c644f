// Shapes of a subscription's details: its support contact, provisioning status and registration status.
import { Type, type Static } from 'typebox'
import { AttributesSchema, CustomerId, Guid, LinkSchema, LinksSchema } from '../../schemas/common.js'

export const SubscriptionParams = Type.Object({ customerId: CustomerId, subscriptionId: Type.String() })

export const SupportContactSchema = Type.Object({
  supportTenantId: Type.String({ description: 'The indirect reseller\'s tenant id' }),
  supportMpnId: Type.String({ description: 'The indirect reseller\'s MPN id' }),
  name: Type.String(),
  links: LinksSchema,
  attributes: AttributesSchema('SupportContact')
})

// The whole resource comes back from a GET; links and attributes are read-only and ignored.
export const UpdateSupportContactSchema = Type.Object({
  supportTenantId: Guid('The indirect reseller\'s tenant id (GET /v1/relationships)'),
  supportMpnId: Type.String({ minLength: 1, maxLength: 64, description: 'The indirect reseller\'s MPN id' }),
  name: Type.String({ minLength: 1, maxLength: 256, description: 'The indirect reseller\'s name, as GET /v1/relationships names it' })
}, { additionalProperties: true })
export type UpdateSupportContact = Static<typeof UpdateSupportContactSchema>

export const SubscriptionProvisioningStatusSchema = Type.Object({
  skuId: Type.String(),
  status: Type.String({ description: 'success, pending or failed' }),
  quantity: Type.Integer(),
  endDate: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  attributes: AttributesSchema('SubscriptionProvisioningStatus')
})

export const RegistrationStatusSchema = Type.Object({
  subscriptionId: Type.String(),
  status: Type.String({ description: 'registered or notregistered (the emulator registers at once, so never registering)' }),
  attributes: AttributesSchema('SubscriptionRegistrationStatus')
})

export const OrderLineParams = Type.Object({ customerId: CustomerId, orderId: Type.String(), lineItemNumber: Type.Integer({ minimum: 0 }) })

export const ActivationResultSchema = Type.Object({
  subscriptionId: Type.String(),
  status: Type.String({ description: 'success' })
})

export const ActivationLinkSchema = Type.Object({
  lineItemNumber: Type.Integer(),
  link: LinkSchema
})
