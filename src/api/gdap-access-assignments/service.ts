// GDAP access assignments: which roles of a relationship a partner security group holds in the
// customer. The relationship must be active; the roles a subset of its roles; one assignment per
// security group. Role changes apply at once and are recorded as an operation (the API answers 202).
import type { Kysely } from 'kysely'
import { recordAssignmentActivity } from '../../gdap/activity.js'
import type { Database } from '../../db/schema.js'
import { createDirectoryRepository } from '../../directory/repository.js'
import { gdapConflict, gdapInvalidState, gdapNotFound, invalidRequest } from '../../errors.js'
import { assignmentOf } from '../../gdap/graph.js'
import { assignmentAt, grantsAccess, relationshipAt } from '../../gdap/lifecycle.js'
import { createGdapRepository, type GdapRepository } from '../../gdap/repository.js'
import { checkIfMatch, checkRolesWithin } from '../../gdap/rules.js'
import { graphListLinks, odataPage, type ODataFields, type ODataQuery } from '../../lib/odata.js'
import { createAssignmentsRepository } from './repository.js'
import type { CreateAssignment } from './schemas.js'

type Assignment = ReturnType<typeof assignmentOf>
const assignmentFields: ODataFields<Assignment> = {
  status: (a) => a.status,
  id: (a) => a.id,
  'accessContainer/accessContainerId': (a) => a.accessContainer.accessContainerId
}

export function createAssignmentsService (db: Kysely<Database>, publicBaseUrl: string) {
  const gdap = createGdapRepository(db)

  /** The partner's relationship, or 404; on a transaction's repository it stays locked until the transaction ends. */
  async function mustGet (repo: GdapRepository, partnerTenantId: string, id: string, lock: boolean) {
    const row = await repo.relationship(partnerTenantId, id, lock)
    if (!row) throw gdapNotFound('delegatedAdminRelationship', id)
    return row
  }

  async function mustFindAssignment (repo: GdapRepository, relationshipId: string, assignmentId: string) {
    const assignment = (await repo.assignments(relationshipId)).find((a) => a.id === assignmentId.toLowerCase())
    if (!assignment) throw gdapNotFound('delegatedAdminAccessAssignment', assignmentId)
    return assignment
  }

  /** The relationship (locked) and one of its assignments, whose ETag If-Match must name. */
  async function lockAssignment (repo: GdapRepository, partnerTenantId: string, id: string, assignmentId: string, ifMatch: string | undefined) {
    const row = await mustGet(repo, partnerTenantId, id, true)
    const assignment = await mustFindAssignment(repo, row.id, assignmentId)
    checkIfMatch(ifMatch, assignment.id, assignment.version)
    return { row, assignment }
  }

  return {
    async list (partnerTenantId: string, id: string, query: ODataQuery, url: string, now: Date) {
      const row = await mustGet(gdap, partnerTenantId, id, false)
      const items = (await gdap.assignments(row.id)).map((a) => assignmentOf(a, row, now))
      const entity = `tenantRelationships/delegatedAdminRelationships('${id}')/accessAssignments`
      return odataPage(items, query, assignmentFields, graphListLinks(publicBaseUrl, entity, url))
    },

    async get (partnerTenantId: string, id: string, assignmentId: string, now: Date) {
      const row = await mustGet(gdap, partnerTenantId, id, false)
      return assignmentOf(await mustFindAssignment(gdap, row.id, assignmentId), row, now)
    },

    async create (partnerTenantId: string, id: string, body: CreateAssignment, now: Date) {
      return db.transaction().execute(async (trx) => {
        const repo = createGdapRepository(trx)
        const row = await mustGet(repo, partnerTenantId, id, true)
        const status = relationshipAt(row, now).status
        if (!grantsAccess(status)) throw gdapInvalidState(`Access assignments need an active relationship; this one is ${status}.`)
        const groupId = body.accessContainer.accessContainerId
        const group = await createDirectoryRepository(trx).securityGroup(partnerTenantId, groupId)
        if (!group) throw invalidRequest(`accessContainerId ${groupId} is not a security group of the partner tenant.`)
        const roles = checkRolesWithin(body.accessDetails.unifiedRoles.map((r) => r.roleDefinitionId), row.roles)
        const existing = (await repo.assignments(row.id)).find((a) => a.group_id === group.id && !a.delete_requested_at)
        if (existing) throw gdapConflict(`Security group ${group.id} already has an access assignment (${existing.id}) in this relationship.`)
        const assignment = await createAssignmentsRepository(trx).insert({
          id: crypto.randomUUID(), relationship_id: row.id, group_id: group.id, roles, created_at: now, last_modified_at: now
        })
        const created = { ...assignmentOf(assignment, row, now), status: 'pending' as const }
        await recordAssignmentActivity(trx, row, assignment.id, { operationType: 'create_gdap_access_assignment', event: 'granular-admin-access-assignment-created', newValue: created })
        return created
      })
    },

    /** Unchanged roles: the assignment as it is (200). Otherwise the change is an operation (202). */
    async update (partnerTenantId: string, id: string, assignmentId: string, ifMatch: string | undefined, roleIds: string[], now: Date) {
      return db.transaction().execute(async (trx) => {
        const { row, assignment } = await lockAssignment(createGdapRepository(trx), partnerTenantId, id, assignmentId, ifMatch)
        const state = assignmentAt(assignment, relationshipAt(row, now).status, now)
        if (state !== 'active') throw gdapInvalidState(`Only an active access assignment can be changed; this one is ${state}.`)
        const roles = checkRolesWithin(roleIds, row.roles)
        if (roles.length === assignment.roles.length && roles.every((r) => assignment.roles.includes(r))) {
          return { changed: false as const, assignment: assignmentOf(assignment, row, now) }
        }
        const assignments = createAssignmentsRepository(trx)
        const updated = await assignments.update(assignment.id, { roles, last_modified_at: now, version: assignment.version + 1 })
        const operation = await assignments.insertOperation({
          id: crypto.randomUUID(),
          relationship_id: row.id,
          operation_type: 'delegatedAdminAccessAssignmentUpdate',
          data: JSON.stringify(assignmentOf(updated, row, now)),
          created_at: now
        })
        await recordAssignmentActivity(trx, row, updated.id, {
          operationType: 'update_gdap_access_assignment', event: 'granular-admin-access-assignment-updated', newValue: assignmentOf(updated, row, now)
        })
        return { changed: true as const, operationId: operation.id }
      })
    },

    /** Deleting, then deleted: the assignment stops granting at once. */
    async remove (partnerTenantId: string, id: string, assignmentId: string, ifMatch: string | undefined, now: Date): Promise<void> {
      await db.transaction().execute(async (trx) => {
        const { row, assignment } = await lockAssignment(createGdapRepository(trx), partnerTenantId, id, assignmentId, ifMatch)
        if (assignment.delete_requested_at) throw gdapInvalidState('The access assignment is already being deleted.')
        const deleting = await createAssignmentsRepository(trx).update(assignment.id, { delete_requested_at: now, last_modified_at: now, version: assignment.version + 1 })
        await recordAssignmentActivity(trx, row, assignment.id, {
          operationType: 'update_gdap_access_assignment', event: 'granular-admin-access-assignment-deleted', newValue: assignmentOf(deleting, row, now)
        })
      })
    }
  }
}
