// TypeBox schemas of the customer resources (property names from Microsoft's CustomerService Swagger).
import { Type, type Static } from 'typebox'
import { AttributesSchema, LinksSchema, SeekCollectionSchema } from '../../schemas/common.js'

export { ContinuationHeaders, CustomerParams } from '../../schemas/common.js'

export const AddressSchema = Type.Object({
  country: Type.String({ pattern: '^[A-Za-z]{2}$', description: 'ISO 3166-1 alpha-2 country code' }),
  region: Type.Optional(Type.String({ maxLength: 100 })),
  city: Type.Optional(Type.String({ maxLength: 100 })),
  state: Type.Optional(Type.String({ maxLength: 100 })),
  district: Type.Optional(Type.String({ maxLength: 100 })),
  addressLine1: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  addressLine2: Type.Optional(Type.String({ maxLength: 200 })),
  addressLine3: Type.Optional(Type.String({ maxLength: 200 })),
  postalCode: Type.Optional(Type.String({ maxLength: 20 })),
  firstName: Type.Optional(Type.String({ minLength: 1, maxLength: 50 })),
  middleName: Type.Optional(Type.String({ maxLength: 50 })),
  lastName: Type.Optional(Type.String({ minLength: 1, maxLength: 50 })),
  phoneNumber: Type.Optional(Type.String({ maxLength: 40 }))
}, { description: 'A postal address' })

const EMAIL_PATTERN = '^[^\\s@]+@[^\\s@]+\\.[^\\s@]+$'

/** The writable fields of a billing profile (create and PUT). */
const BillingProfileFields = {
  firstName: Type.Optional(Type.String({ minLength: 1, maxLength: 50 })),
  lastName: Type.Optional(Type.String({ minLength: 1, maxLength: 50 })),
  email: Type.String({ pattern: EMAIL_PATTERN, maxLength: 256, description: 'Billing contact email' }),
  culture: Type.String({ pattern: '^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$', description: 'e.g. en-US' }),
  language: Type.String({ pattern: '^[a-zA-Z]{2,3}$', description: 'e.g. en' }),
  companyName: Type.String({ minLength: 1, maxLength: 256 }),
  defaultAddress: AddressSchema
}

export const BillingProfileSchema = Type.Object({
  id: Type.String(),
  ...BillingProfileFields,
  links: LinksSchema,
  attributes: AttributesSchema('CustomerBillingProfile')
}, { description: 'A customer billing profile' })

export const UpdateBillingProfileSchema = Type.Object({
  id: Type.Optional(Type.String()),
  ...BillingProfileFields,
  attributes: Type.Optional(Type.Object({ etag: Type.Optional(Type.String()), objectType: Type.Optional(Type.String()) }))
})

export const CompanyProfileSchema = Type.Object({
  tenantId: Type.String(),
  domain: Type.String(),
  companyName: Type.String(),
  organizationRegistrationNumber: Type.Optional(Type.String()),
  links: LinksSchema,
  attributes: AttributesSchema('CustomerCompanyProfile')
}, { description: 'A customer company profile' })

// Literals spelled out (not mapped from an array) so that Static<> keeps the union, as for LOG_LEVEL.
export const RelationshipToPartner = Type.Union([
  Type.Literal('none'), Type.Literal('reseller'), Type.Literal('advisor'), Type.Literal('syndication'), Type.Literal('microsoft_support')
], { description: 'The relationship of the customer to the calling partner' })

export const CustomerSchema = Type.Object({
  id: Type.String({ description: 'The customer tenant id' }),
  commerceId: Type.String(),
  companyProfile: CompanyProfileSchema,
  billingProfile: Type.Optional(BillingProfileSchema),
  relationshipToPartner: RelationshipToPartner,
  allowDelegatedAccess: Type.Optional(Type.Boolean({ description: 'Only on get-by-id' })),
  userCredentials: Type.Optional(Type.Object({
    userName: Type.String(),
    password: Type.String()
  }, { description: 'The first admin credentials, returned only by create' })),
  customDomains: Type.Optional(Type.Array(Type.String())),
  associatedPartnerId: Type.Optional(Type.String()),
  links: LinksSchema,
  attributes: AttributesSchema('Customer')
}, { description: 'A customer of the partner' })

export const DOMAIN_PATTERN = '^[A-Za-z0-9](?:[A-Za-z0-9-]{0,25}[A-Za-z0-9])?\\.onmicrosoft\\.com$'

export const CreateCustomerSchema = Type.Object({
  companyProfile: Type.Object({
    domain: Type.String({ pattern: DOMAIN_PATTERN, description: 'The new tenant\'s initial domain, e.g. contoso.onmicrosoft.com' }),
    organizationRegistrationNumber: Type.Optional(Type.String({ maxLength: 50 })),
    companyName: Type.Optional(Type.String({ minLength: 1, maxLength: 256, description: 'Defaults to the billing company name' }))
  }),
  billingProfile: Type.Object(BillingProfileFields),
  associatedPartnerId: Type.Optional(Type.String({ maxLength: 50 }))
})

/**
 * PATCH /v1/customers/{id}: the only change a partner makes is ending its reseller relationship. The
 * .NET SDK sends a whole Customer with every other field null, so other fields are allowed and ignored.
 */
export const UpdateCustomerSchema = Type.Object({
  relationshipToPartner: Type.String({ maxLength: 50, description: 'Only "none": removes the reseller relationship' }),
  attributes: Type.Optional(Type.Object({ objectType: Type.Optional(Type.Union([Type.String(), Type.Null()])) }))
})

export const ListCustomersQuery = Type.Object({
  size: Type.Optional(Type.Integer({ minimum: 0, maximum: 500, description: 'Page size (0 or absent: 100)' })),
  filter: Type.Optional(Type.String({
    maxLength: 1024,
    description: 'JSON {"Field":"CompanyName"|"Domain","Value":"...","Operator":"starts_with"}'
  })),
  seekOperation: Type.Optional(Type.String({ description: 'Next, with the MS-ContinuationToken header, for the following page' }))
})

export const CustomerCollectionSchema = SeekCollectionSchema(CustomerSchema, 'A page of customers')

export const DomainParams = Type.Object({ domain: Type.String({ minLength: 1, maxLength: 253 }) })

/** The billing profile's ETag, required by its PUT. */
export const BillingIfMatchHeaders = Type.Object({ 'if-match': Type.Optional(Type.String({ maxLength: 1024 })) })

export type CreateCustomer = Static<typeof CreateCustomerSchema>
export type UpdateCustomer = Static<typeof UpdateCustomerSchema>
export type UpdateBillingProfile = Static<typeof UpdateBillingProfileSchema>
export type Customer = Static<typeof CustomerSchema>
export type ListCustomers = Static<typeof ListCustomersQuery>
