// The demo data: fixed identifiers, listed in the README, loaded into an empty database in dev mode.
import type { Address } from '../db/schema.js'
import type { PartnerRole } from '../identity/roles.js'

/** Development secrets: documented on purpose, never for anything but local testing. */
export const DEMO_CLIENT_SECRET = 'pce-dev-secret-not-for-production'
export const DEMO_USER_PASSWORD = 'Passw0rd!dev'

export interface DemoUser { id: string, userPrincipalName: string, displayName: string, roles: PartnerRole[] }
export interface DemoCustomer { id: string, companyName: string, domain: string, country: string, city: string }
export interface DemoPartner {
  id: string
  name: string
  domain: string
  app: { id: string, displayName: string }
  users: DemoUser[]
  customers: DemoCustomer[]
}

export const TEST_TEST_PARTNER: DemoPartner = {
  id: 'df845f1a-7b35-40a2-ba78-6481de91f8ae',
  name: 'Test Test Partner',
  domain: 'testtestpartner.onmicrosoft.com',
  app: { id: '23ec45a3-5127-4185-9eff-c8887839e6ab', displayName: 'Test Test Partner automation' },
  users: [
    { id: '4988e250-5aee-482a-9136-6d269cb755c0', userPrincipalName: 'Adminagent.csp@testtestpartner.onmicrosoft.com', displayName: 'Adminagent CSP', roles: ['admin_agent'] },
    { id: '5b1c3a6e-2f43-4f0e-9a51-0c2d7e8b9a01', userPrincipalName: 'Salesagent.csp@testtestpartner.onmicrosoft.com', displayName: 'Salesagent CSP', roles: ['sales_agent'] },
    { id: '6c2d4b7f-3a54-4a1f-8b62-1d3e8f9cab02', userPrincipalName: 'Helpdeskagent.csp@testtestpartner.onmicrosoft.com', displayName: 'Helpdeskagent CSP', roles: ['helpdesk_agent'] },
    { id: '7d3e5c80-4b65-4b20-9c73-2e4f90adbc03', userPrincipalName: 'Billingadmin.csp@testtestpartner.onmicrosoft.com', displayName: 'Billingadmin CSP', roles: ['billing_admin'] },
    { id: '8e4f6d91-5c76-4c31-8d84-3f50a1becd04', userPrincipalName: 'Globaladmin.csp@testtestpartner.onmicrosoft.com', displayName: 'Globaladmin CSP', roles: ['global_admin'] },
    { id: '9f507ea2-6d87-4d42-9e95-4061b2cfde05', userPrincipalName: 'Securityadmin.csp@testtestpartner.onmicrosoft.com', displayName: 'Securityadmin CSP', roles: ['security_admin'] },
    { id: 'a0618fb3-7e98-4e53-8fa6-5172c3d0ef06', userPrincipalName: 'Norole.csp@testtestpartner.onmicrosoft.com', displayName: 'Norole CSP', roles: [] }
  ],
  customers: [
    { id: 'c9a0c3f2-1b2d-4e5f-8a9b-0c1d2e3f4a51', companyName: 'Contoso Ltd', domain: 'contosodemo.onmicrosoft.com', country: 'US', city: 'Redmond' },
    { id: 'd1b2c3d4-2c3e-4f60-9b0c-1d2e3f4a5b62', companyName: 'Northwind Traders', domain: 'northwinddemo.onmicrosoft.com', country: 'US', city: 'Seattle' },
    { id: 'e2c3d4e5-3d4f-4071-8c1d-2e3f4a5b6c73', companyName: 'Tailspin Toys', domain: 'tailspindemo.onmicrosoft.com', country: 'GB', city: 'London' },
    { id: 'f3d4e5f6-4e50-4182-9d2e-3f4a5b6c7d84', companyName: 'Wingtip Toys', domain: 'wingtipdemo.onmicrosoft.com', country: 'DE', city: 'Berlin' }
  ]
}

export const FABRIKAM_PARTNER: DemoPartner = {
  id: '3f2c1b0a-9d8e-4c7b-a6f5-e4d3c2b1a098',
  name: 'Fabrikam Partner',
  domain: 'fabrikampartner.onmicrosoft.com',
  app: { id: 'b7e6d5c4-a3b2-4c1d-9e0f-1a2b3c4d5e6f', displayName: 'Fabrikam automation' },
  users: [
    { id: '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d', userPrincipalName: 'Adminagent@fabrikampartner.onmicrosoft.com', displayName: 'Fabrikam Adminagent', roles: ['admin_agent'] }
  ],
  customers: [
    { id: '1b2c3d4e-5f60-4b7c-9d8e-0f1a2b3c4d5e', companyName: 'Adventure Works', domain: 'adventureworksdemo.onmicrosoft.com', country: 'US', city: 'Bothell' },
    { id: '2c3d4e5f-6071-4c8d-8e9f-1a2b3c4d5e6f', companyName: 'Litware Inc', domain: 'litwaredemo.onmicrosoft.com', country: 'CA', city: 'Toronto' }
  ]
}

export const DEMO_PARTNERS = [TEST_TEST_PARTNER, FABRIKAM_PARTNER]

export function demoAddress (customer: DemoCustomer): Address {
  return { country: customer.country, city: customer.city, addressLine1: '1 Demo Way', postalCode: '98052', firstName: 'Demo', lastName: 'Admin', phoneNumber: '4255550100' }
}
