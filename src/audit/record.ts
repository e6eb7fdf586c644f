// recordActivity: the audit record of a write (GET /v1/auditrecords) and the webhook events it raises,
// written with the database handle the service writes with, so that they commit with the write or not
// at all. The caller (UPN, app, correlation id) comes from the request (actor.ts).
import type { Kysely } from 'kysely'
import type { Database } from '../db/schema.js'
import type { WebhookEventName } from '../webhooks/events.js'
import { raiseEvent } from '../webhooks/outbox.js'
import { currentActor } from './actor.js'
import { createAuditRepository } from './repository.js'

/** Microsoft's AuditRecord resourceType and operationType values (AuditService.json). */
export type ResourceType = 'customer' | 'customer_user' | 'order' | 'subscription' | 'license' | 'third_party_add_on' | 'mpn_association' | 'transfer'
export type OperationType =
  | 'add_customer' | 'update_customer_billing_profile' | 'delete_customer'
  | 'create_order' | 'update_order' | 'update_subscription'
  | 'create_customer_user' | 'delete_customer_user' | 'update_customer_user' | 'update_customer_user_licenses'
  | 'reset_customer_user_password' | 'restore_customer_user'
  // Beyond Microsoft's enum: writes it has no value for (agreements, GDAP), in the same snake case.
  | 'create_customer_agreement' | 'create_gdap_relationship' | 'update_gdap_relationship' | 'create_gdap_access_assignment' | 'update_gdap_access_assignment'
  | 'create_application_consent' | 'delete_application_consent' | 'update_partner_organization_profile' | 'update_partner_legal_business_profile'
  | 'remove_partner_customer_relationship'
  | 'upgrade_subscription' | 'transition_subscription'

export interface Activity {
  /** Default: the caller's (routes under a customer know the customer, not always the partner). */
  partnerTenantId?: string
  customerId?: string | null
  /** Looked up from the customer when not given. */
  customerName?: string | null
  resourceType: ResourceType | 'agreement' | 'gdap_relationship' | 'gdap_access_assignment' | 'application_consent' | 'partner_profile'
  operationType: OperationType
  /** The resource before and after, as JSON (never with secrets: passwords and credentials stay out). */
  oldValue?: unknown
  newValue?: unknown
  customizedData?: Record<string, string>
  /** Webhook events the write raises; each names the record in its AuditUri. */
  events?: Array<{ name: WebhookEventName, resourcePath: string, resourceName: string }>
}

/** The app id recorded for what the emulator does by itself (the control plane, the clock). */
export const EMULATOR_APP_ID = '00000000-0000-0000-0000-000000000000'

export async function recordActivity (db: Kysely<Database>, activity: Activity): Promise<string> {
  const actor = currentActor()
  const partnerTenantId = activity.partnerTenantId ?? actor?.partnerTenantId
  if (!partnerTenantId) throw new Error(`an ${activity.operationType} activity names no partner tenant and has no caller`)
  const audit = createAuditRepository(db)
  const id = crypto.randomUUID()
  const now = actor?.now ?? new Date()
  const customerId = activity.customerId?.toLowerCase() ?? null
  const customerName = activity.customerName ?? (customerId ? await audit.customerName(partnerTenantId, customerId) : null)
  await audit.insert({
    id,
    partner_tenant_id: partnerTenantId,
    customer_id: customerId,
    customer_name: customerName ?? null,
    user_principal_name: actor?.userPrincipalName ?? null,
    application_id: actor?.applicationId ?? EMULATOR_APP_ID,
    resource_type: activity.resourceType,
    resource_old_value: activity.oldValue === undefined ? null : JSON.stringify(activity.oldValue),
    resource_new_value: activity.newValue === undefined ? null : JSON.stringify(activity.newValue),
    operation_type: activity.operationType,
    operation_status: 'succeeded',
    operation_date: now,
    original_correlation_id: actor?.correlationId ?? null,
    customized_data: JSON.stringify(Object.entries(activity.customizedData ?? {}).map(([key, value]) => ({ key, value })))
  })
  for (const event of activity.events ?? []) {
    await raiseEvent(db, { partnerTenantId, ...event, auditId: id, changedAt: now })
  }
  return id
}
