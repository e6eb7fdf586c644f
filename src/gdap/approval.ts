// The customer's side of a relationship (on the real service: the customer's admin portal), driven
// by the control plane: approve (approvalPending → active) or reject (→ terminated).
import type { Kysely } from 'kysely'
import type { Database } from '../db/schema.js'
import { createDirectoryRepository } from '../directory/repository.js'
import { gdapInvalidState, gdapNotFound, invalidRequest } from '../errors.js'
import { recordRelationshipActivity } from './activity.js'
import { relationshipOf } from './graph.js'
import { relationshipAt } from './lifecycle.js'
import { createGdapRepository } from './repository.js'

export type CustomerAnswer = 'approve' | 'reject'

/** Only the customer the relationship names (or, when it names none, any customer of its partner) may answer. */
export function answerRelationship (db: Kysely<Database>, customerTenantId: string, id: string, action: CustomerAnswer, now: Date) {
  return db.transaction().execute(async (trx) => {
    const gdap = createGdapRepository(trx)
    const row = await gdap.relationshipForAnswer(id)
    if (!row || (row.customer_tenant_id !== null && row.customer_tenant_id !== customerTenantId.toLowerCase())) {
      throw gdapNotFound('delegatedAdminRelationship', id)
    }
    const customer = await createDirectoryRepository(trx).customer(row.partner_tenant_id, customerTenantId)
    if (!customer) throw invalidRequest(`Tenant ${customerTenantId} is not a customer of the partner that sent this relationship.`)
    const status = relationshipAt(row, now).status
    if (status !== 'approvalPending') throw gdapInvalidState(`Only a relationship awaiting approval can be answered; this one is ${status}.`)
    const updated = await gdap.updateRelationship(row.id, {
      status: action === 'approve' ? 'active' : 'terminated',
      activated_at: action === 'approve' ? now : null,
      customer_tenant_id: customer.id,
      customer_display_name: row.customer_display_name ?? customer.companyName,
      last_modified_at: now,
      version: row.version + 1
    })
    await gdap.insertRequest(row.id, action, now)
    const relationship = relationshipOf(updated, now)
    await recordRelationshipActivity(trx, updated, {
      operationType: 'update_gdap_relationship',
      events: action === 'approve' ? ['granular-admin-relationship-approved', 'granular-admin-relationship-activated'] : ['granular-admin-relationship-terminated'],
      oldValue: relationshipOf(row, now),
      newValue: relationship
    })
    return relationship
  })
}
