// The typed database contract: one interface per table (snake_case, as stored).
import type { ColumnType, Generated, Insertable, Selectable } from 'kysely'

type CreatedAt = ColumnType<Date, Date | string | undefined, never>
type Json<T> = ColumnType<T, string, string>

export interface PartnerTenantsTable {
  id: string
  name: string
  default_domain: string
  entra_trusted: Generated<boolean>
  /** enforced: MFA at every sign-in; on_request: only when an application asks for it. */
  mfa_policy: Generated<'enforced' | 'on_request'>
  /** A Testing-in-Production (integration sandbox) account: it may delete customers. */
  integration_sandbox: Generated<boolean>
  created_at: CreatedAt
}

export interface PartnerAppsTable {
  id: string
  partner_tenant_id: string
  display_name: string
  secret_hash: string | null
  public_client: Generated<boolean>
  /** Users of any partner tenant may sign in to it (otherwise only its own tenant's). */
  multi_tenant: Generated<boolean>
  redirect_uris: ColumnType<string[], string[] | undefined, string[]>
  created_at: CreatedAt
}

export interface PartnerUsersTable {
  id: string
  partner_tenant_id: string
  user_principal_name: string
  display_name: string
  roles: ColumnType<string[], string[] | undefined, string[]>
  password_hash: string | null
  /** null: a managed identity; compatible / incompatible: federated, with MFA Entra accepts or not. */
  federation: ColumnType<'compatible' | 'incompatible' | null, 'compatible' | 'incompatible' | null | undefined, 'compatible' | 'incompatible' | null>
  password_changed_at: ColumnType<Date, Date | string | undefined, Date | string>
  /** Consecutive failed passwords and codes (smart lockout), and until when the account is locked. */
  failed_sign_ins: Generated<number>
  locked_until: NullableTimestamp
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
  /** The partner's relationship ended (relationshipToPartner none, or a sandbox delete): the partner sees it no more. */
  removed_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>
  /** Deleted from an integration sandbox: the domain is free again. */
  deleted_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>
}

/** A partner contact as the legal business profile holds it. */
export interface PartnerContact { firstName?: string, lastName?: string, email?: string, phoneNumber?: string }

export interface OrganizationProfileData {
  companyName: string
  defaultAddress: Address
  email: string
  language: string
  culture: string
}

export interface LegalBusinessProfileData {
  companyName: string
  address: Address
  primaryContact: PartnerContact
  companyApproverAddress: Address
  companyApproverEmail: string
  vettingStatus: string
  vettingSubStatus: string
}

export interface PartnerProfilesTable {
  partner_tenant_id: string
  organization: ColumnType<OrganizationProfileData | null, string | null | undefined, string | null>
  organization_version: Generated<number>
  legal_business: ColumnType<LegalBusinessProfileData | null, string | null | undefined, string | null>
  legal_business_version: Generated<number>
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>
}

export interface IndirectResellersTable {
  partner_tenant_id: string
  reseller_tenant_id: string
  name: string
  mpn_id: string
  location: string
  state: Generated<string>
  created_at: CreatedAt
}

export interface RequestJournalTable {
  id: Generated<string>
  occurred_at: ColumnType<Date, Date | string, never>
  request_id: string
  correlation_id: string
  method: string
  path: string
  operation: string | null
  /** The operation as the MFA reports name it: "Get /v{version}/customers". */
  operation_name: string | null
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

export interface EmulatorSettingsTable {
  name: string
  value: Json<unknown>
}

export interface SecurityGroupsTable {
  id: string
  partner_tenant_id: string
  display_name: string
  created_at: CreatedAt
}

export interface SecurityGroupMembersTable {
  group_id: string
  user_id: string
}

type Timestamp = ColumnType<Date, Date | string, Date | string>
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>
type TextArray = ColumnType<string[], string[], string[]>

export interface GdapRelationshipsTable {
  id: string
  partner_tenant_id: string
  display_name: string
  duration: string
  customer_tenant_id: string | null
  customer_display_name: string | null
  roles: TextArray
  auto_extend_duration: string
  status: string
  created_at: Timestamp
  last_modified_at: Timestamp
  lock_requested_at: NullableTimestamp
  activated_at: NullableTimestamp
  terminate_requested_at: NullableTimestamp
  version: Generated<number>
}

export interface GdapRequestsTable {
  id: string
  relationship_id: string
  action: string
  status: string
  created_at: Timestamp
  last_modified_at: Timestamp
}

export interface GdapAccessAssignmentsTable {
  id: string
  relationship_id: string
  group_id: string
  roles: TextArray
  created_at: Timestamp
  last_modified_at: Timestamp
  delete_requested_at: NullableTimestamp
  version: Generated<number>
}

export interface GdapOperationsTable {
  id: string
  relationship_id: string
  operation_type: string
  data: string
  created_at: Timestamp
}

export interface CustomerUsersTable {
  id: string
  customer_id: string
  user_principal_name: string
  first_name: string | null
  last_name: string | null
  display_name: string
  usage_location: string | null
  immutable_id: string | null
  phone_number: string | null
  state: Generated<'active' | 'inactive'>
  soft_deleted_at: NullableTimestamp
  password_hash: string | null
  created_at: CreatedAt
  version: Generated<number>
}

export interface CustomerDirectoryRoleMembersTable {
  customer_id: string
  role_id: string
  user_id: string
}

export interface ServicePlan { id: string, serviceName: string, displayName: string, targetType: string }

export interface CustomerSubscribedSkusTable {
  customer_id: string
  sku_id: string
  name: string
  sku_part_number: string
  target_type: string
  license_group_id: string
  active_units: number
  suspended_units: Generated<number>
  warning_units: Generated<number>
  service_plans: Json<ServicePlan[]>
}

export interface CustomerUserLicensesTable {
  customer_id: string
  user_id: string
  sku_id: string
  excluded_plans: ColumnType<string[], string[] | undefined, string[]>
  assigned_at: CreatedAt
}

export interface CustomerAgreementsTable {
  id: string
  customer_id: string
  agreement_type: string
  template_id: string
  date_agreed: Timestamp
  primary_contact: Json<Record<string, string>>
  user_id: string
  created_at: CreatedAt
}

/** One resource application's permissions, as Partner Center takes them: a comma-separated scope list. */
export interface ApplicationGrant { enterpriseApplicationId: string, scope: string }

export interface ApplicationConsentsTable {
  customer_id: string
  application_id: string
  partner_tenant_id: string
  display_name: string
  grants: Json<ApplicationGrant[]>
  created_at: CreatedAt
}

export interface IdempotentRequestsTable {
  partner_tenant_id: string
  request_id: string
  method: string
  path: string
  claimed_at: Timestamp
  status_code: number | null
  content_type: string | null
  location: string | null
  body: string | null
}

type BigMoney = ColumnType<string, bigint | string, bigint | string>

export interface CartsTable {
  id: string
  partner_tenant_id: string
  customer_id: string
  status: 'Active' | 'Ordered'
  line_items: Json<unknown[]>
  attestation_accepted: boolean
  created_at: Timestamp
  last_modified_at: Timestamp
  expires_at: Timestamp
  last_modified_user: string
  checkout_result: ColumnType<unknown, string | null | undefined, string | null>
}

export interface OrdersTable {
  id: string
  partner_tenant_id: string
  customer_id: string
  alternate_id: string
  billing_cycle: string
  currency_code: string
  currency_symbol: string
  status: string
  transaction_type: string
  line_items: Json<unknown[]>
  total_price_minor: BigMoney
  created_at: Timestamp
  cart_id: string | null
}

export interface SubscriptionsTable {
  id: string
  partner_tenant_id: string
  customer_id: string
  order_id: string
  parent_subscription_id: string | null
  reseller_mpn_id: string | null
  catalog_item_id: string
  offer_name: string
  friendly_name: string
  product_type: Json<Record<string, unknown>>
  quantity: number
  minimum_quantity: number
  maximum_quantity: number
  unit_type: string
  billing_type: string
  billing_cycle: string
  term_duration: string
  unit_price_minor: BigMoney
  currency_code: string
  status: string
  auto_renew_enabled: boolean
  is_trial: boolean
  created_at: Timestamp
  commitment_end_at: NullableTimestamp
  cancellation_allowed_until: NullableTimestamp
  suspended_at: NullableTimestamp
  version: Generated<number>
  /** The support contact a partner named (PUT …/supportcontact), or null. */
  support_contact: ColumnType<SupportContactData | null, string | null | undefined, string | null>
  /** null: never registered; 'registered' after POST …/registrations. */
  registration_status: ColumnType<string | null, string | null | undefined, string | null>
  activated_at: NullableTimestamp
  /** What the next term is to be (PATCH scheduledNextTermInstructions); null when none is scheduled. */
  scheduled_next_term: ColumnType<NextTermData | null, string | null | undefined, string | null>
  /** 1 for the term bought; each renewal adds one. */
  term_number: Generated<number>
  /** When the current term began; null: at created_at. */
  term_started_at: NullableTimestamp
}

export interface SupportContactData { supportTenantId: string, supportMpnId: string, name: string }

/** A scheduled next term as stored: the catalog item and term it renews into, and its quantity. */
export interface NextTermData {
  product: { productId: string, skuId: string, availabilityId: string, billingCycle: string, termDuration: string }
  quantity: number
  /** The day (00:00 UTC) the next term ends on instead of its standard end; null for the standard end. */
  customTermEndDate: string | null
}

/** A new-commerce transition (POST …/transitions); its id is the operation id. */
export interface SubscriptionTransitionsTable {
  id: string
  partner_tenant_id: string
  customer_id: string
  from_subscription_id: string
  to_subscription_id: string
  from_catalog_item_id: string
  to_catalog_item_id: string
  quantity: number
  term_duration: string
  billing_cycle: string
  transition_type: string
  status: string
  events: Json<TransitionEventData[]>
  created_at: Timestamp
}

export interface TransitionEventData { name: string, status: string, timestamp: string }

export interface ChargesTable {
  id: Generated<string>
  partner_tenant_id: string
  customer_id: string
  subscription_id: string | null
  order_id: string
  charge_type: string
  catalog_item_id: string
  quantity: number
  unit_price_minor: BigMoney
  amount_minor: BigMoney
  currency_code: string
  occurred_at: Timestamp
  invoice_id: string | null
  /** The term the charge was made in (null on charges older than these columns: read the subscription's). */
  term_end_at: Date | null
  offer_name: string | null
  term_duration: string | null
  billing_cycle: string | null
}

export interface BillingPeriodsTable {
  id: Generated<string>
  partner_tenant_id: string
  period_start: Timestamp
  period_end: Timestamp
  closed_at: Timestamp
}

export interface InvoicesTable {
  number: Generated<string>
  id: ColumnType<string, never, never>
  partner_tenant_id: string
  billing_period_id: string
  invoice_date: Timestamp
  period_start: Timestamp
  period_end: Timestamp
  currency_code: string
  currency_symbol: string
  total_minor: BigMoney
  line_count: number
}

export interface UsageRecordsTable {
  id: Generated<string>
  partner_tenant_id: string
  customer_id: string
  subscription_id: string
  usage_date: Timestamp
  meter_id: string
  meter_name: string
  meter_category: string
  meter_sub_category: string
  meter_region: string
  unit_of_measure: string
  quantity: number
  unit_price_minor: BigMoney
  amount_minor: BigMoney
  currency_code: string
  invoice_id: string | null
}

/** An Azure plan's Azure subscription that the partner cancelled or reactivated (no row: it follows its plan). */
export interface AzureEntitlementsTable {
  subscription_id: string
  partner_tenant_id: string
  status: string
  cancellation_reason: string | null
  changed_at: Timestamp
  metered_from: NullableTimestamp
}

export interface MfaRegistrationsTable {
  user_id: string
  method: 'totp'
  secret: string
  registered_at: Timestamp
  last_step: ColumnType<string, number | string | undefined, number | string>
}

export interface SignInSessionsTable {
  id_hash: string
  tenant_id: string
  user_id: string
  amr: TextArray
  auth_time: Timestamp
  expires_at: Timestamp
}

export interface SignInRequestsTable {
  id: string
  authority: string
  params: Json<Record<string, string>>
  user_id: string | null
  amr: ColumnType<string[], string[] | undefined, string[]>
  created_at: Timestamp
  expires_at: Timestamp
}

export interface AuthorizationCodesTable {
  code_hash: string
  tenant_id: string
  app_id: string
  user_id: string
  redirect_uri: string
  scope: string
  code_challenge: string | null
  code_challenge_method: string | null
  nonce: string | null
  amr: TextArray
  auth_time: Timestamp
  expires_at: Timestamp
  redeemed_at: NullableTimestamp
  /** The refresh token family its redemption began: revoked when the code comes back. */
  family_id: string | null
}

export interface RefreshTokensTable {
  token_hash: string
  family_id: string
  tenant_id: string
  app_id: string
  user_id: string
  scope: string
  amr: TextArray
  auth_time: Timestamp
  issued_at: Timestamp
  issued_at_clock: Timestamp
  spent_at: NullableTimestamp
  revoked_at: NullableTimestamp
}

export interface DeviceCodesTable {
  device_code_hash: string
  user_code: string
  authority: string
  app_id: string
  scope: string
  status: 'pending' | 'approved' | 'declined' | 'redeemed'
  tenant_id: string | null
  user_id: string | null
  amr: ColumnType<string[] | null, string[] | null | undefined, string[] | null>
  auth_time: NullableTimestamp
  created_at: Timestamp
  expires_at: Timestamp
}

export interface AuditRecordsTable {
  id: string
  partner_tenant_id: string
  customer_id: string | null
  customer_name: string | null
  user_principal_name: string | null
  application_id: string
  resource_type: string
  resource_old_value: string | null
  resource_new_value: string | null
  operation_type: string
  operation_status: string
  operation_date: Timestamp
  original_correlation_id: string | null
  customized_data: Json<Array<{ key: string, value: string }>>
}

export interface WebhookRegistrationsTable {
  partner_tenant_id: string
  subscriber_id: string
  webhook_url: string
  webhook_events: TextArray
  signature_token_to_ms_signature_header: Generated<boolean>
  last_modified_at: Timestamp
}

/** One result of a delivery attempt, as GET .../validationEvents/{correlationId} shows it. */
export interface WebhookAttemptResult { responseCode: string, responseMessage: string, systemError: boolean, dateTimeUtc: string }

export interface WebhookDeliveriesTable {
  id: string
  partner_tenant_id: string
  correlation_id: string
  webhook_url: string
  event_name: string
  /** The payload is built from these (and the public base URL), the same at every attempt. */
  resource_path: string
  resource_name: string
  audit_id: string | null
  resource_changed_at: Timestamp
  status: ColumnType<'pending' | 'delivered' | 'failed', 'pending' | 'delivered' | 'failed' | undefined, 'pending' | 'delivered' | 'failed'>
  attempts: Generated<number>
  next_attempt_at: Timestamp
  results: ColumnType<WebhookAttemptResult[], string | undefined, string>
  created_at: CreatedAt
}

export interface WebhookSigningKeysTable {
  id: string
  private_key: string
  certificate: string
  created_at: CreatedAt
}

export type BillingExportDataset = 'billed_reconciliation' | 'unbilled_reconciliation' | 'billed_usage' | 'unbilled_usage'
/** Graph's longRunningOperationStatus, as a billing export operation reports it. */
export type BillingExportStatus = 'notStarted' | 'running' | 'succeeded' | 'failed'
export interface BillingExportBlob { name: string, partitionValue: string, bytes: number, records: number }

export interface BillingExportsTable {
  id: string
  partner_tenant_id: string
  dataset: BillingExportDataset
  attribute_set: 'full' | 'basic'
  invoice_id: string | null
  billing_period: 'current' | 'last' | null
  currency_code: string | null
  high_water_id: string
  status: BillingExportStatus
  created_at: Date
  last_action_at: Date
  lease_until: Date
  attempts: Generated<number>
  error_code: string | null
  error_message: string | null
  manifest_id: string
  record_count: Generated<string>
  blobs: ColumnType<BillingExportBlob[], string | undefined, string>
  sas_key: string
}

export interface BillingExportChunksTable {
  export_id: string
  blob_index: number
  seq: number
  byte_offset: string | number
  data: Uint8Array
}

export interface Database {
  partner_tenants: PartnerTenantsTable
  partner_apps: PartnerAppsTable
  partner_users: PartnerUsersTable
  signing_keys: SigningKeysTable
  customers: CustomersTable
  request_journal: RequestJournalTable
  emulator_settings: EmulatorSettingsTable
  security_groups: SecurityGroupsTable
  security_group_members: SecurityGroupMembersTable
  gdap_relationships: GdapRelationshipsTable
  gdap_requests: GdapRequestsTable
  gdap_access_assignments: GdapAccessAssignmentsTable
  gdap_operations: GdapOperationsTable
  customer_users: CustomerUsersTable
  customer_directory_role_members: CustomerDirectoryRoleMembersTable
  customer_subscribed_skus: CustomerSubscribedSkusTable
  customer_user_licenses: CustomerUserLicensesTable
  customer_agreements: CustomerAgreementsTable
  application_consents: ApplicationConsentsTable
  idempotent_requests: IdempotentRequestsTable
  carts: CartsTable
  orders: OrdersTable
  subscriptions: SubscriptionsTable
  charges: ChargesTable
  billing_periods: BillingPeriodsTable
  invoices: InvoicesTable
  usage_records: UsageRecordsTable
  azure_entitlements: AzureEntitlementsTable
  mfa_registrations: MfaRegistrationsTable
  sign_in_sessions: SignInSessionsTable
  sign_in_requests: SignInRequestsTable
  authorization_codes: AuthorizationCodesTable
  refresh_tokens: RefreshTokensTable
  device_codes: DeviceCodesTable
  partner_profiles: PartnerProfilesTable
  indirect_resellers: IndirectResellersTable
  audit_records: AuditRecordsTable
  webhook_registrations: WebhookRegistrationsTable
  webhook_deliveries: WebhookDeliveriesTable
  webhook_signing_keys: WebhookSigningKeysTable
  billing_exports: BillingExportsTable
  billing_export_chunks: BillingExportChunksTable
  subscription_transitions: SubscriptionTransitionsTable
}

export type PartnerUserRow = Selectable<PartnerUsersTable>
export type CustomerRow = Selectable<CustomersTable>
export type PartnerProfilesRow = Selectable<PartnerProfilesTable>
export type IndirectResellerRow = Selectable<IndirectResellersTable>
export type NewCustomerRow = Insertable<CustomersTable>
export type NewJournalRow = Insertable<RequestJournalTable>
export type GdapRelationshipRow = Selectable<GdapRelationshipsTable>
export type GdapAccessAssignmentRow = Selectable<GdapAccessAssignmentsTable>
export type GdapRequestRow = Selectable<GdapRequestsTable>
export type GdapOperationRow = Selectable<GdapOperationsTable>
export type CustomerUserRow = Selectable<CustomerUsersTable>
export type NewCustomerUserRow = Insertable<CustomerUsersTable>
export type SubscribedSkuRow = Selectable<CustomerSubscribedSkusTable>
export type CartRow = Selectable<CartsTable>
export type CustomerAgreementRow = Selectable<CustomerAgreementsTable>
export type ApplicationConsentRow = Selectable<ApplicationConsentsTable>
export type OrderRow = Selectable<OrdersTable>
export type SubscriptionRow = Selectable<SubscriptionsTable>
export type InvoiceRow = Selectable<InvoicesTable>
export type IdempotentRequestRow = Selectable<IdempotentRequestsTable>
export type SignInRequestRow = Selectable<SignInRequestsTable>
export type AuthorizationCodeRow = Selectable<AuthorizationCodesTable>
export type RefreshTokenRow = Selectable<RefreshTokensTable>
export type DeviceCodeRow = Selectable<DeviceCodesTable>
export type AuditRecordRow = Selectable<AuditRecordsTable>
export type NewAuditRecordRow = Insertable<AuditRecordsTable>
export type WebhookRegistrationRow = Selectable<WebhookRegistrationsTable>
export type WebhookDeliveryRow = Selectable<WebhookDeliveriesTable>
export type NewWebhookDeliveryRow = Insertable<WebhookDeliveriesTable>
export type AzureEntitlementRow = Selectable<AzureEntitlementsTable>
export type BillingExportRow = Selectable<BillingExportsTable>
export type SubscriptionTransitionRow = Selectable<SubscriptionTransitionsTable>
