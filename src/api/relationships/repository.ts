// SQL of partner relationships: the indirect resellers of an indirect provider, and the providers of a
// reseller that is itself a partner tenant of the emulator. Every query names the caller's tenant.
import type { Kysely } from 'kysely'
import type { Database } from '../../db/schema.js'

export interface PartnerRelationshipRow { id: string, name: string, mpnId: string | null, location: string | null, state: string }

export function createRelationshipsRepository (db: Kysely<Database>) {
  return {
    /** The indirect resellers the provider works with, by name. */
    async resellersOf (providerTenantId: string): Promise<PartnerRelationshipRow[]> {
      const rows = await db.selectFrom('indirect_resellers').select(['reseller_tenant_id', 'name', 'mpn_id', 'location', 'state'])
        .where('partner_tenant_id', '=', providerTenantId).orderBy('name').orderBy('reseller_tenant_id').execute()
      return rows.map((r) => ({ id: r.reseller_tenant_id, name: r.name, mpnId: r.mpn_id, location: r.location, state: r.state }))
    },

    /** The indirect providers of a reseller (providers are partner tenants here; their location is their organization's country). */
    async providersOf (resellerTenantId: string): Promise<PartnerRelationshipRow[]> {
      const rows = await db.selectFrom('indirect_resellers as r').innerJoin('partner_tenants as t', 't.id', 'r.partner_tenant_id')
        .leftJoin('partner_profiles as p', 'p.partner_tenant_id', 't.id')
        .select(['t.id', 't.name', 'r.state', 'p.organization'])
        .where('r.reseller_tenant_id', '=', resellerTenantId).orderBy('t.name').orderBy('t.id').execute()
      return rows.map((r) => ({ id: r.id, name: r.name, mpnId: null, location: r.organization?.defaultAddress.country ?? null, state: r.state }))
    }
  }
}
