// Subscription details: the support contact a partner names for a subscription (one of its indirect
// resellers), the registration of an Azure subscription for Azure reservations, and the activation of a
// subscription whose product the publisher activates (third-party SaaS).
// Frozen in time: never import from src/, never edit after release; add a new migration instead.
import type { Kysely } from 'kysely'

export async function up (db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('subscriptions')
    // {supportTenantId, supportMpnId, name}: null until a partner names one.
    .addColumn('support_contact', 'jsonb')
    // null (never registered), then 'registered' (the emulator registers at once).
    .addColumn('registration_status', 'text')
    .addColumn('activated_at', 'timestamptz')
    .execute()
}

export async function down (db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('subscriptions')
    .dropColumn('support_contact').dropColumn('registration_status').dropColumn('activated_at')
    .execute()
}
