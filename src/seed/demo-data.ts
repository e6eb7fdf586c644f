// The demo data: fixed identifiers, listed in the README, loaded into an empty database in dev mode.
import type { Address } from '../db/schema.js'
import type { PartnerRole } from '../directory/roles.js'

/** Development secrets: documented on purpose, never for anything but local testing. */
export const DEMO_CLIENT_SECRET = 'pce-dev-secret-not-for-production'
export const DEMO_USER_PASSWORD = 'Passw0rd!dev'

/** The TOTP secret of Contoso's pre-registered authenticator: documented, so the walk-through can compute codes. */
export const DEMO_TOTP_SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP'

export interface DemoUser {
  id: string
  userPrincipalName: string
  displayName: string
  roles: PartnerRole[]
  /** Federated: signs in at a (simulated) external identity provider whose MFA Entra accepts, or not. */
  federation?: 'compatible' | 'incompatible'
  /** An authenticator registered already, with this secret. */
  totpSecret?: string
}
export interface DemoCustomer { id: string, companyName: string, domain: string, country: string, city: string }
export interface DemoPartner {
  id: string
  name: string
  domain: string
  app: { id: string, displayName: string }
  /** enforced: MFA at every interactive sign-in (security defaults); on_request (the default): when an app asks. */
  mfaPolicy?: 'enforced' | 'on_request'
  /** A Testing-in-Production (integration sandbox) account, which may delete customers. */
  integrationSandbox?: boolean
  users: DemoUser[]
  customers: DemoCustomer[]
}

export const TEST_TEST_PARTNER: DemoPartner = {
  id: 'df845f1a-7b35-40a2-ba78-6481de91f8ae',
  name: 'Test Test Partner',
  domain: 'testtestpartner.onmicrosoft.com',
  app: { id: '23ec45a3-5127-4185-9eff-c8887839e6ab', displayName: 'Test Test Partner automation' },
  integrationSandbox: true,
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
    { id: '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d', userPrincipalName: 'Adminagent@fabrikampartner.onmicrosoft.com', displayName: 'Fabrikam Adminagent', roles: ['admin_agent'] },
    // The documentation's example 3: MFA not enforced; registers when an application first asks for MFA.
    { id: '95e348e4-9ff1-418b-88fe-e68e9d9e430e', userPrincipalName: 'john@fabrikampartner.onmicrosoft.com', displayName: 'John', roles: ['admin_agent'] }
  ],
  customers: [
    { id: '1b2c3d4e-5f60-4b7c-9d8e-0f1a2b3c4d5e', companyName: 'Adventure Works', domain: 'adventureworksdemo.onmicrosoft.com', country: 'US', city: 'Bothell' },
    { id: '2c3d4e5f-6071-4c8d-8e9f-1a2b3c4d5e6f', companyName: 'Litware Inc', domain: 'litwaredemo.onmicrosoft.com', country: 'CA', city: 'Toronto' }
  ]
}

// The partner tenants of the examples in Microsoft's "Mandating MFA for your partner tenant" (docs/personas.md).

/** Example 1: managed identities, Entra MFA at every sign-in. */
export const CONTOSO_PARTNER: DemoPartner = {
  id: '63d32f69-15d5-4187-adef-2d894ac5b7e7',
  name: 'Contoso Partner',
  domain: 'contosopartner.onmicrosoft.com',
  app: { id: '75d8a98f-65b8-4f6c-af3d-5459adf80155', displayName: 'Contoso automation' },
  mfaPolicy: 'enforced',
  users: [
    { id: 'e17b609b-6b02-4431-bdd3-8721da8365ac', userPrincipalName: 'consuela@contosopartner.onmicrosoft.com', displayName: 'Consuela', roles: ['admin_agent'], totpSecret: DEMO_TOTP_SECRET }
  ],
  customers: []
}

/** Examples 2 and 4: federated identities; Prashob's provider does MFA Entra accepts, Trent's does not. */
export const WINGTIP_PARTNER: DemoPartner = {
  id: 'bdcd1cc4-bd2b-40b5-8be9-db214207bb99',
  name: 'Wingtip Partner',
  domain: 'wingtippartner.com',
  app: { id: '9118ef04-518a-4783-bdb2-28d98a78507f', displayName: 'Wingtip automation' },
  users: [
    { id: '8e3e07c9-13f7-4bfd-a704-fede63edf6cf', userPrincipalName: 'prashob@wingtippartner.com', displayName: 'Prashob', roles: ['admin_agent'], federation: 'compatible' },
    { id: '6e6dc31c-5f8a-46ad-b671-d0a0135972af', userPrincipalName: 'trent@wingtippartner.com', displayName: 'Trent', roles: ['admin_agent'], federation: 'incompatible' }
  ],
  customers: []
}

export const DEMO_PARTNERS = [TEST_TEST_PARTNER, FABRIKAM_PARTNER, CONTOSO_PARTNER, WINGTIP_PARTNER]

/**
 * A public client (no secret; PKCE), as a command-line tool or PowerShell registers one: any partner
 * tenant's user may sign in to it. `npx pce login` uses it.
 */
export const DEMO_PUBLIC_CLIENT = {
  id: 'c0a2e8f4-5d1b-4e7a-9c3f-6b8d0e2a4f17',
  tenantId: TEST_TEST_PARTNER.id,
  displayName: 'Partner Center emulator CLI'
}

/**
 * The redirect URIs every demo app registers: loopback ones, where Entra ignores the port (a native
 * client listens on any free port); other URIs are registered through the control plane.
 */
export const DEMO_REDIRECT_URIS = ['http://localhost/', 'http://localhost/callback', 'http://127.0.0.1/', 'http://127.0.0.1/callback']

export function demoAddress (customer: DemoCustomer): Address {
  return { country: customer.country, city: customer.city, addressLine1: '1 Demo Way', postalCode: '98052', firstName: 'Demo', lastName: 'Admin', phoneNumber: '4255550100' }
}

// ---- GDAP and customer directories ----------------------------------------------------------------

export interface DemoGroup { id: string, displayName: string, members: string[] }
export interface DemoAssignment { id: string, groupId: string, roles: string[] }
export interface DemoRelationship {
  id: string
  displayName: string
  customerId: string
  roles: string[]
  duration: string
  /** How the relationship stands when seeded: days are counted back from the moment of seeding. */
  state: { status: 'active', activatedDaysAgo: number } | { status: 'approvalPending', lockedDaysAgo: number } |
    { status: 'terminated', activatedDaysAgo: number }
  assignments: DemoAssignment[]
}

const ROLE = {
  userAdministrator: 'fe930be7-5e62-47db-91af-98c3a49a38b1',
  licenseAdministrator: '4d6ac14f-3453-41d0-bef9-a3e0c569773a',
  directoryReaders: '88d8e3e3-8f55-4a1e-953a-9b9898b8876b',
  helpdeskAdministrator: '729827e3-9c14-49f7-bb1b-9608f156bbb8',
  privilegedRoleAdministrator: 'e8611ab8-c189-46e8-94e1-60213ab1f814'
}

export const DEMO_GROUPS: DemoGroup[] = [
  { id: '5e0a1b2c-3d4e-4f50-8a61-b72c83d94e01', displayName: 'License managers', members: ['4988e250-5aee-482a-9136-6d269cb755c0'] },
  { id: '5e0a1b2c-3d4e-4f50-8a61-b72c83d94e02', displayName: 'Helpdesk team', members: ['6c2d4b7f-3a54-4a1f-8b62-1d3e8f9cab02'] }
]
const [LICENSE_MANAGERS, HELPDESK_TEAM] = DEMO_GROUPS as [DemoGroup, DemoGroup]
const [CONTOSO, NORTHWIND, TAILSPIN, WINGTIP] = TEST_TEST_PARTNER.customers as [DemoCustomer, DemoCustomer, DemoCustomer, DemoCustomer]

export const DEMO_RELATIONSHIPS: DemoRelationship[] = [
  {
    id: '7a1b2c3d-4e5f-4a6b-9c7d-8e9f0a1b2c01-c9a0c3f2-1b2d-4e5f-8a9b-0c1d2e3f4a51',
    displayName: 'Contoso user and license admin',
    customerId: CONTOSO.id,
    roles: [ROLE.userAdministrator, ROLE.licenseAdministrator, ROLE.directoryReaders, ROLE.privilegedRoleAdministrator],
    duration: 'P730D',
    state: { status: 'active', activatedDaysAgo: 10 },
    assignments: [
      { id: '8b2c3d4e-5f60-4b7c-8d9e-0f1a2b3c4d01', groupId: LICENSE_MANAGERS.id, roles: [ROLE.userAdministrator, ROLE.licenseAdministrator, ROLE.directoryReaders] },
      { id: '8b2c3d4e-5f60-4b7c-8d9e-0f1a2b3c4d02', groupId: HELPDESK_TEAM.id, roles: [ROLE.directoryReaders] }
    ]
  },
  {
    id: '7a1b2c3d-4e5f-4a6b-9c7d-8e9f0a1b2c02-d1b2c3d4-2c3e-4f60-9b0c-1d2e3f4a5b62',
    displayName: 'Northwind helpdesk (awaiting approval)',
    customerId: NORTHWIND.id,
    roles: [ROLE.helpdeskAdministrator, ROLE.directoryReaders],
    duration: 'P365D',
    state: { status: 'approvalPending', lockedDaysAgo: 2 },
    assignments: []
  },
  {
    id: '7a1b2c3d-4e5f-4a6b-9c7d-8e9f0a1b2c03-e2c3d4e5-3d4f-4071-8c1d-2e3f4a5b6c73',
    displayName: 'Tailspin user admin (expired)',
    customerId: TAILSPIN.id,
    roles: [ROLE.userAdministrator, ROLE.licenseAdministrator],
    duration: 'P90D',
    state: { status: 'active', activatedDaysAgo: 120 },
    assignments: [{ id: '8b2c3d4e-5f60-4b7c-8d9e-0f1a2b3c4d03', groupId: LICENSE_MANAGERS.id, roles: [ROLE.userAdministrator, ROLE.licenseAdministrator] }]
  },
  {
    id: '7a1b2c3d-4e5f-4a6b-9c7d-8e9f0a1b2c04-f3d4e5f6-4e50-4182-9d2e-3f4a5b6c7d84',
    displayName: 'Wingtip user admin (terminated)',
    customerId: WINGTIP.id,
    roles: [ROLE.userAdministrator, ROLE.licenseAdministrator],
    duration: 'P730D',
    state: { status: 'terminated', activatedDaysAgo: 30 },
    assignments: [{ id: '8b2c3d4e-5f60-4b7c-8d9e-0f1a2b3c4d04', groupId: LICENSE_MANAGERS.id, roles: [ROLE.userAdministrator, ROLE.licenseAdministrator] }]
  }
]

export interface DemoCustomerUser { id: string, customerId: string, userPrincipalName: string, displayName: string, firstName: string, lastName: string, licenses: string[], roles: string[] }
export interface DemoSku { customerId: string, skuId: string, name: string, skuPartNumber: string, licenseGroupId: 'group1' | 'group2', seats: number, plans: string[] }

export const DEMO_SKUS: DemoSku[] = [
  { customerId: CONTOSO.id, skuId: 'f245ecc8-75af-4f8e-b61f-27d8114de5f3', name: 'Microsoft 365 Business Standard', skuPartNumber: 'O365_BUSINESS_PREMIUM', licenseGroupId: 'group1', seats: 10, plans: ['EXCHANGE_S_STANDARD', 'SHAREPOINTSTANDARD', 'TEAMS1'] },
  { customerId: CONTOSO.id, skuId: '05e9a617-0261-4cee-bb44-138d3ef5d965', name: 'Microsoft 365 E3', skuPartNumber: 'SPE_E3', licenseGroupId: 'group1', seats: 2, plans: ['EXCHANGE_S_ENTERPRISE', 'SHAREPOINTENTERPRISE', 'TEAMS1', 'INTUNE_A'] },
  { customerId: CONTOSO.id, skuId: '1f2ec2bc-3c2a-4e7b-9d2d-8d2b7f0c1a01', name: 'Minecraft: Education Edition', skuPartNumber: 'MEE_STUDENT', licenseGroupId: 'group2', seats: 30, plans: ['MINECRAFT_EDUCATION_EDITION'] },
  { customerId: TAILSPIN.id, skuId: 'f245ecc8-75af-4f8e-b61f-27d8114de5f3', name: 'Microsoft 365 Business Standard', skuPartNumber: 'O365_BUSINESS_PREMIUM', licenseGroupId: 'group1', seats: 5, plans: ['EXCHANGE_S_STANDARD', 'SHAREPOINTSTANDARD', 'TEAMS1'] }
]

export const DEMO_CUSTOMER_USERS: DemoCustomerUser[] = [
  { id: '9c3d4e5f-6071-4c8d-9e0f-1a2b3c4d5e01', customerId: CONTOSO.id, userPrincipalName: 'admin@contosodemo.onmicrosoft.com', displayName: 'Contoso Admin', firstName: 'Contoso', lastName: 'Admin', licenses: ['05e9a617-0261-4cee-bb44-138d3ef5d965'], roles: ['62e90394-69f5-4237-9190-012177145e10'] },
  { id: '9c3d4e5f-6071-4c8d-9e0f-1a2b3c4d5e02', customerId: CONTOSO.id, userPrincipalName: 'alex@contosodemo.onmicrosoft.com', displayName: 'Alex Wilber', firstName: 'Alex', lastName: 'Wilber', licenses: ['05e9a617-0261-4cee-bb44-138d3ef5d965', 'f245ecc8-75af-4f8e-b61f-27d8114de5f3'], roles: [] },
  { id: '9c3d4e5f-6071-4c8d-9e0f-1a2b3c4d5e03', customerId: CONTOSO.id, userPrincipalName: 'megan@contosodemo.onmicrosoft.com', displayName: 'Megan Bowen', firstName: 'Megan', lastName: 'Bowen', licenses: ['f245ecc8-75af-4f8e-b61f-27d8114de5f3'], roles: [] },
  { id: '9c3d4e5f-6071-4c8d-9e0f-1a2b3c4d5e04', customerId: TAILSPIN.id, userPrincipalName: 'admin@tailspindemo.onmicrosoft.com', displayName: 'Tailspin Admin', firstName: 'Tailspin', lastName: 'Admin', licenses: [], roles: [] }
]
