// The audit records and webhook events of GDAP writes, in the write's transaction: the documented
// granular-admin-relationship-* and granular-admin-access-assignment-* events, with the relationship (or
// assignment) as Graph shows it in resourceNewValue, which receivers read through the event's AuditUri.
import type { Kysely } from 'kysely'
import { recordActivity, type OperationType } from '../audit/record.js'
import type { Database, GdapRelationshipRow } from '../db/schema.js'
import type { WebhookEventName } from '../webhooks/events.js'

const RELATIONSHIPS = '/v1.0/tenantRelationships/delegatedAdminRelationships'

export async function recordRelationshipActivity (trx: Kysely<Database>, row: GdapRelationshipRow, change: {
  operationType: Extract<OperationType, 'create_gdap_relationship' | 'update_gdap_relationship'>
  events: WebhookEventName[]
  oldValue?: unknown
  newValue: unknown
}): Promise<void> {
  await recordActivity(trx, {
    partnerTenantId: row.partner_tenant_id,
    customerId: row.customer_tenant_id,
    customerName: row.customer_display_name,
    resourceType: 'gdap_relationship',
    operationType: change.operationType,
    oldValue: change.oldValue,
    newValue: change.newValue,
    events: change.events.map((name) => ({ name, resourcePath: `${RELATIONSHIPS}/${row.id}`, resourceName: 'delegatedAdminRelationship' }))
  })
}

export async function recordAssignmentActivity (trx: Kysely<Database>, relationship: GdapRelationshipRow, assignmentId: string, change: {
  operationType: Extract<OperationType, 'create_gdap_access_assignment' | 'update_gdap_access_assignment'>
  event: WebhookEventName
  newValue: unknown
}): Promise<void> {
  await recordActivity(trx, {
    partnerTenantId: relationship.partner_tenant_id,
    customerId: relationship.customer_tenant_id,
    customerName: relationship.customer_display_name,
    resourceType: 'gdap_access_assignment',
    operationType: change.operationType,
    newValue: change.newValue,
    events: [{
      name: change.event,
      resourcePath: `${RELATIONSHIPS}/${relationship.id}/accessAssignments/${assignmentId}`,
      resourceName: 'delegatedAdminAccessAssignment'
    }]
  })
}
