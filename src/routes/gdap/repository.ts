// SQL for GDAP state. Every query names the partner tenant, directly or through its relationship.
import type { Kysely, Transaction } from 'kysely'
import type { Database, GdapRelationshipRow } from '../../db/schema.js'

type Db = Kysely<Database> | Transaction<Database>

export function createGdapRepository (db: Kysely<Database>) {
  return {
    db,

    relationships (partnerTenantId: string) {
      return db.selectFrom('gdap_relationships').selectAll().where('partner_tenant_id', '=', partnerTenantId)
        .orderBy('created_at').orderBy('id').execute()
    },

    relationship (partnerTenantId: string, id: string, trx: Db = db, forUpdate = false): Promise<GdapRelationshipRow | undefined> {
      const query = trx.selectFrom('gdap_relationships').selectAll()
        .where('partner_tenant_id', '=', partnerTenantId).where('id', '=', id.toLowerCase())
      return (forUpdate ? query.forUpdate() : query).executeTakeFirst()
    },

    /** For the customer's side (control plane): a relationship by id alone. */
    relationshipById (id: string, trx: Db = db) {
      return trx.selectFrom('gdap_relationships').selectAll().where('id', '=', id.toLowerCase()).forUpdate().executeTakeFirst()
    },

    customerOfPartner (partnerTenantId: string, customerId: string, trx: Db = db) {
      return trx.selectFrom('customers').select(['id', 'company_name'])
        .where('partner_tenant_id', '=', partnerTenantId).where('id', '=', customerId.toLowerCase()).executeTakeFirst()
    },

    groupOfPartner (partnerTenantId: string, groupId: string, trx: Db = db) {
      return trx.selectFrom('security_groups').select(['id', 'display_name'])
        .where('partner_tenant_id', '=', partnerTenantId).where('id', '=', groupId.toLowerCase()).executeTakeFirst()
    },

    requests (relationshipId: string) {
      return db.selectFrom('gdap_requests').selectAll().where('relationship_id', '=', relationshipId).orderBy('created_at').execute()
    },

    assignments (relationshipId: string, trx: Db = db) {
      return trx.selectFrom('gdap_access_assignments').selectAll().where('relationship_id', '=', relationshipId)
        .orderBy('created_at').orderBy('id').execute()
    },

    operations (relationshipId: string) {
      return db.selectFrom('gdap_operations').selectAll().where('relationship_id', '=', relationshipId).orderBy('created_at').execute()
    }
  }
}

export type GdapRepository = ReturnType<typeof createGdapRepository>
