// SQL of GDAP relationships that only this API writes or reads: creating and deleting a relationship,
// and its requests and operations. What several parts share is in gdap/repository.ts.
import type { Insertable, Kysely } from 'kysely'
import type { Database, GdapOperationRow, GdapRelationshipRow, GdapRelationshipsTable, GdapRequestRow } from '../../db/schema.js'

export function createRelationshipsRepository (db: Kysely<Database>) {
  return {
    insert (row: Insertable<GdapRelationshipsTable>): Promise<GdapRelationshipRow> {
      return db.insertInto('gdap_relationships').values(row).returningAll().executeTakeFirstOrThrow()
    },

    async delete (id: string): Promise<void> {
      await db.deleteFrom('gdap_relationships').where('id', '=', id).execute()
    },

    requests (relationshipId: string): Promise<GdapRequestRow[]> {
      return db.selectFrom('gdap_requests').selectAll().where('relationship_id', '=', relationshipId).orderBy('created_at').execute()
    },

    operations (relationshipId: string): Promise<GdapOperationRow[]> {
      return db.selectFrom('gdap_operations').selectAll().where('relationship_id', '=', relationshipId).orderBy('created_at').execute()
    }
  }
}
