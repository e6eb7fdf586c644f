// GDAP rows as Graph JSON. Every status shown is derived from the row and the emulator clock
// (lifecycle.ts); the stored rows keep what happened and when.
import type { GdapAccessAssignmentRow, GdapOperationRow, GdapRelationshipRow, GdapRequestRow } from '../db/schema.js'
import { etagOf } from '../lib/etag.js'
import { assignmentAt, relationshipAt } from './lifecycle.js'

const iso = (d: Date | null) => d?.toISOString() ?? null
export const graphEtag = (id: string, version: number) => `W/"${etagOf(id, version)}"`
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

/** Assignment updates apply at once, so an operation has succeeded by the time anyone reads it. */
export function operationOf (row: GdapOperationRow) {
  return {
    '@odata.type': '#microsoft.graph.delegatedAdminRelationshipOperation',
    id: row.id,
    operationType: 'delegatedAdminAccessAssignmentUpdate' as const,
    data: row.data,
    status: 'succeeded' as const,
    createdDateTime: row.created_at.toISOString(),
    lastModifiedDateTime: row.created_at.toISOString()
  }
}
