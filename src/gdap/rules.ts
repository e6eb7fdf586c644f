// GDAP input rules shared by the relationship and access-assignment APIs: roles, durations,
// auto-extension, and the If-Match every GDAP change requires.
import { graphEtagMismatch, graphIfMatchRequired, invalidRequest } from '../errors.js'
import { isEntraRoleId } from '../directory/entra-roles.js'
import { etagOf, ifMatchSatisfied } from '../lib/etag.js'
import { AUTO_EXTEND_VALUES, durationDays, hasGlobalAdministrator } from './lifecycle.js'

/** Known Entra role template ids, lower-cased and without duplicates. */
export function checkRoles (roleIds: string[]): string[] {
  const unknown = roleIds.filter((id) => !isEntraRoleId(id))
  if (unknown.length > 0) throw invalidRequest(`Unknown roleDefinitionId: ${unknown.join(', ')}. Use Entra role template ids.`)
  return [...new Set(roleIds.map((id) => id.toLowerCase()))]
}

/** The roles of `roleIds` that the relationship does not grant are refused. */
export function checkRolesWithin (roleIds: string[], relationshipRoles: readonly string[]): string[] {
  const roles = checkRoles(roleIds)
  const outside = roles.filter((r) => !relationshipRoles.includes(r))
  if (outside.length > 0) throw invalidRequest(`The roles ${outside.join(', ')} are not part of the relationship.`)
  return roles
}

export function checkDuration (duration: string): void {
  if (durationDays(duration) === undefined) throw invalidRequest(`duration ${duration} is not valid: use an ISO 8601 duration from P1D to P730D.`)
}

export function checkAutoExtend (autoExtend: string, roles: readonly string[]): void {
  if (!(AUTO_EXTEND_VALUES as readonly string[]).includes(autoExtend)) throw invalidRequest('autoExtendDuration must be PT0S, P0D or P180D.')
  if (autoExtend === 'P180D' && hasGlobalAdministrator(roles)) {
    throw invalidRequest('A relationship that includes Global Administrator cannot be auto-extended; use PT0S.')
  }
}

export function checkIfMatch (header: string | undefined, id: string, version: number): void {
  if (!header) throw graphIfMatchRequired()
  if (!ifMatchSatisfied(header, etagOf(id, version))) throw graphEtagMismatch()
}
