// The partner tenants' own profiles (organization, legal business) and the indirect resellers of the
// one indirect provider among them. Listed in docs/demo-data.md.
import type { Address, LegalBusinessProfileData, OrganizationProfileData } from '../db/schema.js'
import { CONTOSO_PARTNER, FABRIKAM_PARTNER, TEST_TEST_PARTNER, WINGTIP_PARTNER, type DemoPartner } from './demo-data.js'

interface DemoSeat { address: Address, culture: string, language: string, contact: { firstName: string, lastName: string } }

const SEATS: Record<string, DemoSeat> = {
  [TEST_TEST_PARTNER.id]: {
    address: { country: 'US', state: 'WA', city: 'Redmond', addressLine1: '1 Microsoft Way', postalCode: '98052' },
    culture: 'en-US', language: 'en', contact: { firstName: 'Gena', lastName: 'Soto' }
  },
  [FABRIKAM_PARTNER.id]: {
    address: { country: 'CA', state: 'ON', city: 'Toronto', addressLine1: '100 Queen Street West', postalCode: 'M5H 2N2' },
    culture: 'en-CA', language: 'en', contact: { firstName: 'John', lastName: 'Doe' }
  },
  [CONTOSO_PARTNER.id]: {
    address: { country: 'GB', city: 'London', addressLine1: '2 Kingdom Street', postalCode: 'W2 6BD' },
    culture: 'en-GB', language: 'en', contact: { firstName: 'Consuela', lastName: 'Ruiz' }
  },
  [WINGTIP_PARTNER.id]: {
    address: { country: 'DE', city: 'Berlin', addressLine1: 'Unter den Linden 17', postalCode: '10117' },
    culture: 'de-DE', language: 'de', contact: { firstName: 'Prashob', lastName: 'Menon' }
  }
}

const seatOf = (partner: DemoPartner): DemoSeat => SEATS[partner.id]!
const adminEmail = (partner: DemoPartner) => `partner-admin@${partner.domain}`

export function demoOrganizationProfile (partner: DemoPartner): OrganizationProfileData {
  const seat = seatOf(partner)
  return {
    companyName: partner.name,
    defaultAddress: { ...seat.address, ...seat.contact, phoneNumber: '4255550100' },
    email: adminEmail(partner),
    language: seat.language,
    culture: seat.culture
  }
}

export function demoLegalBusinessProfile (partner: DemoPartner): LegalBusinessProfileData {
  const seat = seatOf(partner)
  return {
    companyName: partner.name,
    address: { ...seat.address, ...seat.contact, phoneNumber: '4255550100' },
    primaryContact: { ...seat.contact, email: adminEmail(partner), phoneNumber: '4255550100' },
    companyApproverAddress: seat.address,
    companyApproverEmail: adminEmail(partner),
    vettingStatus: 'authorized',
    vettingSubStatus: 'none'
  }
}

export interface DemoIndirectReseller { id: string, name: string, mpnId: string, location: string }

/** Test Test Partner is also an indirect provider: the resellers of Microsoft's sample answer. */
export const DEMO_INDIRECT_RESELLERS: Record<string, DemoIndirectReseller[]> = {
  [TEST_TEST_PARTNER.id]: [
    { id: '484e548c-f5f3-4528-93a9-c16c6373cb59', name: 'First Up Consultants', mpnId: '4847383', location: 'US' },
    { id: 'b01b1487-b36e-4e6d-9b5e-0b58974c4b28', name: 'ReleCloud', mpnId: '4847433', location: 'BR' }
  ]
}
