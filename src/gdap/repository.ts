// SQL of GDAP state that several parts read: relationships and their access assignments, the
// access rows of step 10, and the requests every status change records. Every query names the
// partner tenant, directly or through its relationship. Pass a transaction to lock what it reads.
import type { Kysely, Updateable } from 'kysely'
import type { Database, GdapAccessAssignmentRow, GdapRelationshipRow, GdapRelationshipsTable, GdapRequestRow } from '../db/schema.js'

/** An access assignment with the relationship it belongs to, as step 10 reads them. */
export interface AccessRow { relationship: GdapRelationshipRow, assignment: GdapAccessAssignmentRow }

export function createGdapRepository (db: Kysely<Database>) {
  return {
    relationships (partnerTenantId: string): Promise<GdapRelationshipRow[]> {
      return db.selectFrom('gdap_relationships').selectAll().where('partner_tenant_id', '=', partnerTenantId)
        .orderBy('created_at').orderBy('id').execute()
    },

    /** The partner's relationship; `forUpdate` locks it until the transaction ends (when `db` is one). */
    relationship (partnerTenantId: string, id: string, forUpdate = false): Promise<GdapRelationshipRow | undefined> {
      const query = db.selectFrom('gdap_relationships').selectAll()
        .where('partner_tenant_id', '=', partnerTenantId).where('id', '=', id.toLowerCase())
      return (forUpdate ? query.forUpdate() : query).executeTakeFirst()
    },

    /** For the customer's side (control plane): a relationship by id alone, locked. */
    relationshipForAnswer (id: string): Promise<GdapRelationshipRow | undefined> {
      return db.selectFrom('gdap_relationships').selectAll().where('id', '=', id.toLowerCase()).forUpdate().executeTakeFirst()
    },

    updateRelationship (id: string, changes: Updateable<GdapRelationshipsTable>): Promise<GdapRelationshipRow> {
      return db.updateTable('gdap_relationships').set(changes).where('id', '=', id).returningAll().executeTakeFirstOrThrow()
    },

    assignments (relationshipId: string): Promise<GdapAccessAssignmentRow[]> {
      return db.selectFrom('gdap_access_assignments').selectAll().where('relationship_id', '=', relationshipId)
        .orderBy('created_at').orderBy('id').execute()
    },

    /** Records a request (lockForApproval, approve, reject, terminate) that has taken effect. */
    insertRequest (relationshipId: string, action: string, at: Date): Promise<GdapRequestRow> {
      return db.insertInto('gdap_requests').values({
        id: crypto.randomUUID(), relationship_id: relationshipId, action, status: 'succeeded', created_at: at, last_modified_at: at
      }).returningAll().executeTakeFirstOrThrow()
    },

    /**
     * Step 10's rows: the live access assignments, in the partner's relationships with the customer,
     * to a security group the user is a stored member of or that the token's `groups` claim names.
     */
    async accessRows (partnerTenantId: string, customerId: string, userId: string, claimedGroups: readonly string[]): Promise<AccessRow[]> {
      const rows = await db.selectFrom('gdap_access_assignments as a')
        .innerJoin('gdap_relationships as r', 'r.id', 'a.relationship_id')
        .selectAll('r')
        .select(['a.id as assignment_id', 'a.group_id', 'a.roles as assignment_roles', 'a.created_at as assignment_created_at',
          'a.last_modified_at as assignment_modified_at', 'a.delete_requested_at', 'a.version as assignment_version'])
        .where('r.partner_tenant_id', '=', partnerTenantId)
        .where('r.customer_tenant_id', '=', customerId)
        .where('a.delete_requested_at', 'is', null)
        .where((eb) => eb.or([
          eb('a.group_id', 'in', eb.selectFrom('security_group_members as m')
            .innerJoin('security_groups as g', 'g.id', 'm.group_id')
            .select('m.group_id')
            .where('m.user_id', '=', userId).where('g.partner_tenant_id', '=', partnerTenantId)),
          ...(claimedGroups.length > 0 ? [eb('a.group_id', 'in', claimedGroups)] : [])
        ]))
        .execute()
      return rows.map((row) => ({
        relationship: {
          id: row.id,
          partner_tenant_id: row.partner_tenant_id,
          display_name: row.display_name,
          duration: row.duration,
          customer_tenant_id: row.customer_tenant_id,
          customer_display_name: row.customer_display_name,
          roles: row.roles,
          auto_extend_duration: row.auto_extend_duration,
          status: row.status,
          created_at: row.created_at,
          last_modified_at: row.last_modified_at,
          lock_requested_at: row.lock_requested_at,
          activated_at: row.activated_at,
          terminate_requested_at: row.terminate_requested_at,
          version: row.version
        },
        assignment: {
          id: row.assignment_id,
          relationship_id: row.id,
          group_id: row.group_id,
          roles: row.assignment_roles,
          created_at: row.assignment_created_at,
          last_modified_at: row.assignment_modified_at,
          delete_requested_at: row.delete_requested_at,
          version: row.assignment_version
        }
      }))
    }
  }
}

export type GdapRepository = ReturnType<typeof createGdapRepository>
