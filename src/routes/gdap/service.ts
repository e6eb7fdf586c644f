// GDAP rules (reference §8) and the mapping from rows to Graph JSON. Every status shown is derived
// from the row and the emulator clock (lifecycle.ts); actions store what happened and when.
import type { Transaction } from 'kysely'
import type { Database, GdapAccessAssignmentRow, GdapRelationshipRow, GdapRequestRow } from '../../db/schema.js'
import { etagMismatch, gdapConflict, gdapInvalidState, gdapNotFound, ifMatchRequired, invalidRequest } from '../../errors.js'
import { isEntraRoleId } from '../../identity/entra-roles.js'
import { etagOf, ifMatchSatisfied } from '../../lib/etag.js'
import { isGuid } from '../../lib/ids.js'
import {
  assignmentAt, AUTO_EXTEND_VALUES, durationDays, grantsAccess, hasGlobalAdministrator, newRelationshipId, relationshipAt
} from './lifecycle.js'
import type { GdapRepository } from './repository.js'
import type { CreateAssignment, CreateRelationship, UpdateRelationship } from './schemas.js'

const UNIQUE_VIOLATION = '23505'
const iso = (d: Date | null) => d?.toISOString() ?? null
const graphEtag = (id: string, version: number) => `W/"${etagOf(id, version)}"`
const unifiedRoles = (roles: readonly string[]) => ({ unifiedRoles: roles.map((roleDefinitionId) => ({ roleDefinitionId })) })

export function relationshipOf (row: GdapRelationshipRow, now: Date) {
  const view = relationshipAt(row, now)
  return {
    '@odata.type': '#microsoft.graph.delegatedAdminRelationship',
    '@odata.etag': graphEtag(row.id, row.version),
    id: row.id,
    displayName: row.display_name,
    duration: row.duration,
    customer: row.customer_tenant_id ? { tenantId: row.customer_tenant_id, displayName: row.customer_display_name ?? '' } : null,
    accessDetails: unifiedRoles(row.roles),
    status: view.status,
    autoExtendDuration: row.auto_extend_duration,
    createdDateTime: row.created_at.toISOString(),
    lastModifiedDateTime: row.last_modified_at.toISOString(),
    activatedDateTime: iso(view.activatedDateTime),
    endDateTime: iso(view.endDateTime)
  }
}

export function requestOf (row: GdapRequestRow, status = row.status) {
  return {
    '@odata.type': '#microsoft.graph.delegatedAdminRelationshipRequest',
    id: row.id,
    action: row.action as 'lockForApproval' | 'approve' | 'reject' | 'terminate',
    status: status as 'created' | 'pending' | 'succeeded' | 'failed',
    createdDateTime: row.created_at.toISOString(),
    lastModifiedDateTime: row.last_modified_at.toISOString()
  }
}

export function assignmentOf (row: GdapAccessAssignmentRow, relationship: GdapRelationshipRow, now: Date) {
  return {
    '@odata.type': '#microsoft.graph.delegatedAdminAccessAssignment',
    '@odata.etag': graphEtag(row.id, row.version),
    id: row.id,
    status: assignmentAt(row, relationshipAt(relationship, now).status, now),
    createdDateTime: row.created_at.toISOString(),
    lastModifiedDateTime: row.last_modified_at.toISOString(),
    accessContainer: { accessContainerId: row.group_id, accessContainerType: 'securityGroup' as const },
    accessDetails: unifiedRoles(row.roles)
  }
}

function checkRoles (roleIds: string[]): string[] {
  const unknown = roleIds.filter((id) => !isEntraRoleId(id))
  if (unknown.length > 0) throw invalidRequest(`Unknown roleDefinitionId: ${unknown.join(', ')}. Use Entra role template ids.`)
  return [...new Set(roleIds.map((id) => id.toLowerCase()))]
}

function checkDuration (duration: string): void {
  if (durationDays(duration) === undefined) throw invalidRequest(`duration ${duration} is not valid: use an ISO 8601 duration from P1D to P730D.`)
}

function checkAutoExtend (autoExtend: string, roles: readonly string[]): void {
  if (!(AUTO_EXTEND_VALUES as readonly string[]).includes(autoExtend)) throw invalidRequest('autoExtendDuration must be PT0S, P0D or P180D.')
  if (autoExtend === 'P180D' && hasGlobalAdministrator(roles)) {
    throw invalidRequest('A relationship that includes Global Administrator cannot be auto-extended; use PT0S.')
  }
}

function checkIfMatch (header: string | undefined, id: string, version: number): void {
  if (!header) throw ifMatchRequired()
  if (!ifMatchSatisfied(header, etagOf(id, version))) throw etagMismatch()
}

const isUniqueViolation = (error: unknown) => (error as { code?: string }).code === UNIQUE_VIOLATION

export function createGdapService (repo: GdapRepository) {
  const { db } = repo

  /** The partner's relationship, or 404; inside a transaction it is locked until the transaction ends. */
  async function mustGet (partnerTenantId: string, id: string, trx?: Transaction<Database>) {
    const row = await repo.relationship(partnerTenantId, id, trx ?? db, trx !== undefined)
    if (!row) throw gdapNotFound('delegatedAdminRelationship', id)
    return row
  }

  /** The relationship (locked for the transaction) and one of its assignments, whose ETag If-Match must name. */
  async function lockAssignment (trx: Transaction<Database>, partnerTenantId: string, id: string, assignmentId: string, ifMatch: string | undefined) {
    const row = await mustGet(partnerTenantId, id, trx)
    const assignment = (await repo.assignments(row.id, trx)).find((a) => a.id === assignmentId.toLowerCase())
    if (!assignment) throw gdapNotFound('delegatedAdminAccessAssignment', assignmentId)
    checkIfMatch(ifMatch, assignment.id, assignment.version)
    return { row, assignment }
  }

  async function customerRef (partnerTenantId: string, customer: { tenantId: string, displayName?: string | undefined } | undefined, trx: Transaction<Database> | typeof db = db) {
    if (!customer) return { customer_tenant_id: null, customer_display_name: null }
    const found = isGuid(customer.tenantId) ? await repo.customerOfPartner(partnerTenantId, customer.tenantId, trx) : undefined
    if (!found) throw invalidRequest(`customer.tenantId ${customer.tenantId} is not a customer of this partner.`)
    return { customer_tenant_id: found.id, customer_display_name: customer.displayName ?? found.company_name }
  }

  return {
    mustGet,

    async list (partnerTenantId: string, now: Date) {
      return (await repo.relationships(partnerTenantId)).map((row) => relationshipOf(row, now))
    },

    async create (partnerTenantId: string, body: CreateRelationship, now: Date) {
      checkDuration(body.duration)
      const roles = checkRoles(body.accessDetails.unifiedRoles.map((r) => r.roleDefinitionId))
      const autoExtend = body.autoExtendDuration ?? 'PT0S'
      checkAutoExtend(autoExtend, roles)
      try {
        const row = await db.insertInto('gdap_relationships').values({
          id: newRelationshipId(),
          partner_tenant_id: partnerTenantId,
          display_name: body.displayName,
          duration: body.duration.toUpperCase(),
          ...await customerRef(partnerTenantId, body.customer),
          roles,
          auto_extend_duration: autoExtend,
          status: 'created',
          created_at: now,
          last_modified_at: now
        }).returningAll().executeTakeFirstOrThrow()
        return relationshipOf(row, now)
      } catch (error) {
        if (isUniqueViolation(error)) throw gdapConflict(`A relationship named ${body.displayName} already exists.`)
        throw error
      }
    },

    /** Field rules per status: everything while `created`; only autoExtendDuration while active. */
    async update (partnerTenantId: string, id: string, ifMatch: string | undefined, body: UpdateRelationship, now: Date) {
      return db.transaction().execute(async (trx) => {
        const row = await mustGet(partnerTenantId, id, trx)
        checkIfMatch(ifMatch, row.id, row.version)
        const status = relationshipAt(row, now).status
        const changes: Partial<GdapRelationshipRow> = {}
        if (status === 'created') {
          if (body.displayName !== undefined) changes.display_name = body.displayName
          if (body.duration !== undefined) { checkDuration(body.duration); changes.duration = body.duration.toUpperCase() }
          if (body.accessDetails) changes.roles = checkRoles(body.accessDetails.unifiedRoles.map((r) => r.roleDefinitionId))
          if (body.customer) Object.assign(changes, await customerRef(partnerTenantId, body.customer, trx))
        } else if (grantsAccess(status)) {
          const fixed = (['displayName', 'duration', 'customer', 'accessDetails'] as const).filter((f) => body[f] !== undefined)
          if (fixed.length > 0) throw gdapInvalidState(`${fixed.join(', ')} can only change while the relationship is created; it is ${status}.`)
        } else {
          throw gdapInvalidState(`A relationship in status ${status} cannot be changed.`)
        }
        if (body.autoExtendDuration !== undefined) {
          checkAutoExtend(body.autoExtendDuration, changes.roles ?? row.roles)
          changes.auto_extend_duration = body.autoExtendDuration
        }
        try {
          const updated = await trx.updateTable('gdap_relationships')
            .set({ ...changes, last_modified_at: now, version: row.version + 1 })
            .where('id', '=', row.id).returningAll().executeTakeFirstOrThrow()
          return relationshipOf(updated, now)
        } catch (error) {
          if (isUniqueViolation(error)) throw gdapConflict(`A relationship named ${body.displayName ?? ''} already exists.`)
          throw error
        }
      })
    },

    async remove (partnerTenantId: string, id: string, ifMatch: string | undefined, now: Date): Promise<void> {
      await db.transaction().execute(async (trx) => {
        const row = await mustGet(partnerTenantId, id, trx)
        checkIfMatch(ifMatch, row.id, row.version)
        const status = relationshipAt(row, now).status
        if (status !== 'created') throw gdapInvalidState(`Only a relationship in status created can be deleted; this one is ${status}. Terminate it instead.`)
        await trx.deleteFrom('gdap_relationships').where('id', '=', row.id).execute()
      })
    },

    /** The partner's actions: lockForApproval (created → approvalPending) and terminate (active → terminationRequested). */
    async request (partnerTenantId: string, id: string, action: 'lockForApproval' | 'terminate', now: Date) {
      return db.transaction().execute(async (trx) => {
        const row = await mustGet(partnerTenantId, id, trx)
        const status = relationshipAt(row, now).status
        if (action === 'lockForApproval' && status !== 'created') {
          throw gdapInvalidState(`lockForApproval needs a relationship in status created; this one is ${status}.`)
        }
        if (action === 'terminate' && !grantsAccess(status)) {
          throw gdapInvalidState(`terminate needs an active relationship; this one is ${status}.`)
        }
        await trx.updateTable('gdap_relationships').set(action === 'lockForApproval'
          ? { status: 'approvalPending', lock_requested_at: now, last_modified_at: now, version: row.version + 1 }
          : { status: 'terminationRequested', terminate_requested_at: now, last_modified_at: now, version: row.version + 1 })
          .where('id', '=', row.id).execute()
        const request = await trx.insertInto('gdap_requests').values({
          id: crypto.randomUUID(), relationship_id: row.id, action, status: 'succeeded', created_at: now, last_modified_at: now
        }).returningAll().executeTakeFirstOrThrow()
        return requestOf(request, 'created')
      })
    },

    /** The customer's side: approve (approvalPending → active) or reject (→ terminated). */
    async answer (customerTenantId: string, id: string, action: 'approve' | 'reject', now: Date) {
      return db.transaction().execute(async (trx) => {
        const row = await repo.relationshipById(id, trx)
        if (!row || (row.customer_tenant_id !== null && row.customer_tenant_id !== customerTenantId.toLowerCase())) {
          throw gdapNotFound('delegatedAdminRelationship', id)
        }
        const customer = await repo.customerOfPartner(row.partner_tenant_id, customerTenantId, trx)
        if (!customer) throw invalidRequest(`Tenant ${customerTenantId} is not a customer of the partner that sent this relationship.`)
        const status = relationshipAt(row, now).status
        if (status !== 'approvalPending') throw gdapInvalidState(`Only a relationship awaiting approval can be answered; this one is ${status}.`)
        const updated = await trx.updateTable('gdap_relationships').set({
          status: action === 'approve' ? 'active' : 'terminated',
          activated_at: action === 'approve' ? now : null,
          customer_tenant_id: customer.id,
          customer_display_name: row.customer_display_name ?? customer.company_name,
          last_modified_at: now,
          version: row.version + 1
        }).where('id', '=', row.id).returningAll().executeTakeFirstOrThrow()
        await trx.insertInto('gdap_requests').values({
          id: crypto.randomUUID(), relationship_id: row.id, action, status: 'succeeded', created_at: now, last_modified_at: now
        }).execute()
        return relationshipOf(updated, now)
      })
    },

    async requests (partnerTenantId: string, id: string) {
      const row = await mustGet(partnerTenantId, id)
      return (await repo.requests(row.id)).map((r) => requestOf(r))
    },

    async assignments (partnerTenantId: string, id: string, now: Date) {
      const row = await mustGet(partnerTenantId, id)
      return (await repo.assignments(row.id)).map((a) => assignmentOf(a, row, now))
    },

    /** Roles must be a subset of the relationship's; one assignment per security group; the relationship must be active. */
    async createAssignment (partnerTenantId: string, id: string, body: CreateAssignment, now: Date) {
      return db.transaction().execute(async (trx) => {
        const row = await mustGet(partnerTenantId, id, trx)
        const status = relationshipAt(row, now).status
        if (!grantsAccess(status)) throw gdapInvalidState(`Access assignments need an active relationship; this one is ${status}.`)
        const group = isGuid(body.accessContainer.accessContainerId)
          ? await repo.groupOfPartner(partnerTenantId, body.accessContainer.accessContainerId, trx)
          : undefined
        if (!group) throw invalidRequest(`accessContainerId ${body.accessContainer.accessContainerId} is not a security group of the partner tenant.`)
        const roles = checkRoles(body.accessDetails.unifiedRoles.map((r) => r.roleDefinitionId))
        const outside = roles.filter((r) => !row.roles.includes(r))
        if (outside.length > 0) throw invalidRequest(`The roles ${outside.join(', ')} are not part of the relationship.`)
        const existing = (await repo.assignments(row.id, trx)).find((a) => a.group_id === group.id && !a.delete_requested_at)
        if (existing) throw gdapConflict(`Security group ${group.id} already has an access assignment (${existing.id}) in this relationship.`)
        const assignment = await trx.insertInto('gdap_access_assignments').values({
          id: crypto.randomUUID(), relationship_id: row.id, group_id: group.id, roles, created_at: now, last_modified_at: now
        }).returningAll().executeTakeFirstOrThrow()
        return { ...assignmentOf(assignment, row, now), status: 'pending' as const }
      })
    },

    async assignment (partnerTenantId: string, id: string, assignmentId: string, now: Date) {
      const row = await mustGet(partnerTenantId, id)
      const assignment = (await repo.assignments(row.id)).find((a) => a.id === assignmentId.toLowerCase())
      if (!assignment) throw gdapNotFound('delegatedAdminAccessAssignment', assignmentId)
      return assignmentOf(assignment, row, now)
    },

    /** 200 with the unchanged assignment when the roles are the same; otherwise the change is an operation (202). */
    async updateAssignment (partnerTenantId: string, id: string, assignmentId: string, ifMatch: string | undefined, roleIds: string[], now: Date) {
      return db.transaction().execute(async (trx) => {
        const { row, assignment } = await lockAssignment(trx, partnerTenantId, id, assignmentId, ifMatch)
        const state = assignmentAt(assignment, relationshipAt(row, now).status, now)
        if (state !== 'active') throw gdapInvalidState(`Only an active access assignment can be changed; this one is ${state}.`)
        const roles = checkRoles(roleIds)
        const outside = roles.filter((r) => !row.roles.includes(r))
        if (outside.length > 0) throw invalidRequest(`The roles ${outside.join(', ')} are not part of the relationship.`)
        if (roles.length === assignment.roles.length && roles.every((r) => assignment.roles.includes(r))) {
          return { changed: false as const, assignment: assignmentOf(assignment, row, now) }
        }
        const updated = await trx.updateTable('gdap_access_assignments')
          .set({ roles, last_modified_at: now, version: assignment.version + 1 })
          .where('id', '=', assignment.id).returningAll().executeTakeFirstOrThrow()
        const operation = await trx.insertInto('gdap_operations').values({
          id: crypto.randomUUID(),
          relationship_id: row.id,
          operation_type: 'delegatedAdminAccessAssignmentUpdate',
          data: JSON.stringify(assignmentOf(updated, row, now)),
          created_at: now
        }).returningAll().executeTakeFirstOrThrow()
        return { changed: true as const, operationId: operation.id }
      })
    },

    async removeAssignment (partnerTenantId: string, id: string, assignmentId: string, ifMatch: string | undefined, now: Date): Promise<void> {
      await db.transaction().execute(async (trx) => {
        const { assignment } = await lockAssignment(trx, partnerTenantId, id, assignmentId, ifMatch)
        if (assignment.delete_requested_at) throw gdapInvalidState('The access assignment is already being deleted.')
        await trx.updateTable('gdap_access_assignments')
          .set({ delete_requested_at: now, last_modified_at: now, version: assignment.version + 1 })
          .where('id', '=', assignment.id).execute()
      })
    },

    /** Assignment updates apply at once, so an operation has succeeded by the time anyone reads it. */
    async operations (partnerTenantId: string, id: string) {
      const row = await mustGet(partnerTenantId, id)
      return (await repo.operations(row.id)).map((op) => ({
        '@odata.type': '#microsoft.graph.delegatedAdminRelationshipOperation',
        id: op.id,
        operationType: 'delegatedAdminAccessAssignmentUpdate' as const,
        data: op.data,
        status: 'succeeded' as const,
        createdDateTime: op.created_at.toISOString(),
        lastModifiedDateTime: op.created_at.toISOString()
      }))
    },

    /** Customers with at least one active relationship. */
    async delegatedAdminCustomers (partnerTenantId: string, now: Date) {
      const byTenant = new Map<string, { '@odata.type': string, id: string, tenantId: string, displayName: string }>()
      for (const row of await repo.relationships(partnerTenantId)) {
        if (!row.customer_tenant_id || !grantsAccess(relationshipAt(row, now).status)) continue
        byTenant.set(row.customer_tenant_id, {
          '@odata.type': '#microsoft.graph.delegatedAdminCustomer',
          id: row.customer_tenant_id,
          tenantId: row.customer_tenant_id,
          displayName: row.customer_display_name ?? ''
        })
      }
      return [...byTenant.values()].sort((a, b) => a.displayName.localeCompare(b.displayName))
    }
  }
}

