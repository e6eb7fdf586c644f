// TypeBox schemas of address validation and country validation rules (property names from Microsoft's
// CustomerService Swagger Address, and the .NET SDK's AddressValidationResponse and CountryValidationRules).
import { Type, type Static } from 'typebox'
import { AttributesSchema } from '../../schemas/common.js'

const text = (maxLength: number) => Type.Optional(Type.String({ maxLength }))

export const AddressSchema = Type.Object({
  id: text(100),
  country: Type.String({ pattern: '^\\s*[A-Za-z]{2}\\s*$', description: 'ISO 3166-1 alpha-2 country code' }),
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
  emailAddress: text(256),
  phoneNumber: text(40)
}, { description: 'A postal address' })

const ResultAddressSchema = Type.Object({
  country: Type.String(),
  region: Type.Optional(Type.String()),
  city: Type.Optional(Type.String()),
  state: Type.Optional(Type.String()),
  district: Type.Optional(Type.String()),
  addressLine1: Type.Optional(Type.String()),
  addressLine2: Type.Optional(Type.String()),
  addressLine3: Type.Optional(Type.String()),
  postalCode: Type.Optional(Type.String()),
  firstName: Type.Optional(Type.String()),
  middleName: Type.Optional(Type.String()),
  lastName: Type.Optional(Type.String()),
  phoneNumber: Type.Optional(Type.String())
})

export const AddressValidationSchema = Type.Object({
  originalAddress: ResultAddressSchema,
  suggestedAddresses: Type.Array(ResultAddressSchema, { description: 'One address when verified, up to three when the street is partial, none when invalid' }),
  status: Type.Union([
    Type.Literal('VerifiedShippable'), Type.Literal('Verified'), Type.Literal('InteractionRequired'), Type.Literal('StreetPartial'),
    Type.Literal('PremisesPartial'), Type.Literal('Multiple'), Type.Literal('None'), Type.Literal('NotValidated')
  ]),
  validationMessage: Type.Optional(Type.String())
}, { description: 'The outcome of an address validation' })

export const CountryParams = Type.Object({
  countryCode: Type.String({ pattern: '^[A-Za-z]{2}$', description: 'ISO 3166-1 alpha-2 country code' })
})

const list = Type.Array(Type.String())

export const CountryValidationRulesSchema = Type.Object({
  iso2Code: Type.String(),
  iso3Code: Type.String(),
  defaultCulture: Type.String(),
  isStateRequired: Type.Boolean(),
  supportedStatesList: list,
  supportedLanguagesList: list,
  supportedCulturesList: list,
  isPostalCodeRequired: Type.Boolean(),
  postalCodeRegex: Type.String(),
  isCityRequired: Type.Boolean(),
  isVatIdSupported: Type.Boolean(),
  vatIdRegex: Type.Optional(Type.String()),
  taxIdFormat: Type.Optional(Type.String()),
  taxIdSample: Type.Optional(Type.String()),
  phoneNumberRegex: Type.Optional(Type.String()),
  isRegistrationNumberSupported: Type.Boolean(),
  isTaxIdSupported: Type.Boolean(),
  resellerAgreementRegion: Type.String(),
  geographicRegion: Type.String(),
  countryCallingCodesList: list,
  attributes: AttributesSchema('CountryInformation')
}, { description: 'How a market writes its addresses' })

export type AddressInput = Static<typeof AddressSchema>
export type CountryValidationRules = Static<typeof CountryValidationRulesSchema>
