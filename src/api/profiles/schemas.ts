// TypeBox schemas of the partner's organization and legal business profiles (property names from the
// pages "Get an organization profile" and "Get the partner legal business profile").
import { Type, type Static } from 'typebox'
import { AttributesSchema, LinksSchema } from '../../schemas/common.js'

const EMAIL = Type.String({ pattern: '^[^\\s@]+@[^\\s@]+\\.[^\\s@]+$', maxLength: 256 })
// The .NET SDK sends absent properties as null. Null first: with type coercion on, a String first would turn null into ""
// (an empty string becomes null instead, and is dropped as well).
const text = (maxLength: number) => Type.Optional(Type.Union([Type.Null(), Type.String({ maxLength })]))

export const ProfileAddressSchema = Type.Object({
  country: Type.String({ pattern: '^[A-Za-z]{2}$', description: 'ISO 3166-1 alpha-2 country code' }),
  region: text(100),
  city: text(100),
  state: text(100),
  district: text(100),
  addressLine1: text(200),
  addressLine2: text(200),
  addressLine3: text(200),
  postalCode: text(20),
  firstName: text(50),
  middleName: text(50),
  lastName: text(50),
  phoneNumber: text(40)
})

const ContactSchema = Type.Object({
  firstName: text(50),
  lastName: text(50),
  email: Type.Optional(Type.Union([Type.Null(), EMAIL])),
  phoneNumber: text(40)
})

const ProfileAttributes = Type.Optional(Type.Object({ etag: Type.Optional(Type.String()), objectType: Type.Optional(Type.String()) }))

export const OrganizationProfileSchema = Type.Object({
  id: Type.String(),
  companyName: Type.String(),
  defaultAddress: ProfileAddressSchema,
  tenantId: Type.String(),
  domain: Type.String(),
  email: Type.String(),
  language: Type.String(),
  culture: Type.String(),
  profileType: Type.Literal('OrganizationProfile'),
  links: LinksSchema,
  attributes: AttributesSchema('OrganizationProfile')
}, { description: 'The partner\'s organization profile' })

/** PUT: id, tenantId and domain are the tenant's and cannot change; they are accepted and ignored. */
export const UpdateOrganizationProfileSchema = Type.Object({
  id: Type.Optional(Type.Union([Type.Null(), Type.String()])),
  companyName: Type.String({ minLength: 1, maxLength: 256 }),
  defaultAddress: ProfileAddressSchema,
  tenantId: Type.Optional(Type.Union([Type.Null(), Type.String()])),
  domain: Type.Optional(Type.Union([Type.Null(), Type.String()])),
  email: EMAIL,
  language: Type.String({ pattern: '^[a-zA-Z]{2,3}$' }),
  culture: Type.String({ pattern: '^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$' }),
  attributes: ProfileAttributes
})

export const LegalBusinessProfileSchema = Type.Object({
  companyName: Type.String(),
  address: ProfileAddressSchema,
  primaryContact: ContactSchema,
  companyApproverAddress: ProfileAddressSchema,
  companyApproverEmail: Type.String(),
  vettingStatus: Type.String(),
  vettingSubStatus: Type.String(),
  profileType: Type.Literal('LegalBusinessProfile'),
  links: LinksSchema,
  attributes: AttributesSchema('LegalBusinessProfile')
}, { description: 'The partner\'s legal business profile' })

/** PUT: the vetting status is Microsoft's to set; it is accepted and ignored. */
export const UpdateLegalBusinessProfileSchema = Type.Object({
  companyName: Type.String({ minLength: 1, maxLength: 256 }),
  address: ProfileAddressSchema,
  primaryContact: ContactSchema,
  companyApproverAddress: ProfileAddressSchema,
  companyApproverEmail: EMAIL,
  vettingStatus: Type.Optional(Type.Union([Type.Null(), Type.String()])),
  vettingSubStatus: Type.Optional(Type.Union([Type.Null(), Type.String()])),
  attributes: ProfileAttributes
})

export const LegalBusinessQuery = Type.Object({
  vettingVersion: Type.Optional(Type.Union([Type.Literal('Current'), Type.Literal('LastFinalized')], { description: 'Current (the default) or LastFinalized' }))
})

export const ProfileIfMatchHeaders = Type.Object({ 'if-match': Type.Optional(Type.String({ maxLength: 1024 })) })

export type UpdateOrganizationProfile = Static<typeof UpdateOrganizationProfileSchema>
export type UpdateLegalBusinessProfile = Static<typeof UpdateLegalBusinessProfileSchema>
