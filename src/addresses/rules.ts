// The address rules of a handful of markets (data/address-rules.json): what GET
// /v1/countryvalidationrules/{code} answers and what POST /v1/validations/address checks against.
import data from '../../data/address-rules.json' with { type: 'json' }
import { ownValue } from '../lib/ids.js'

/** How a market writes its postal codes: the emulator's normalisation, never sent. */
export type PostalCodeFormat = 'zip' | 'split3' | 'inward3' | 'dash3' | 'plain'

export interface CountryRules {
  iso2Code: string
  iso3Code: string
  defaultCulture: string
  isStateRequired: boolean
  /** State codes and their names (the codes are the valid values). */
  stateNames?: Record<string, string>
  supportedLanguagesList: string[]
  supportedCulturesList: string[]
  isPostalCodeRequired: boolean
  postalCodeRegex: string
  isCityRequired: boolean
  isVatIdSupported: boolean
  vatIdRegex?: string
  taxIdFormat?: string
  taxIdSample?: string
  phoneNumberRegex?: string
  isRegistrationNumberSupported: boolean
  isTaxIdSupported: boolean
  resellerAgreementRegion: string
  geographicRegion: string
  countryCallingCodesList: string[]
  postalCodeFormat: PostalCodeFormat
  /** Where the house number goes in addressLine1 ("none": not checked). */
  streetNumber: 'first' | 'last' | 'none'
  /** Addresses the validator can confirm as deliverable (VerifiedShippable rather than Verified). */
  shippable: boolean
}

const MARKETS = data.markets as Record<string, Omit<CountryRules, 'iso2Code'>>

/** The rules of a market, by ISO 3166-1 alpha-2 code in any case; undefined for markets the emulator has none for. */
export function countryRules (country: string): CountryRules | undefined {
  const code = country.toUpperCase()
  const rules = ownValue(MARKETS, code)
  return rules && { iso2Code: code, ...rules }
}

/** The markets with rules, for error messages and documentation. */
export const RULE_MARKETS = Object.keys(MARKETS)
