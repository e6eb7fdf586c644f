// Webhook registration rules: one registration per partner, only documented event names, only http(s)
// URLs (https and no loopback or private address outside dev mode), and the test event.
import { isIP } from 'node:net'
import type { Kysely } from 'kysely'
import type { Database, WebhookRegistrationRow } from '../../db/schema.js'
import {
  invalidRequest, validationEventNotFound, validationEventThrottled, webhookRegistrationExists, webhookRegistrationNotFound
} from '../../errors.js'
import { eventNameOf, WEBHOOK_EVENTS } from '../../webhooks/events.js'
import { raiseEvent } from '../../webhooks/outbox.js'
import { createWebhookRegistrationsRepository } from './repository.js'
import type { WebhookRegistration, WriteRegistration } from './schemas.js'

/** Microsoft's documented throttle on test events. */
const TEST_EVENTS_PER_MINUTE = 2

export function registrationOf (row: WebhookRegistrationRow): WebhookRegistration {
  return {
    subscriberId: row.subscriber_id,
    webhookUrl: row.webhook_url,
    webhookEvents: row.webhook_events,
    signatureTokenToMsSignatureHeader: row.signature_token_to_ms_signature_header,
    lastModifiedTimestamp: row.last_modified_at.toISOString()
  }
}

export function createWebhooksService (db: Kysely<Database>, options: { devMode: boolean }) {
  const registrations = createWebhookRegistrationsRepository(db)

  function valuesOf (body: WriteRegistration, now: Date) {
    return {
      webhookUrl: checkedUrl(body.webhookUrl, options.devMode),
      webhookEvents: checkedEvents(body.webhookEvents),
      msSignatureHeader: body.signatureTokenToMsSignatureHeader ?? false,
      now
    }
  }

  return {
    async register (partnerTenantId: string, body: WriteRegistration, now: Date) {
      const row = await registrations.insert(partnerTenantId, { subscriberId: crypto.randomUUID(), ...valuesOf(body, now) })
      if (!row) throw webhookRegistrationExists()
      return registrationOf(row)
    },

    async update (partnerTenantId: string, body: WriteRegistration, now: Date) {
      const row = await registrations.update(partnerTenantId, valuesOf(body, now))
      if (!row) throw webhookRegistrationNotFound()
      return registrationOf(row)
    },

    async get (partnerTenantId: string) {
      const row = await registrations.find(partnerTenantId)
      if (!row) throw webhookRegistrationNotFound()
      return registrationOf(row)
    },

    async remove (partnerTenantId: string): Promise<void> {
      if (!await registrations.delete(partnerTenantId)) throw webhookRegistrationNotFound()
    },

    events: () => [...WEBHOOK_EVENTS],

    /** Queues a test-created event to the registered URL; its delivery is followed by correlation id. */
    async requestTestEvent (partnerTenantId: string, now: Date) {
      if (!await registrations.find(partnerTenantId)) throw webhookRegistrationNotFound()
      if (await registrations.testEventsSince(partnerTenantId, new Date(Date.now() - 60_000)) >= TEST_EVENTS_PER_MINUTE) throw validationEventThrottled(60)
      const correlationId = crypto.randomUUID()
      const queued = await raiseEvent(db, {
        partnerTenantId, name: 'test-created', resourcePath: `/webhooks/v1/registration/validationEvents/${correlationId}`,
        resourceName: 'test', changedAt: now, correlationId, always: true
      })
      if (!queued) throw webhookRegistrationNotFound()
      return { correlationId }
    },

    async testEvent (partnerTenantId: string, correlationId: string) {
      const row = await registrations.testEvent(partnerTenantId, correlationId)
      if (!row) throw validationEventNotFound(correlationId)
      return {
        correlationId: row.correlation_id,
        partnerId: row.partner_tenant_id,
        status: row.status === 'delivered' ? 'completed' : row.status,
        callbackUrl: row.webhook_url,
        results: row.results
      }
    }
  }
}

/** Documented names only, in their documented spelling, each once. */
function checkedEvents (names: string[]): string[] {
  const unknown = names.filter((name) => !eventNameOf(name))
  if (unknown.length > 0) {
    throw invalidRequest(`Unknown webhook event name(s): ${unknown.join(', ')}. GET /webhooks/v1/registration/events lists them.`, unknown)
  }
  return [...new Set(names.map((name) => eventNameOf(name)!))]
}

/**
 * An absolute http(s) URL without credentials. Outside dev mode: https only, and not a loopback,
 * private or link-local address (the emulator must not be made to POST into its own network).
 */
export function checkedUrl (text: string, devMode: boolean): string {
  let url: URL
  try {
    url = new URL(text)
  } catch {
    throw invalidRequest('webhookUrl must be an absolute http or https URL.')
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw invalidRequest('webhookUrl must be an http or https URL.')
  if (url.username || url.password) throw invalidRequest('webhookUrl must not carry credentials.')
  if (!devMode) {
    if (url.protocol !== 'https:') throw invalidRequest('webhookUrl must be an https URL.')
    if (isInternalHost(url.hostname)) throw invalidRequest('webhookUrl must not name a loopback, private or link-local address.')
  }
  return url.toString()
}

function isInternalHost (hostname: string): boolean {
  const host = hostname.replace(/^\[(.*)\]$/, '$1').toLowerCase()
  if (host === 'localhost' || host.endsWith('.localhost')) return true
  if (isIP(host) === 4) return /^(127\.|10\.|0\.|169\.254\.|192\.168\.|172\.(1[6-9]|2\d|3[01])\.)/.test(host)
  if (isIP(host) === 6) return host === '::1' || host === '::' || /^(fc|fd|fe80:)/.test(host) || host.startsWith('::ffff:')
  return false
}
