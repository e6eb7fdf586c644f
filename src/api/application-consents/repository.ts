// SQL of application consents. Every query names the partner tenant as well as the customer: the
// service has checked the customer is the caller's, and another partner's rows stay out of reach.
import type { Insertable, Kysely } from 'kysely'
import type { ApplicationConsentRow, ApplicationConsentsTable, Database } from '../../db/schema.js'

export function createConsentsRepository (db: Kysely<Database>) {
  return {
    /** The new consent, or undefined when the application is consented in the customer already. */
    insert (row: Insertable<ApplicationConsentsTable>): Promise<ApplicationConsentRow | undefined> {
      // One statement, no unique violation to catch: a concurrent create of the same consent finds it taken.
      return db.insertInto('application_consents').values(row)
        .onConflict((oc) => oc.columns(['customer_id', 'application_id']).doNothing())
        .returningAll().executeTakeFirst()
    },

    ofCustomer (partnerTenantId: string, customerId: string): Promise<ApplicationConsentRow[]> {
      return db.selectFrom('application_consents').selectAll()
        .where('partner_tenant_id', '=', partnerTenantId).where('customer_id', '=', customerId)
        .orderBy('created_at').orderBy('application_id').execute()
    },

    /** True when there was a consent to delete. */
    async delete (partnerTenantId: string, customerId: string, applicationId: string): Promise<boolean> {
      const result = await db.deleteFrom('application_consents')
        .where('partner_tenant_id', '=', partnerTenantId).where('customer_id', '=', customerId).where('application_id', '=', applicationId)
        .executeTakeFirst()
      return result.numDeletedRows > 0n
    }
  }
}
