// Address validation and the country rules behind it, mapped to Partner Center JSON.
import type { CountryRules } from '../../addresses/rules.js'
import { validateAddress, type AddressValidation } from '../../addresses/validate.js'
import type { Address } from '../../db/schema.js'
import { resourceNotFound } from '../../errors.js'
import { createValidationsRepository } from './repository.js'
import type { AddressInput, CountryValidationRules } from './schemas.js'

/** The address fields a validation looks at and echoes (no id or email). */
const ADDRESS_FIELDS = ['region', 'city', 'state', 'district', 'addressLine1', 'addressLine2', 'addressLine3', 'postalCode', 'firstName', 'middleName', 'lastName', 'phoneNumber'] as const

export function rulesOf (rules: CountryRules): CountryValidationRules {
  const { stateNames, postalCodeFormat: _format, streetNumber: _street, shippable: _shippable, ...published } = rules
  return { ...published, supportedStatesList: Object.keys(stateNames ?? {}), attributes: { objectType: 'CountryInformation' } }
}

export function createValidationsService () {
  const repository = createValidationsRepository()

  return {
    validateAddress (input: AddressInput): AddressValidation {
      const original: Address = { country: input.country.trim().toUpperCase() }
      for (const field of ADDRESS_FIELDS) {
        const value = input[field]
        if (value !== undefined) original[field] = value
      }
      return validateAddress(original)
    },

    countryRules (countryCode: string): CountryValidationRules {
      const rules = repository.rules(countryCode)
      if (!rules) throw resourceNotFound(`The emulator has no address rules for the market ${countryCode.toUpperCase()}.`)
      return rulesOf(rules)
    }
  }
}
