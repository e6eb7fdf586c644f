// SQL of the MFA reports: the request journal the auth hook writes, read per partner tenant.
import { sql, type Kysely } from 'kysely'
import type { Database } from '../../db/schema.js'

export function createMfaReportsRepository (db: Kysely<Database>) {
  return {
    /** The partner's app+user decisions since `since`, newest first, at most `limit`. */
    userRequests (partnerTenantId: string, since: Date, limit: number) {
      return db.selectFrom('request_journal').selectAll()
        .where('partner_tenant_id', '=', partnerTenantId).where('token_kind', '=', 'user').where('occurred_at', '>=', since)
        .orderBy('id', 'desc').limit(limit).execute()
    },

    /** MFA-compliant and total app+user requests per application and day (UTC) in [start, end). */
    adoptionByAppAndDay (partnerTenantId: string, start: Date, end: Date) {
      return db.selectFrom('request_journal as j')
        .leftJoin('partner_apps as a', (join) => join.on(sql`a.id::text`, '=', sql.ref('j.app_id')))
        .select([
          sql<string>`to_char(j.occurred_at at time zone 'UTC', 'YYYY-MM-DD')`.as('day'),
          'j.app_id',
          'a.display_name',
          (eb) => eb.fn.countAll<string>().as('total'),
          sql<string>`count(*) filter (where j.mfa_compliant)`.as('compliant')
        ])
        .where('j.partner_tenant_id', '=', partnerTenantId).where('j.token_kind', '=', 'user')
        .where('j.occurred_at', '>=', start).where('j.occurred_at', '<', end)
        .groupBy(['day', 'j.app_id', 'a.display_name']).orderBy('day', 'desc').orderBy('j.app_id').execute()
    }
  }
}
