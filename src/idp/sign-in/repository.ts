// SQL of interactive sign-in: sign-in requests in progress, signed-in sessions, TOTP registrations.
// Session ids are kept as SHA-256 hashes only.
import { sql, type Insertable, type Kysely, type Updateable } from 'kysely'
import type { Database, SignInRequestRow, SignInRequestsTable } from '../../db/schema.js'

export function createSignInRepository (db: Kysely<Database>) {
  return {
    async insertRequest (row: Insertable<SignInRequestsTable>): Promise<void> {
      await db.insertInto('sign_in_requests').values(row).execute()
    },

    /** A sign-in in progress, while it has not expired. */
    request (id: string, now: Date): Promise<SignInRequestRow | undefined> {
      return db.selectFrom('sign_in_requests').selectAll().where('id', '=', id).where('expires_at', '>', now).executeTakeFirst()
    },

    /** Deletes sign-ins and sessions that expired. */
    async purgeExpired (now: Date): Promise<void> {
      await db.deleteFrom('sign_in_requests').where('expires_at', '<=', now).execute()
      await db.deleteFrom('sign_in_sessions').where('expires_at', '<=', now).execute()
    },

    async updateRequest (id: string, changes: Updateable<SignInRequestsTable>): Promise<void> {
      await db.updateTable('sign_in_requests').set(changes).where('id', '=', id).execute()
    },

    /** Ends a sign-in; false when it had ended already (another request completed it). */
    async deleteRequest (id: string): Promise<boolean> {
      const deleted = await db.deleteFrom('sign_in_requests').where('id', '=', id).executeTakeFirst()
      return deleted.numDeletedRows === 1n
    },

    async insertSession (session: { idHash: string, tenantId: string, userId: string, amr: string[], authTime: Date, expiresAt: Date }): Promise<void> {
      await db.insertInto('sign_in_sessions').values({
        id_hash: session.idHash, tenant_id: session.tenantId, user_id: session.userId, amr: session.amr, auth_time: session.authTime, expires_at: session.expiresAt
      }).execute()
    },

    /** A signed-in session, while it has not expired. */
    session (idHash: string, now: Date) {
      return db.selectFrom('sign_in_sessions').selectAll().where('id_hash', '=', idHash).where('expires_at', '>', now).executeTakeFirst()
    },

    async deleteSession (idHash: string): Promise<void> {
      await db.deleteFrom('sign_in_sessions').where('id_hash', '=', idHash).execute()
    },

    /** Ends every signed-in session of a user; how many there were. */
    async deleteSessionsOf (userId: string): Promise<number> {
      const result = await db.deleteFrom('sign_in_sessions').where('user_id', '=', userId).executeTakeFirst()
      return Number(result.numDeletedRows)
    },

    /** Until when the user is locked out, if they are. */
    async lockedUntil (userId: string, now: Date): Promise<Date | undefined> {
      const row = await db.selectFrom('partner_users').select('locked_until').where('id', '=', userId).where('locked_until', '>', now).executeTakeFirst()
      return row?.locked_until ?? undefined
    },

    /** Counts a failed password or code; the `threshold`-th in a row locks the user until `lockUntil` (and starts the count again). */
    async recordFailure (userId: string, threshold: number, lockUntil: Date): Promise<void> {
      const reached = sql<boolean>`failed_sign_ins + 1 >= ${threshold}`
      await db.updateTable('partner_users').set({
        failed_sign_ins: sql`case when ${reached} then 0 else failed_sign_ins + 1 end`,
        locked_until: sql`case when ${reached} then ${lockUntil} else locked_until end`
      }).where('id', '=', userId).execute()
    },

    async clearFailures (userId: string): Promise<void> {
      await db.updateTable('partner_users').set({ failed_sign_ins: 0 }).where('id', '=', userId).where('failed_sign_ins', '>', 0).execute()
    },

    registration (userId: string) {
      return db.selectFrom('mfa_registrations').selectAll().where('user_id', '=', userId).executeTakeFirst()
    },

    /** A first registration; false when the user has one already (registered meanwhile, elsewhere). */
    async register (userId: string, secret: string, step: number, at: Date): Promise<boolean> {
      const inserted = await db.insertInto('mfa_registrations').values({ user_id: userId, method: 'totp', secret, registered_at: at, last_step: step })
        .onConflict((oc) => oc.column('user_id').doNothing()).returning('user_id').executeTakeFirst()
      return inserted !== undefined
    },

    /** Registers an authenticator in place of any other (the control plane's). */
    async replaceRegistration (userId: string, secret: string, at: Date): Promise<void> {
      await db.insertInto('mfa_registrations').values({ user_id: userId, method: 'totp', secret, registered_at: at, last_step: 0 })
        .onConflict((oc) => oc.column('user_id').doUpdateSet({ secret, registered_at: at, last_step: 0 })).execute()
    },

    /** Records a code's time step as used; false when that step, or a later one, was used already (a replay). */
    async useStep (userId: string, step: number): Promise<boolean> {
      const updated = await db.updateTable('mfa_registrations').set({ last_step: step })
        .where('user_id', '=', userId).where('last_step', '<', String(step)).executeTakeFirst()
      return updated.numUpdatedRows === 1n
    },

    async unregister (userId: string): Promise<boolean> {
      const deleted = await db.deleteFrom('mfa_registrations').where('user_id', '=', userId).executeTakeFirst()
      return deleted.numDeletedRows === 1n
    }
  }
}

export type SignInRepository = ReturnType<typeof createSignInRepository>
