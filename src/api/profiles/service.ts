// The partner's organization and legal business profiles, mapped to Partner Center JSON. A tenant
// without a stored profile (one created by the control plane) gets one made from its name and domain.
import type { Kysely } from 'kysely'
import { recordActivity } from '../../audit/record.js'
import type { Address, Database, LegalBusinessProfileData, OrganizationProfileData } from '../../db/schema.js'
import { etagMismatch, partnerProfileNotFound } from '../../errors.js'
import { etagOf, ifMatchSatisfied } from '../../lib/etag.js'
import { link } from '../../schemas/common.js'
import { createProfilesRepository, type StoredProfiles } from './repository.js'
import type { UpdateLegalBusinessProfile, UpdateOrganizationProfile } from './schemas.js'

function organizationData (stored: StoredProfiles): OrganizationProfileData {
  return stored.organization ?? {
    companyName: stored.tenantName, defaultAddress: { country: 'US' }, email: `admin@${stored.domain}`, language: 'en', culture: 'en-US'
  }
}

function legalBusinessData (stored: StoredProfiles): LegalBusinessProfileData {
  return stored.legalBusiness ?? {
    companyName: stored.tenantName,
    address: { country: 'US' },
    primaryContact: { email: `admin@${stored.domain}` },
    companyApproverAddress: { country: 'US' },
    companyApproverEmail: `admin@${stored.domain}`,
    vettingStatus: 'authorized',
    vettingSubStatus: 'none'
  }
}

const organizationEtag = (stored: StoredProfiles) => etagOf(`${stored.tenantId}/organization`, stored.organizationVersion)

export function organizationProfileOf (stored: StoredProfiles) {
  return {
    id: stored.tenantId,
    ...organizationData(stored),
    tenantId: stored.tenantId,
    domain: stored.domain,
    profileType: 'OrganizationProfile' as const,
    links: { self: link('/profiles/organization') },
    attributes: { etag: organizationEtag(stored), objectType: 'OrganizationProfile' }
  }
}

export function legalBusinessProfileOf (stored: StoredProfiles) {
  return {
    ...legalBusinessData(stored),
    profileType: 'LegalBusinessProfile' as const,
    links: { self: link('/profiles/legalbusiness') },
    attributes: { etag: etagOf(`${stored.tenantId}/legalbusiness`, stored.legalBusinessVersion), objectType: 'LegalBusinessProfile' }
  }
}

/** The .NET SDK sends absent properties as null: they are dropped. */
function withoutNulls (input: Record<string, string | null | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(input).filter((e): e is [string, string] => typeof e[1] === 'string'))
}

/** An address as stored: no nulls, the country in upper case. */
const addressOf = (input: Record<string, string | null | undefined> & { country: string }): Address =>
  ({ ...withoutNulls(input), country: input.country.toUpperCase() })

/** The ETag a PUT names, in If-Match or else in the body's attributes; none means last write wins. */
const namedEtag = (ifMatch: string | undefined, body: { attributes?: { etag?: string | undefined } | undefined }) =>
  ifMatch ?? (body.attributes?.etag ? `"${body.attributes.etag}"` : undefined)

export function createProfilesService (db: Kysely<Database>) {
  const profiles = createProfilesRepository(db)

  async function mustFind (repo: typeof profiles, partnerTenantId: string, profile: string): Promise<StoredProfiles> {
    const stored = await repo.find(partnerTenantId)
    if (!stored) throw partnerProfileNotFound(profile)
    return stored
  }

  return {
    organization: async (partnerTenantId: string) => organizationProfileOf(await mustFind(profiles, partnerTenantId, 'organization')),

    legalBusiness: async (partnerTenantId: string) => legalBusinessProfileOf(await mustFind(profiles, partnerTenantId, 'legal business')),

    /** Replaces the organization profile, in one transaction with the version check. */
    async updateOrganization (partnerTenantId: string, ifMatch: string | undefined, body: UpdateOrganizationProfile) {
      return db.transaction().execute(async (trx) => {
        const repo = createProfilesRepository(trx)
        await repo.lock(partnerTenantId)
        const current = await mustFind(repo, partnerTenantId, 'organization')
        const etag = namedEtag(ifMatch, body)
        if (etag && !ifMatchSatisfied(etag, organizationEtag(current))) throw etagMismatch()
        const data: OrganizationProfileData = {
          companyName: body.companyName, defaultAddress: addressOf(body.defaultAddress), email: body.email, language: body.language, culture: body.culture
        }
        await repo.saveOrganization(partnerTenantId, data, current.organizationVersion + 1)
        const profile = organizationProfileOf({ ...current, organization: data, organizationVersion: current.organizationVersion + 1 })
        await recordActivity(trx, { partnerTenantId, resourceType: 'partner_profile', operationType: 'update_partner_organization_profile', oldValue: organizationProfileOf(current), newValue: profile })
        return profile
      })
    },

    /** Replaces the legal business profile; its vetting status stays Microsoft's. */
    async updateLegalBusiness (partnerTenantId: string, ifMatch: string | undefined, body: UpdateLegalBusinessProfile) {
      return db.transaction().execute(async (trx) => {
        const repo = createProfilesRepository(trx)
        await repo.lock(partnerTenantId)
        const current = await mustFind(repo, partnerTenantId, 'legal business')
        if (ifMatch && !ifMatchSatisfied(ifMatch, legalBusinessProfileOf(current).attributes.etag)) throw etagMismatch()
        const { vettingStatus, vettingSubStatus } = legalBusinessData(current)
        const data: LegalBusinessProfileData = {
          companyName: body.companyName,
          address: addressOf(body.address),
          primaryContact: withoutNulls(body.primaryContact),
          companyApproverAddress: addressOf(body.companyApproverAddress),
          companyApproverEmail: body.companyApproverEmail,
          vettingStatus,
          vettingSubStatus
        }
        await repo.saveLegalBusiness(partnerTenantId, data, current.legalBusinessVersion + 1)
        const profile = legalBusinessProfileOf({ ...current, legalBusiness: data, legalBusinessVersion: current.legalBusinessVersion + 1 })
        await recordActivity(trx, { partnerTenantId, resourceType: 'partner_profile', operationType: 'update_partner_legal_business_profile', oldValue: legalBusinessProfileOf(current), newValue: profile })
        return profile
      })
    }
  }
}
