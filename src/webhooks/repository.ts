// Webhook SQL shared by the writes that raise events and the dispatcher: the partner's registration,
// the delivery outbox (claimed with SKIP LOCKED so that several instances share it) and the signing key.
import { sql, type Kysely } from 'kysely'
import type { Database, NewWebhookDeliveryRow, WebhookAttemptResult, WebhookDeliveryRow, WebhookRegistrationRow } from '../db/schema.js'

export function createWebhooksRepository (db: Kysely<Database>) {
  return {
    async registrationOf (partnerTenantId: string): Promise<WebhookRegistrationRow | undefined> {
      return db.selectFrom('webhook_registrations').selectAll().where('partner_tenant_id', '=', partnerTenantId).executeTakeFirst()
    },

    async enqueue (row: NewWebhookDeliveryRow): Promise<void> {
      await db.insertInto('webhook_deliveries').values(row).execute()
    },

    /**
     * Takes up to `limit` due deliveries, leased until `leaseUntil`: another instance skips them, and
     * a process that dies holding them lets them come due again when the lease ends.
     */
    async claimDue (now: Date, leaseUntil: Date, limit: number): Promise<WebhookDeliveryRow[]> {
      const due = db.selectFrom('webhook_deliveries').select('id')
        .where('status', '=', 'pending').where('next_attempt_at', '<=', now)
        .orderBy('next_attempt_at').limit(limit).forUpdate().skipLocked()
      return db.updateTable('webhook_deliveries').set({ next_attempt_at: leaseUntil })
        .where('id', 'in', due).returningAll().execute()
    },

    /** One attempt's outcome: appended to the results, with what comes next. */
    async recordAttempt (id: string, outcome: { status: WebhookDeliveryRow['status'], nextAttemptAt: Date, result: WebhookAttemptResult }): Promise<void> {
      await db.updateTable('webhook_deliveries').set({
        status: outcome.status,
        attempts: sql`attempts + 1`,
        next_attempt_at: outcome.nextAttemptAt,
        results: sql`results || ${JSON.stringify([outcome.result])}::jsonb`
      }).where('id', '=', id).execute()
    },

    /** Forgets delivered and failed events created before `before` (Microsoft purges test events after 7 days). */
    async sweep (before: Date): Promise<void> {
      await db.deleteFrom('webhook_deliveries').where('status', '!=', 'pending').where('created_at', '<', before).execute()
    },

    async signingKey (): Promise<{ private_key: string, certificate: string } | undefined> {
      return db.selectFrom('webhook_signing_keys').select(['private_key', 'certificate']).where('id', '=', 'current').executeTakeFirst()
    },

    /** Stores a new key unless another instance stored one first (its key wins: read it back). */
    async storeSigningKey (key: { private_key: string, certificate: string }): Promise<void> {
      await db.insertInto('webhook_signing_keys').values({ id: 'current', ...key }).onConflict((oc) => oc.column('id').doNothing()).execute()
    }
  }
}
