// GDAP relationships: create, read, change while the rules of their status allow it, delete while
// created, and the partner's requests on them (lockForApproval, terminate). Every status shown is
// derived from the row and the emulator clock (gdap/lifecycle.ts); actions store what happened and when.
import type { Kysely } from 'kysely'
import { isUniqueViolation } from '../../db/errors.js'
import type { Database, GdapRelationshipRow } from '../../db/schema.js'
import { createDirectoryRepository } from '../../directory/repository.js'
import { gdapConflict, gdapInvalidState, gdapNotFound, invalidRequest } from '../../errors.js'
import { recordRelationshipActivity } from '../../gdap/activity.js'
import { operationOf, relationshipOf, requestOf } from '../../gdap/graph.js'
import { grantsAccess, newRelationshipId, relationshipAt } from '../../gdap/lifecycle.js'
import { createGdapRepository } from '../../gdap/repository.js'
import { checkAutoExtend, checkDuration, checkIfMatch, checkRoles } from '../../gdap/rules.js'
import { graphListLinks, odataPage, type ODataFields, type ODataQuery } from '../../lib/odata.js'
import { createRelationshipsRepository } from './repository.js'
import type { CreateRelationship, UpdateRelationship } from './schemas.js'

type Relationship = ReturnType<typeof relationshipOf>
const relationshipFields: ODataFields<Relationship> = {
  status: (r) => r.status,
  displayName: (r) => r.displayName,
  'customer/tenantId': (r) => r.customer?.tenantId ?? null,
  'customer/displayName': (r) => r.customer?.displayName ?? null,
  createdDateTime: (r) => r.createdDateTime,
  endDateTime: (r) => r.endDateTime
}
const byStatus = <T extends { status: string, id: string }>(): ODataFields<T> => ({ status: (x) => x.status, id: (x) => x.id })
const RELATIONSHIPS = 'tenantRelationships/delegatedAdminRelationships'

export function createRelationshipsService (db: Kysely<Database>, publicBaseUrl: string) {
  const gdap = createGdapRepository(db)
  const relationships = createRelationshipsRepository(db)

  /** The partner's relationship, or 404; `repo` on a transaction locks it until the transaction ends. */
  async function mustGet (partnerTenantId: string, id: string, repo = gdap) {
    const row = await repo.relationship(partnerTenantId, id, repo !== gdap)
    if (!row) throw gdapNotFound('delegatedAdminRelationship', id)
    return row
  }

  /** The customer a relationship names: one of the partner's customers. */
  async function customerRef (partnerTenantId: string, customer: { tenantId: string, displayName?: string | undefined } | undefined, trx = db) {
    if (!customer) return { customer_tenant_id: null, customer_display_name: null }
    const found = await createDirectoryRepository(trx).customer(partnerTenantId, customer.tenantId)
    if (!found) throw invalidRequest(`customer.tenantId ${customer.tenantId} is not a customer of this partner.`)
    return { customer_tenant_id: found.id, customer_display_name: customer.displayName ?? found.companyName }
  }

  return {
    async list (partnerTenantId: string, query: ODataQuery, url: string, now: Date) {
      const items = (await gdap.relationships(partnerTenantId)).map((row) => relationshipOf(row, now))
      return odataPage(items, query, relationshipFields, graphListLinks(publicBaseUrl, RELATIONSHIPS, url))
    },

    async get (partnerTenantId: string, id: string, now: Date) {
      return relationshipOf(await mustGet(partnerTenantId, id), now)
    },

    async create (partnerTenantId: string, body: CreateRelationship, now: Date) {
      checkDuration(body.duration)
      const roles = checkRoles(body.accessDetails.unifiedRoles.map((r) => r.roleDefinitionId))
      const autoExtend = body.autoExtendDuration ?? 'PT0S'
      checkAutoExtend(autoExtend, roles)
      const customer = await customerRef(partnerTenantId, body.customer)
      try {
        return await db.transaction().execute(async (trx) => {
          const row = await createRelationshipsRepository(trx).insert({
            id: newRelationshipId(),
            partner_tenant_id: partnerTenantId,
            display_name: body.displayName,
            duration: body.duration.toUpperCase(),
            ...customer,
            roles,
            auto_extend_duration: autoExtend,
            status: 'created',
            created_at: now,
            last_modified_at: now
          })
          const relationship = relationshipOf(row, now)
          await recordRelationshipActivity(trx, row, { operationType: 'create_gdap_relationship', events: ['granular-admin-relationship-created'], newValue: relationship })
          return relationship
        })
      } catch (error) {
        if (isUniqueViolation(error)) throw gdapConflict(`A relationship named ${body.displayName} already exists.`)
        throw error
      }
    },

    /** Field rules per status: everything while `created`; only autoExtendDuration while active. */
    async update (partnerTenantId: string, id: string, ifMatch: string | undefined, body: UpdateRelationship, now: Date) {
      return db.transaction().execute(async (trx) => {
        const row = await mustGet(partnerTenantId, id, createGdapRepository(trx))
        checkIfMatch(ifMatch, row.id, row.version)
        const status = relationshipAt(row, now).status
        const changes: Partial<GdapRelationshipRow> = {}
        if (status === 'created') {
          if (body.displayName !== undefined) changes.display_name = body.displayName
          if (body.duration !== undefined) {
            checkDuration(body.duration)
            changes.duration = body.duration.toUpperCase()
          }
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
          const updated = await createGdapRepository(trx).updateRelationship(row.id, { ...changes, last_modified_at: now, version: row.version + 1 })
          const relationship = relationshipOf(updated, now)
          await recordRelationshipActivity(trx, updated, {
            operationType: 'update_gdap_relationship', events: ['granular-admin-relationship-updated'], oldValue: relationshipOf(row, now), newValue: relationship
          })
          return relationship
        } catch (error) {
          if (isUniqueViolation(error)) throw gdapConflict(`A relationship named ${body.displayName ?? ''} already exists.`)
          throw error
        }
      })
    },

    async remove (partnerTenantId: string, id: string, ifMatch: string | undefined, now: Date): Promise<void> {
      await db.transaction().execute(async (trx) => {
        const row = await mustGet(partnerTenantId, id, createGdapRepository(trx))
        checkIfMatch(ifMatch, row.id, row.version)
        const status = relationshipAt(row, now).status
        if (status !== 'created') throw gdapInvalidState(`Only a relationship in status created can be deleted; this one is ${status}. Terminate it instead.`)
        await createRelationshipsRepository(trx).delete(row.id)
      })
    },

    /** The partner's actions: lockForApproval (created → approvalPending) and terminate (active → terminationRequested). */
    async request (partnerTenantId: string, id: string, action: 'lockForApproval' | 'terminate', now: Date) {
      return db.transaction().execute(async (trx) => {
        const repo = createGdapRepository(trx)
        const row = await mustGet(partnerTenantId, id, repo)
        const status = relationshipAt(row, now).status
        if (action === 'lockForApproval' && status !== 'created') {
          throw gdapInvalidState(`lockForApproval needs a relationship in status created; this one is ${status}.`)
        }
        if (action === 'terminate' && !grantsAccess(status)) {
          throw gdapInvalidState(`terminate needs an active relationship; this one is ${status}.`)
        }
        await repo.updateRelationship(row.id, action === 'lockForApproval'
          ? { status: 'approvalPending', lock_requested_at: now, last_modified_at: now, version: row.version + 1 }
          : { status: 'terminationRequested', terminate_requested_at: now, last_modified_at: now, version: row.version + 1 })
        return requestOf(await repo.insertRequest(row.id, action, now), 'created')
      })
    },

    async requests (partnerTenantId: string, id: string, query: ODataQuery, url: string) {
      const items = await requestsOf(partnerTenantId, id)
      return odataPage(items, query, { ...byStatus(), action: (r) => r.action }, graphListLinks(publicBaseUrl, `${RELATIONSHIPS}('${id}')/requests`, url))
    },

    async getRequest (partnerTenantId: string, id: string, requestId: string) {
      const found = (await requestsOf(partnerTenantId, id)).find((r) => r.id === requestId.toLowerCase())
      if (!found) throw gdapNotFound('delegatedAdminRelationshipRequest', requestId)
      return found
    },

    async operations (partnerTenantId: string, id: string, query: ODataQuery, url: string) {
      const items = await operationsOf(partnerTenantId, id)
      return odataPage(items, query, byStatus(), graphListLinks(publicBaseUrl, `${RELATIONSHIPS}('${id}')/operations`, url))
    },

    async getOperation (partnerTenantId: string, id: string, operationId: string) {
      const found = (await operationsOf(partnerTenantId, id)).find((o) => o.id === operationId.toLowerCase())
      if (!found) throw gdapNotFound('delegatedAdminRelationshipOperation', operationId)
      return found
    }
  }

  async function requestsOf (partnerTenantId: string, id: string) {
    const row = await mustGet(partnerTenantId, id)
    return (await relationships.requests(row.id)).map((r) => requestOf(r))
  }

  async function operationsOf (partnerTenantId: string, id: string) {
    const row = await mustGet(partnerTenantId, id)
    return (await relationships.operations(row.id)).map(operationOf)
  }
}
