// Customer rules and the mapping from rows to Partner Center JSON.
import type { Kysely } from 'kysely'
import { recordActivity } from '../../audit/record.js'
import type { CustomerRow, Database } from '../../db/schema.js'
import { isUniqueViolation } from '../../db/errors.js'
import { billingColumns } from '../../directory/customers.js'
import { customerHasOpenSubscriptions, customerNotFound, domainTaken, etagMismatch, ifMatchRequired, invalidRequest, sandboxOnly } from '../../errors.js'
import { etagOf, ifMatchSatisfied } from '../../lib/etag.js'
import { ownValue } from '../../lib/ids.js'
import { parseJsonFilter, seekCollection, seekStart } from '../../lib/paging.js'
import { generatePassword } from '../../lib/secrets.js'
import { link } from '../../schemas/common.js'
import { createCustomersRepository, type CustomerFilter, type CustomerSortKey } from './repository.js'
import type { CreateCustomer, Customer, ListCustomers, UpdateBillingProfile, UpdateCustomer } from './schemas.js'

const DEFAULT_PAGE_SIZE = 100

export function companyProfileOf (row: CustomerRow) {
  return {
    tenantId: row.id,
    domain: row.domain,
    companyName: row.company_name,
    ...(row.organization_registration_number ? { organizationRegistrationNumber: row.organization_registration_number } : {}),
    links: { self: link(`/customers/${row.id}/profiles/company`) },
    attributes: { objectType: 'CustomerCompanyProfile' }
  }
}

export const billingEtagOf = (row: CustomerRow) => etagOf(row.billing_profile_id, row.billing_version)

export function billingProfileOf (row: CustomerRow) {
  return {
    id: row.billing_profile_id,
    ...(row.billing_first_name ? { firstName: row.billing_first_name } : {}),
    ...(row.billing_last_name ? { lastName: row.billing_last_name } : {}),
    email: row.billing_email,
    culture: row.billing_culture,
    language: row.billing_language,
    companyName: row.billing_company_name,
    defaultAddress: row.billing_address,
    links: { self: link(`/customers/${row.id}/profiles/billing`) },
    attributes: { etag: billingEtagOf(row), objectType: 'CustomerBillingProfile' }
  }
}

/** The list shape carries a trimmed company profile; get-by-id adds the billing profile and allowDelegatedAccess. */
export function customerOf (row: CustomerRow, detail: boolean): Customer {
  const { tenantId, domain, companyName, links, attributes } = companyProfileOf(row)
  return {
    id: row.id,
    commerceId: row.commerce_id,
    companyProfile: detail ? companyProfileOf(row) : { tenantId, domain, companyName, links, attributes },
    ...(detail ? { billingProfile: billingProfileOf(row), allowDelegatedAccess: row.allow_delegated_access } : {}),
    relationshipToPartner: row.relationship_to_partner as Customer['relationshipToPartner'],
    ...(row.associated_partner_id ? { associatedPartnerId: row.associated_partner_id } : {}),
    links: { self: link(`/customers/${row.id}`) },
    attributes: { objectType: 'Customer' }
  }
}

export function createCustomersService (db: Kysely<Database>) {
  const customers = createCustomersRepository(db)

  async function mustFind (partnerTenantId: string, customerId: string): Promise<CustomerRow> {
    const row = await customers.findById(partnerTenantId, customerId)
    if (!row) throw customerNotFound(customerId)
    return row
  }

  return {
    async create (partnerTenantId: string, body: CreateCustomer): Promise<Customer> {
      const domain = body.companyProfile.domain.toLowerCase()
      if (await customers.domainExists(domain)) throw domainTaken(domain)
      let row: CustomerRow
      try {
        row = await db.transaction().execute(async (trx) => {
          const inserted = await createCustomersRepository(trx).insert({
            id: crypto.randomUUID(),
            partner_tenant_id: partnerTenantId,
            commerce_id: crypto.randomUUID(),
            company_name: body.companyProfile.companyName ?? body.billingProfile.companyName,
            domain,
            organization_registration_number: body.companyProfile.organizationRegistrationNumber ?? null,
            associated_partner_id: body.associatedPartnerId ?? null,
            billing_profile_id: crypto.randomUUID(),
            ...billingColumns(body.billingProfile)
          })
          await recordActivity(trx, {
            partnerTenantId, customerId: inserted.id, customerName: inserted.company_name, resourceType: 'customer', operationType: 'add_customer',
            newValue: customerOf(inserted, true),
            events: [{ name: 'customer-created', resourcePath: `/v1/customers/${inserted.id}`, resourceName: 'customer' }]
          })
          return inserted
        })
      } catch (error) {
        // Two creates racing for one domain: the unique index decides.
        if (isUniqueViolation(error)) throw domainTaken(domain)
        throw error
      }
      return { ...customerOf(row, true), userCredentials: { userName: 'admin', password: generatePassword() } }
    },

    /** One page of the partner's customers in company-name order; `continuationToken` asks for the page after. */
    async list (partnerTenantId: string, query: ListCustomers, continuationToken: string | undefined, self: string) {
      const size = query.size || DEFAULT_PAGE_SIZE
      const { after, filter } = seekStart(query, continuationToken, { isKey: isSortKey, parseFilter: parseCustomerFilter, isFilter: isCustomerFilter })
      const rows = await customers.listPage(partnerTenantId, size, after, filter)
      return seekCollection(rows, size, {
        keyOf: (row) => [row.company_name, row.id],
        filter,
        item: (row) => customerOf(row, false),
        self,
        next: `/customers?size=${size}&seekOperation=Next`
      })
    },

    async get (partnerTenantId: string, customerId: string): Promise<Customer> {
      return customerOf(await mustFind(partnerTenantId, customerId), true)
    },

    async companyProfile (partnerTenantId: string, customerId: string) {
      return companyProfileOf(await mustFind(partnerTenantId, customerId))
    },

    async billingProfile (partnerTenantId: string, customerId: string) {
      return billingProfileOf(await mustFind(partnerTenantId, customerId))
    },

    /** Replaces the billing profile when If-Match names its current ETag (read, compare and write in one transaction). */
    async updateBillingProfile (partnerTenantId: string, customerId: string, ifMatch: string | undefined, profile: UpdateBillingProfile) {
      if (!ifMatch) throw ifMatchRequired()
      return db.transaction().execute(async (trx) => {
        const repo = createCustomersRepository(trx)
        const current = await repo.findByIdForUpdate(partnerTenantId, customerId)
        if (!current) throw customerNotFound(customerId)
        if (!ifMatchSatisfied(ifMatch, billingEtagOf(current))) throw etagMismatch()
        const updated = billingProfileOf(await repo.updateBillingProfile(partnerTenantId, customerId, billingColumns(profile)))
        await recordActivity(trx, {
          partnerTenantId, customerId: current.id, customerName: current.company_name, resourceType: 'customer',
          operationType: 'update_customer_billing_profile', oldValue: billingProfileOf(current), newValue: updated
        })
        return updated
      })
    },

    /**
     * PATCH relationshipToPartner none: ends the reseller relationship once no Azure reservation is left
     * and every subscription is suspended or cancelled (the page's prerequisites). The customer row
     * stays; the partner finds it no more.
     */
    async removeRelationship (partnerTenantId: string, customerId: string, body: UpdateCustomer, now: Date): Promise<Customer> {
      if (body.relationshipToPartner.toLowerCase() !== 'none') {
        throw invalidRequest('relationshipToPartner can only be set to none (removing the reseller relationship).', ['relationshipToPartner'])
      }
      return db.transaction().execute(async (trx) => {
        const repo = createCustomersRepository(trx)
        const current = await repo.findByIdForUpdate(partnerTenantId, customerId)
        if (!current) throw customerNotFound(customerId)
        const open = await repo.openSubscriptions(current.id)
        const reservations = open.filter((s) => s.kind === 'reservation')
        if (reservations.length > 0) {
          throw customerHasOpenSubscriptions('All Azure Reserved VM Instance orders must be cancelled before a reseller relationship is removed.', reservations.map((s) => s.id))
        }
        const active = open.filter((s) => s.status === 'active')
        if (active.length > 0) {
          throw customerHasOpenSubscriptions('All active subscriptions must be suspended before a reseller relationship is removed.', active.map((s) => s.id))
        }
        const removed = customerOf(await repo.remove(partnerTenantId, current.id, now, false), true)
        await recordActivity(trx, {
          partnerTenantId, customerId: current.id, customerName: current.company_name, resourceType: 'customer', operationType: 'remove_partner_customer_relationship', newValue: removed
        })
        return removed
      })
    },

    /**
     * DELETE from an integration sandbox account: Azure reservations and software purchases must be
     * cancelled first. The customer is gone for the partner and its domain is free; the row stays for
     * the history that refers to it.
     */
    async deleteFromSandbox (partnerTenantId: string, customerId: string, now: Date): Promise<void> {
      await db.transaction().execute(async (trx) => {
        const repo = createCustomersRepository(trx)
        if (!await repo.isIntegrationSandbox(partnerTenantId)) throw sandboxOnly()
        const current = await repo.findByIdForUpdate(partnerTenantId, customerId)
        if (!current) throw customerNotFound(customerId)
        const blocking = (await repo.openSubscriptions(current.id)).filter((s) => s.kind !== 'other')
        if (blocking.length > 0) {
          throw customerHasOpenSubscriptions('All Azure Reserved VM Instances and software purchases must be cancelled before the customer is deleted.', blocking.map((s) => s.id))
        }
        await repo.remove(partnerTenantId, current.id, now, true)
        await recordActivity(trx, { partnerTenantId, customerId: current.id, customerName: current.company_name, resourceType: 'customer', operationType: 'delete_customer' })
      })
    },

    /** Domains are one namespace across partners: any partner's customer takes one. */
    domainExists: (domain: string) => customers.domainExists(domain)
  }
}

const isSortKey = (v: unknown): v is CustomerSortKey => Array.isArray(v) && v.length === 2 && v.every((x) => typeof x === 'string')

const FILTER_FIELDS: Record<string, CustomerFilter['field']> = {
  companyname: 'company_name',
  displayname: 'company_name',
  domain: 'domain',
  defaultdomainname: 'domain'
}

/** Parses the customers `filter` query: URL-encoded JSON with Field, Value and Operator (only starts_with). */
export function parseCustomerFilter (raw: string | undefined): CustomerFilter | undefined {
  if (raw === undefined || raw === '') return undefined
  const { field: name, value, operator } = parseJsonFilter(raw, '{"Field":"CompanyName","Value":"...","Operator":"starts_with"}')
  const field = ownValue(FILTER_FIELDS, name)
  if (!field) throw invalidRequest('The filter Field must be CompanyName or Domain.')
  if (typeof value !== 'string' || value === '') throw invalidRequest('The filter Value must be a non-empty string.')
  if (operator !== 'starts_with') throw invalidRequest('Only the starts_with filter operator is supported for customers.')
  return { field, prefix: value }
}

export const isCustomerFilter = (value: unknown): value is CustomerFilter =>
  value !== null && typeof value === 'object' && ['company_name', 'domain'].includes((value as CustomerFilter).field) &&
  typeof (value as CustomerFilter).prefix === 'string'
