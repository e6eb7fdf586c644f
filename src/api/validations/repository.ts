// Where the address rules come from: the data file in memory (addresses/rules.ts), not SQL.
import { countryRules, type CountryRules } from '../../addresses/rules.js'

export function createValidationsRepository () {
  return {
    /** A market's rules by ISO 3166-1 alpha-2 code (any case); undefined when the emulator has none. */
    rules: (country: string): CountryRules | undefined => countryRules(country)
  }
}
