// Address validation without an address database: everything follows from the market's rules and
// the address itself, so the same address always gets the same answer. Statuses follow Microsoft's
// "Validate an address" (VerifiedShippable, Verified, InteractionRequired, StreetPartial, None,
// NotValidated); see docs/fidelity.md for how each is reached.
import type { Address } from '../db/schema.js'
import { ownValue } from '../lib/ids.js'
import { countryRules, type CountryRules } from './rules.js'

export type ValidationStatus = 'VerifiedShippable' | 'Verified' | 'InteractionRequired' | 'StreetPartial' | 'None' | 'NotValidated'

export interface AddressValidation {
  originalAddress: Address
  suggestedAddresses: Address[]
  status: ValidationStatus
  validationMessage?: string
}

/** The message Microsoft's sample gives, naming the address properties at fault. */
const invalidFields = (fields: string[]) => `Address field invalid for property: ${fields.map((f) => `'${f}'`).join(', ')}`

const TEXT_FIELDS = ['region', 'city', 'state', 'district', 'addressLine1', 'addressLine2', 'addressLine3', 'firstName', 'middleName', 'lastName', 'phoneNumber'] as const

export function validateAddress (original: Address): AddressValidation {
  const rules = countryRules(original.country)
  if (!rules) {
    return { originalAddress: original, suggestedAddresses: [], status: 'NotValidated', validationMessage: `Addresses in ${original.country.toUpperCase()} are not validated.` }
  }
  const address = tidy(original)
  const state = normaliseState(address.state, rules)
  if (state.value !== undefined) address.state = state.value
  const postalCode = normalisePostalCode(address.postalCode, rules)
  if (postalCode !== undefined) address.postalCode = postalCode

  const invalid: string[] = []
  if (!address.addressLine1) invalid.push('AddressLine1')
  if (rules.isCityRequired && !address.city) invalid.push('City')
  if ((rules.isStateRequired && !address.state) || (address.state !== undefined && !state.known)) invalid.push('Region')
  if ((rules.isPostalCodeRequired && !address.postalCode) ||
    (address.postalCode !== undefined && !new RegExp(rules.postalCodeRegex).test(address.postalCode))) invalid.push('PostalCode')
  if (invalid.length > 0) return { originalAddress: original, suggestedAddresses: [], status: 'None', validationMessage: invalidFields(invalid) }

  const suggested = withZipPlus4(address, rules)
  const street = address.addressLine1!
  if (rules.streetNumber !== 'none' && !/\d/.test(street)) {
    // No house number: the street may be right, the premises are not known. Three candidates, numbered 1 to 3.
    const candidates = [1, 2, 3].map((n) => withZipPlus4({ ...address, addressLine1: rules.streetNumber === 'first' ? `${n} ${street}` : `${street} ${n}` }, rules))
    return { originalAddress: original, suggestedAddresses: candidates, status: 'StreetPartial', validationMessage: `${invalidFields(['AddressLine1'])}: the house number is missing` }
  }
  if (state.renamed) {
    return { originalAddress: original, suggestedAddresses: [suggested], status: 'InteractionRequired', validationMessage: `The state ${original.state!.trim()} was replaced by its code ${address.state}; confirm the suggested address.` }
  }
  return { originalAddress: original, suggestedAddresses: [suggested], status: rules.shippable ? 'VerifiedShippable' : 'Verified' }
}

/** Trimmed, single-spaced, an empty field dropped, and a field written all in one case put in title case. */
function tidy (address: Address): Address {
  const out: Address = { country: address.country.trim().toUpperCase() }
  for (const field of TEXT_FIELDS) {
    const value = address[field]?.trim().replace(/\s+/g, ' ')
    if (!value) continue
    out[field] = field === 'state' || field === 'phoneNumber' ? value : titleCase(value)
  }
  const postal = address.postalCode?.trim().replace(/\s+/g, ' ')
  if (postal) out.postalCode = postal
  return out
}

function titleCase (value: string): string {
  if (value !== value.toLowerCase() && value !== value.toUpperCase()) return value
  return value.toLowerCase().replace(/(^|[\s\-'/])(\p{L})/gu, (_, before: string, letter: string) => before + letter.toUpperCase())
}

/** A state code in any case is the code; a full name (any case) becomes its code, which the caller must confirm. */
function normaliseState (state: string | undefined, rules: CountryRules): { value?: string, known: boolean, renamed: boolean } {
  if (state === undefined) return { known: true, renamed: false }
  const names = rules.stateNames
  if (!names) return { value: state, known: true, renamed: false }
  const code = state.toUpperCase()
  if (ownValue(names, code) !== undefined) return { value: code, known: true, renamed: false }
  const byName = Object.entries(names).find(([, name]) => name.toLowerCase() === state.toLowerCase())
  return byName ? { value: byName[0], known: true, renamed: true } : { value: state, known: false, renamed: false }
}

/** Puts a postal code in the market's written form (case, the space or dash); what cannot be read stays as sent. */
function normalisePostalCode (postalCode: string | undefined, rules: CountryRules): string | undefined {
  if (postalCode === undefined) return undefined
  const compact = postalCode.toUpperCase().replace(/[\s-]/g, '')
  switch (rules.postalCodeFormat) {
    case 'zip': return /^\d{9}$/.test(compact) ? `${compact.slice(0, 5)}-${compact.slice(5)}` : /^\d{5}$/.test(compact) ? compact : postalCode
    case 'split3': return compact.length === 6 ? `${compact.slice(0, 3)} ${compact.slice(3)}` : postalCode
    case 'inward3': return compact.length >= 5 && compact.length <= 7 ? `${compact.slice(0, -3)} ${compact.slice(-3)}` : postalCode
    case 'dash3': return /^\d{7}$/.test(compact) ? `${compact.slice(0, 3)}-${compact.slice(3)}` : postalCode
    case 'plain': return compact
  }
}

/** US addresses get the ZIP+4 a postal database would add: here a stable function of the street. */
function withZipPlus4 (address: Address, rules: CountryRules): Address {
  if (rules.postalCodeFormat !== 'zip' || !address.postalCode || address.postalCode.includes('-')) return { ...address }
  return { ...address, postalCode: `${address.postalCode}-${plus4(`${address.addressLine1 ?? ''}|${address.city ?? ''}`.toLowerCase())}` }
}

/** FNV-1a over the text, four digits from 0001 to 9999 (0000 is not a delivery point). */
function plus4 (text: string): string {
  let hash = 0x811c9dc5
  for (const char of text) {
    hash ^= char.codePointAt(0)!
    hash = Math.imul(hash, 0x01000193) >>> 0
  }
  return String((hash % 9999) + 1).padStart(4, '0')
}
