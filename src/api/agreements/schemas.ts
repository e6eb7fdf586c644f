// Agreement shapes: the Microsoft Customer Agreement's metadata and a customer's confirmation of it.
import { Type, type Static } from 'typebox'
import { DateTime } from '../../commerce/schemas.js'
import { INSTANT_PATTERN } from '../../lib/dates.js'
import { AttributesSchema } from '../../schemas/common.js'

export { CustomerParams } from '../../schemas/common.js'

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
  dateAgreed: Type.String({ pattern: INSTANT_PATTERN, description: 'A date-time; without an offset (as the .NET SDK sends it) or a date alone, it is UTC' }),
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
