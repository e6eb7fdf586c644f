// SQL of delegated admin customers: the partner's relationships that name a customer.
import type { Kysely } from 'kysely'
import type { Database, GdapRelationshipRow } from '../../db/schema.js'

export function createDelegatedCustomersRepository (db: Kysely<Database>) {
  return {
    relationshipsWithCustomers (partnerTenantId: string): Promise<GdapRelationshipRow[]> {
      return db.selectFrom('gdap_relationships').selectAll()
        .where('partner_tenant_id', '=', partnerTenantId).where('customer_tenant_id', 'is not', null)
        .orderBy('created_at').orderBy('id').execute()
    }
  }
}
