// Reseller relationship request links and the partner's indirect relationships.
import type { Kysely } from 'kysely'
import type { Database } from '../../db/schema.js'
import { invalidRequest } from '../../errors.js'
import { ownValue } from '../../lib/ids.js'
import { collectionOf } from '../../schemas/common.js'
import { createRelationshipsRepository, type PartnerRelationshipRow } from './repository.js'
import type { PartnerRelationship, RelationshipRequestOptions } from './schemas.js'

/** Where Microsoft 365 admin center takes a customer's global admin to accept a partner (the page's sample link). */
const INVITATION = 'https://admin.microsoft.com/Adminportal/Home'

const TYPES: Readonly<Record<string, PartnerRelationship['relationshipType']>> = {
  isindirectcloudsolutionproviderof: 'is_indirect_cloud_solution_provider_of',
  is_indirect_cloud_solution_provider_of: 'is_indirect_cloud_solution_provider_of',
  isindirectresellerof: 'is_indirect_reseller_of',
  is_indirect_reseller_of: 'is_indirect_reseller_of'
}

function relationshipOf (row: PartnerRelationshipRow, type: PartnerRelationship['relationshipType']): PartnerRelationship {
  return {
    id: row.id,
    name: row.name,
    relationshipType: type,
    state: row.state,
    ...(row.mpnId ? { mpnId: row.mpnId } : {}),
    ...(row.location ? { location: row.location } : {}),
    attributes: { objectType: 'PartnerRelationship' }
  }
}

export function createRelationshipsService (db: Kysely<Database>) {
  const relationships = createRelationshipsRepository(db)

  return {
    /**
     * The invitation link carries the partner's tenant id. An indirect provider may ask for one of its
     * resellers (and a reseller name its provider): the link then names both, as Partner Center's do.
     */
    async relationshipRequest (partnerTenantId: string, options: RelationshipRequestOptions) {
      const query = new URLSearchParams({ invType: 'ResellerRelationship', partnerId: partnerTenantId })
      if (options.indirectResellerId) {
        const reseller = options.indirectResellerId.toLowerCase()
        if (!(await relationships.resellersOf(partnerTenantId)).some((r) => r.id === reseller)) {
          throw invalidRequest(`${options.indirectResellerId} is not an indirect reseller of the partner.`, ['indirectResellerId'])
        }
        query.set('invType', 'IndirectResellerRelationship')
        query.set('partnerId', reseller)
        query.set('indirectCSPId', partnerTenantId)
      } else if (options.indirectCloudSolutionProviderId) {
        const provider = options.indirectCloudSolutionProviderId.toLowerCase()
        if (!(await relationships.providersOf(partnerTenantId)).some((p) => p.id === provider)) {
          throw invalidRequest(`${options.indirectCloudSolutionProviderId} is not an indirect provider of the partner.`, ['indirectCloudSolutionProviderId'])
        }
        query.set('invType', 'IndirectResellerRelationship')
        query.set('indirectCSPId', provider)
      }
      query.set('msppId', '0')
      query.set('DAP', 'false')
      return { url: `${INVITATION}?${query.toString()}#/BillingAccounts/partner-invitation`, attributes: { objectType: 'RelationshipRequest' } }
    },

    /** IsIndirectCloudSolutionProviderOf: the provider's resellers (none for a direct partner); IsIndirectResellerOf: the reseller's providers. */
    async list (partnerTenantId: string, relationshipType: string, self: string) {
      const type = ownValue(TYPES, relationshipType.toLowerCase())
      if (!type) {
        throw invalidRequest('relationship_type must be IsIndirectCloudSolutionProviderOf or IsIndirectResellerOf.', ['relationship_type'])
      }
      const rows = type === 'is_indirect_cloud_solution_provider_of'
        ? await relationships.resellersOf(partnerTenantId)
        : await relationships.providersOf(partnerTenantId)
      return collectionOf(rows.map((row) => relationshipOf(row, type)), self)
    }
  }
}
