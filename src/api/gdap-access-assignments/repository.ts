// SQL of GDAP access assignments: creating and changing them, and the operation a role change records.
import type { Insertable, Kysely, Updateable } from 'kysely'
import type { Database, GdapAccessAssignmentRow, GdapAccessAssignmentsTable, GdapOperationRow, GdapOperationsTable } from '../../db/schema.js'

export function createAssignmentsRepository (db: Kysely<Database>) {
  return {
    insert (row: Insertable<GdapAccessAssignmentsTable>): Promise<GdapAccessAssignmentRow> {
      return db.insertInto('gdap_access_assignments').values(row).returningAll().executeTakeFirstOrThrow()
    },

    update (id: string, changes: Updateable<GdapAccessAssignmentsTable>): Promise<GdapAccessAssignmentRow> {
      return db.updateTable('gdap_access_assignments').set(changes).where('id', '=', id).returningAll().executeTakeFirstOrThrow()
    },

    insertOperation (row: Insertable<GdapOperationsTable>): Promise<GdapOperationRow> {
      return db.insertInto('gdap_operations').values(row).returningAll().executeTakeFirstOrThrow()
    }
  }
}
