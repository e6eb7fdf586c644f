// Step 10 of the decision table: which GDAP roles a partner user holds in one customer tenant right
// now. A role counts only through an access assignment to a security group the user belongs to
// (stored membership, or the token's `groups` claim), inside a relationship with that customer whose
// status, derived from the clock at this moment, is active or expiring. Nothing is cached: a
// termination or an expiry takes effect on the very next request.
import type { Kysely } from 'kysely'
import type { Database } from '../db/schema.js'
import { isGuid } from '../lib/ids.js'
import { assignmentAt, relationshipAt } from '../routes/gdap/lifecycle.js'

export interface GdapAccess {
  /** False when the customer is not one of the partner's (the caller gets a 404). */
  isCustomer: boolean
  /** Entra role template ids the user holds in the customer now. */
  roles: Set<string>
}

export async function gdapAccess (db: Kysely<Database>, partnerTenantId: string, customerId: string, userId: string, tokenGroups: unknown, now: Date): Promise<GdapAccess> {
  const roles = new Set<string>()
  if (!isGuid(customerId)) return { isCustomer: false, roles }
  const customer = await db.selectFrom('customers').select('id')
    .where('partner_tenant_id', '=', partnerTenantId).where('id', '=', customerId.toLowerCase()).executeTakeFirst()
  if (!customer) return { isCustomer: false, roles }

  const claimed = Array.isArray(tokenGroups) ? tokenGroups.filter(isGuid).map((g) => g.toLowerCase()) : []
  const rows = await db.selectFrom('gdap_access_assignments as a')
    .innerJoin('gdap_relationships as r', 'r.id', 'a.relationship_id')
    .selectAll('r')
    .select(['a.id as assignment_id', 'a.group_id', 'a.roles as assignment_roles', 'a.created_at as assignment_created_at',
      'a.last_modified_at as assignment_modified_at', 'a.delete_requested_at', 'a.version as assignment_version'])
    .where('r.partner_tenant_id', '=', partnerTenantId)
    .where('r.customer_tenant_id', '=', customer.id)
    .where('a.delete_requested_at', 'is', null)
    .where((eb) => eb.or([
      eb('a.group_id', 'in', eb.selectFrom('security_group_members as m')
        .innerJoin('security_groups as g', 'g.id', 'm.group_id')
        .select('m.group_id')
        .where('m.user_id', '=', userId).where('g.partner_tenant_id', '=', partnerTenantId)),
      ...(claimed.length > 0 ? [eb('a.group_id', 'in', claimed)] : [])
    ]))
    .execute()
  for (const row of rows) {
    const relationship = relationshipAt(row, now).status
    const assignment = assignmentAt({
      id: row.assignment_id, relationship_id: row.id, group_id: row.group_id, roles: row.assignment_roles,
      created_at: row.assignment_created_at, last_modified_at: row.assignment_modified_at,
      delete_requested_at: row.delete_requested_at, version: row.assignment_version
    }, relationship, now)
    if (assignment === 'active') for (const role of row.assignment_roles) roles.add(role)
  }
  return { isCustomer: true, roles }
}
