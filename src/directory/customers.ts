// How a customer tenant's billing profile is stored: the columns of its customers row. Shared by the
// customer API (create, update) and the demo data.
import type { Address } from '../db/schema.js'

export interface BillingProfileFields {
  firstName?: string | undefined
  lastName?: string | undefined
  email: string
  culture: string
  language: string
  companyName: string
  defaultAddress: Address
}

/** A culture as Partner Center stores it: the canonical BCP 47 form (`en-us` → `en-US`). */
function canonicalCulture (culture: string): string {
  try {
    return Intl.getCanonicalLocales(culture)[0] ?? culture
  } catch {
    return culture
  }
}

export function billingColumns (profile: BillingProfileFields) {
  return {
    billing_first_name: profile.firstName ?? null,
    billing_last_name: profile.lastName ?? null,
    billing_email: profile.email,
    billing_culture: canonicalCulture(profile.culture),
    billing_language: profile.language.toLowerCase(),
    billing_company_name: profile.companyName,
    billing_address: JSON.stringify({ ...profile.defaultAddress, country: profile.defaultAddress.country.toUpperCase() })
  }
}
