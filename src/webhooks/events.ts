// The webhook event names Partner Center documents (GET /webhooks/v1/registration/events lists them),
// and the payload of one event, built the same way at every attempt so that its signature is stable.
// Names from https://learn.microsoft.com/en-us/partner-center/developer/partner-center-webhook-events,
// plus one of the emulator's own (customer-created), marked below.
import type { WebhookDeliveryRow } from '../db/schema.js'

export const WEBHOOK_EVENTS = [
  'test-created',
  'subscription-active',
  'subscription-pending',
  'subscription-renewed',
  'subscription-updated',
  'usagerecords-thresholdExceeded',
  'referral-created',
  'referral-updated',
  'related-referral-created',
  'related-referral-updated',
  'invoice-ready',
  'azure-fraud-event-detected',
  'dap-admin-relationship-approved',
  'dap-admin-relationship-terminated',
  'dap-admin-relationship-terminated-by-microsoft',
  'reseller-relationship-accepted-by-customer',
  'indirect-reseller-relationship-accepted-by-customer',
  'granular-admin-relationship-created',
  'granular-admin-relationship-updated',
  'granular-admin-relationship-approved',
  'granular-admin-relationship-activated',
  'granular-admin-relationship-auto-extended',
  'granular-admin-relationship-expired',
  'granular-admin-relationship-terminated',
  'granular-admin-access-assignment-created',
  'granular-admin-access-assignment-updated',
  'granular-admin-access-assignment-activated',
  'granular-admin-access-assignment-deleted',
  'new-commerce-migration-created',
  'new-commerce-migration-completed',
  'new-commerce-migration-failed',
  'new-commerce-migration-schedule-failed',
  // Not in Microsoft's list: the emulator's own, in the documented {resource}-{action} form (docs/webhooks.md).
  'customer-created'
] as const

export type WebhookEventName = typeof WEBHOOK_EVENTS[number]

const byLowerCase = new Map<string, WebhookEventName>(WEBHOOK_EVENTS.map((name) => [name.toLowerCase(), name]))

/** The documented spelling of an event name given in any case (the documentation's own sample sends "Test-Created"). */
export const eventNameOf = (name: string): WebhookEventName | undefined => byLowerCase.get(name.toLowerCase())

/** Partner Center's event (PascalCase, as its samples show it): the bytes that are signed and sent. */
export function eventPayload (row: Pick<WebhookDeliveryRow, 'event_name' | 'resource_path' | 'resource_name' | 'audit_id' | 'resource_changed_at'>, baseUrl: string): string {
  return JSON.stringify({
    EventName: row.event_name,
    ResourceUri: `${baseUrl}${row.resource_path}`,
    ResourceName: row.resource_name,
    AuditUri: row.audit_id ? `${baseUrl}/v1/auditrecords/${row.audit_id}` : null,
    ResourceChangeUtcDate: row.resource_changed_at.toISOString()
  })
}
