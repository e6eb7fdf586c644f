// Webhook registration SQL: one registration per partner tenant, and the test events' deliveries.
import type { Kysely } from 'kysely'
import type { Database, WebhookDeliveryRow, WebhookRegistrationRow } from '../../db/schema.js'

export interface RegistrationValues { subscriberId: string, webhookUrl: string, webhookEvents: string[], msSignatureHeader: boolean, now: Date }

export function createWebhookRegistrationsRepository (db: Kysely<Database>) {
  return {
    /** Inserts the partner's registration; undefined when it already has one. */
    async insert (partnerTenantId: string, values: RegistrationValues): Promise<WebhookRegistrationRow | undefined> {
      return db.insertInto('webhook_registrations').values({
        partner_tenant_id: partnerTenantId,
        subscriber_id: values.subscriberId,
        webhook_url: values.webhookUrl,
        webhook_events: values.webhookEvents,
        signature_token_to_ms_signature_header: values.msSignatureHeader,
        last_modified_at: values.now
      }).onConflict((oc) => oc.column('partner_tenant_id').doNothing()).returningAll().executeTakeFirst()
    },

    async update (partnerTenantId: string, values: Omit<RegistrationValues, 'subscriberId'>): Promise<WebhookRegistrationRow | undefined> {
      return db.updateTable('webhook_registrations').set({
        webhook_url: values.webhookUrl,
        webhook_events: values.webhookEvents,
        signature_token_to_ms_signature_header: values.msSignatureHeader,
        last_modified_at: values.now
      }).where('partner_tenant_id', '=', partnerTenantId).returningAll().executeTakeFirst()
    },

    async find (partnerTenantId: string): Promise<WebhookRegistrationRow | undefined> {
      return db.selectFrom('webhook_registrations').selectAll().where('partner_tenant_id', '=', partnerTenantId).executeTakeFirst()
    },

    /** Deletes the registration; false when there was none. Events already queued are still delivered. */
    async delete (partnerTenantId: string): Promise<boolean> {
      const result = await db.deleteFrom('webhook_registrations').where('partner_tenant_id', '=', partnerTenantId).executeTakeFirst()
      return result.numDeletedRows > 0n
    },

    async testEvent (partnerTenantId: string, correlationId: string): Promise<WebhookDeliveryRow | undefined> {
      return db.selectFrom('webhook_deliveries').selectAll()
        .where('partner_tenant_id', '=', partnerTenantId).where('correlation_id', '=', correlationId.toLowerCase())
        .where('event_name', '=', 'test-created').executeTakeFirst()
    },

    /** The partner's test events requested since `since` (the throttle counts them). */
    async testEventsSince (partnerTenantId: string, since: Date): Promise<number> {
      const { count } = await db.selectFrom('webhook_deliveries').select((eb) => eb.fn.countAll<string>().as('count'))
        .where('partner_tenant_id', '=', partnerTenantId).where('event_name', '=', 'test-created')
        .where('created_at', '>=', since).executeTakeFirstOrThrow()
      return Number(count)
    }
  }
}
