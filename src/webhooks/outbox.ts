// Raising a webhook event: a delivery row in the outbox, written with the caller's database handle so
// that it commits (or not) with the write that raised it. The dispatcher sends it afterwards.
import type { Kysely } from 'kysely'
import type { Database } from '../db/schema.js'
import type { WebhookEventName } from './events.js'
import { createWebhooksRepository } from './repository.js'

export interface RaisedEvent {
  partnerTenantId: string
  name: WebhookEventName
  /** The resource's path under the public base URL, e.g. /v1/customers/{id}. */
  resourcePath: string
  resourceName: string
  auditId?: string | undefined
  changedAt: Date
  /** The validation events' correlation id (GET .../validationEvents/{correlationId}); a new one otherwise. */
  correlationId?: string
  /** Sent whether or not the registration lists the event (the test event a partner asks for). */
  always?: boolean
}

/** Queues the event for the partner's registered URL when its registration asks for it; true when queued. */
export async function raiseEvent (db: Kysely<Database>, event: RaisedEvent): Promise<boolean> {
  const webhooks = createWebhooksRepository(db)
  const registration = await webhooks.registrationOf(event.partnerTenantId)
  if (!registration) return false
  if (!event.always && !registration.webhook_events.some((name) => name.toLowerCase() === event.name.toLowerCase())) return false
  await webhooks.enqueue({
    id: crypto.randomUUID(),
    partner_tenant_id: event.partnerTenantId,
    correlation_id: event.correlationId ?? crypto.randomUUID(),
    webhook_url: registration.webhook_url,
    event_name: event.name,
    resource_path: event.resourcePath,
    resource_name: event.resourceName,
    audit_id: event.auditId ?? null,
    resource_changed_at: event.changedAt,
    next_attempt_at: new Date()
  })
  return true
}
