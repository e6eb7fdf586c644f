// Step 10 of the decision table: which GDAP roles a partner user holds in one customer tenant right
// now. A role counts only through an access assignment to a security group the user belongs to
// (stored membership, or the token's `groups` claim), inside a relationship with that customer whose
// status, derived from the clock at this moment, is active or expiring. Nothing is cached: a
// termination or an expiry takes effect on the very next request.
import type { DirectoryRepository } from '../directory/repository.js'
import { isGuid } from '../lib/ids.js'
import { assignmentAt, relationshipAt } from './lifecycle.js'
import type { GdapRepository } from './repository.js'

export interface GdapAccess {
  /** False when the customer is not one of the partner's (the caller gets a 404). */
  isCustomer: boolean
  /** Entra role template ids the user holds in the customer now. */
  roles: Set<string>
}

export interface GdapAccessQuery {
  partnerTenantId: string
  customerId: string
  userId: string
  /** The token's `groups` claim, as it came. */
  tokenGroups: unknown
  now: Date
}

export async function gdapAccess (directory: DirectoryRepository, gdap: GdapRepository, query: GdapAccessQuery): Promise<GdapAccess> {
  const roles = new Set<string>()
  const customer = await directory.customer(query.partnerTenantId, query.customerId)
  if (!customer) return { isCustomer: false, roles }
  const claimed = Array.isArray(query.tokenGroups) ? query.tokenGroups.filter(isGuid).map((g) => g.toLowerCase()) : []
  for (const { relationship, assignment } of await gdap.accessRows(query.partnerTenantId, customer.id, query.userId, claimed)) {
    if (assignmentAt(assignment, relationshipAt(relationship, query.now).status, query.now) === 'active') {
      for (const role of assignment.roles) roles.add(role)
    }
  }
  return { isCustomer: true, roles }
}
