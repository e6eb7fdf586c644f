// Application consent shapes: a partner's application (a control panel vendor's) consented in a
// customer's tenant, with one grant per resource application it may call there.
import { Type, type Static } from 'typebox'
import { AttributesSchema, CustomerId, Guid } from '../../schemas/common.js'

export { CustomerParams } from '../../schemas/common.js'

export const ConsentParams = Type.Object({ customerId: CustomerId, applicationId: Guid('The application id of the consent') })

export const ApplicationGrantSchema = Type.Object({
  enterpriseApplicationId: Guid('The resource application, e.g. Microsoft Graph 00000003-0000-0000-c000-000000000000'),
  scope: Type.String({
    minLength: 1, maxLength: 4000,
    description: 'Its permissions, comma-separated (Domain.ReadWrite.All,User.ReadWrite.All,Directory.Read.All)',
    examples: ['Domain.ReadWrite.All,User.ReadWrite.All,Directory.Read.All']
  })
})

export const CreateConsentSchema = Type.Object({
  applicationId: Guid('The application of the partner (the CPV) to consent in the customer'),
  applicationGrants: Type.Array(ApplicationGrantSchema, { minItems: 1, maxItems: 50 }),
  displayName: Type.String({ minLength: 1, maxLength: 256, description: 'The application\'s name in the customer tenant' })
})
export type CreateConsent = Static<typeof CreateConsentSchema>

export const ConsentSchema = Type.Object({
  applicationId: Type.String(),
  displayName: Type.String(),
  applicationGrants: Type.Array(ApplicationGrantSchema),
  attributes: AttributesSchema('ApplicationConsent')
})
