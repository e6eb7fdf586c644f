// The typed database contract: one interface per table (snake_case, as stored).
import type { ColumnType, Generated, Insertable, Selectable } from 'kysely'

type CreatedAt = ColumnType<Date, Date | string | undefined, never>
type Json<T> = ColumnType<T, string, string>

export interface PartnerTenantsTable {
  id: string
  name: string
  default_domain: string
  entra_trusted: Generated<boolean>
  created_at: CreatedAt
}

export interface PartnerAppsTable {
  id: string
  partner_tenant_id: string
  display_name: string
  secret_hash: string | null
  created_at: CreatedAt
}

export interface PartnerUsersTable {
  id: string
  partner_tenant_id: string
  user_principal_name: string
  display_name: string
  roles: ColumnType<string[], string[] | undefined, string[]>
  password_hash: string | null
  created_at: CreatedAt
}

export interface SigningKeysTable {
  kid: string
  alg: string
  public_jwk: Json<Record<string, unknown>>
  private_jwk: Json<Record<string, unknown>>
  created_at: CreatedAt
}

export interface Address {
  country: string
  region?: string
  city?: string
  state?: string
  district?: string
  addressLine1?: string
  addressLine2?: string
  addressLine3?: string
  postalCode?: string
  firstName?: string
  middleName?: string
  lastName?: string
  phoneNumber?: string
}

export interface CustomersTable {
  id: string
  partner_tenant_id: string
  commerce_id: string
  company_name: string
  domain: string
  organization_registration_number: string | null
  relationship_to_partner: Generated<string>
  allow_delegated_access: Generated<boolean>
  associated_partner_id: string | null
  billing_profile_id: string
  billing_first_name: string | null
  billing_last_name: string | null
  billing_email: string
  billing_culture: string
  billing_language: string
  billing_company_name: string
  billing_address: Json<Address>
  billing_version: Generated<number>
  created_at: CreatedAt
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>
}

export interface RequestJournalTable {
  id: Generated<string>
  occurred_at: ColumnType<Date, Date | string, never>
  request_id: string
  correlation_id: string
  method: string
  path: string
  operation: string | null
  partner_tenant_id: string | null
  object_id: string | null
  user_principal_name: string | null
  app_id: string | null
  token_kind: 'app' | 'user' | null
  mfa_compliant: boolean | null
  outcome: 'allowed' | 'denied'
  status_code: number
  reason: string
  ip_address: string | null
}

export interface Database {
  partner_tenants: PartnerTenantsTable
  partner_apps: PartnerAppsTable
  partner_users: PartnerUsersTable
  signing_keys: SigningKeysTable
  customers: CustomersTable
  request_journal: RequestJournalTable
}

export type PartnerUserRow = Selectable<PartnerUsersTable>
export type CustomerRow = Selectable<CustomersTable>
export type NewCustomerRow = Insertable<CustomersTable>
export type NewJournalRow = Insertable<RequestJournalTable>
