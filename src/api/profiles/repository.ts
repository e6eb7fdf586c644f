// SQL of the partner's own profiles: one partner_profiles row per partner tenant, a JSON document and
// a version per profile. Every query names the caller's tenant.
import type { Kysely } from 'kysely'
import type { Database, LegalBusinessProfileData, OrganizationProfileData } from '../../db/schema.js'

export interface StoredProfiles {
  tenantId: string
  tenantName: string
  domain: string
  organization: OrganizationProfileData | null
  organizationVersion: number
  legalBusiness: LegalBusinessProfileData | null
  legalBusinessVersion: number
}

export type ProfileKind = 'organization' | 'legal_business'

export function createProfilesRepository (db: Kysely<Database>) {
  return {
    /** The tenant and its profiles (null where none was ever stored). */
    async find (partnerTenantId: string): Promise<StoredProfiles | undefined> {
      const row = await db.selectFrom('partner_tenants as t').leftJoin('partner_profiles as p', 'p.partner_tenant_id', 't.id')
        .select(['t.id', 't.name', 't.default_domain', 'p.organization', 'p.organization_version', 'p.legal_business', 'p.legal_business_version'])
        .where('t.id', '=', partnerTenantId).executeTakeFirst()
      return row && {
        tenantId: row.id,
        tenantName: row.name,
        domain: row.default_domain,
        organization: row.organization ?? null,
        organizationVersion: row.organization_version ?? 0,
        legalBusiness: row.legal_business ?? null,
        legalBusinessVersion: row.legal_business_version ?? 0
      }
    },

    /** Makes sure the tenant has a profiles row and locks it for the rest of the transaction (read-compare-write). */
    async lock (partnerTenantId: string): Promise<void> {
      await db.insertInto('partner_profiles').values({ partner_tenant_id: partnerTenantId })
        .onConflict((oc) => oc.column('partner_tenant_id').doNothing()).execute()
      await db.selectFrom('partner_profiles').select('partner_tenant_id').where('partner_tenant_id', '=', partnerTenantId).forUpdate().execute()
    },

    async saveOrganization (partnerTenantId: string, profile: OrganizationProfileData, version: number): Promise<void> {
      await db.updateTable('partner_profiles').set({ organization: JSON.stringify(profile), organization_version: version, updated_at: new Date() })
        .where('partner_tenant_id', '=', partnerTenantId).execute()
    },

    async saveLegalBusiness (partnerTenantId: string, profile: LegalBusinessProfileData, version: number): Promise<void> {
      await db.updateTable('partner_profiles').set({ legal_business: JSON.stringify(profile), legal_business_version: version, updated_at: new Date() })
        .where('partner_tenant_id', '=', partnerTenantId).execute()
    }
  }
}
