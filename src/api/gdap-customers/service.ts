// Delegated admin customers: the partner's customers with at least one active relationship, and the
// admin portals a partner user reaches them through.
import type { Kysely } from 'kysely'
import type { Database } from '../../db/schema.js'
import { gdapNotFound } from '../../errors.js'
import { grantsAccess, relationshipAt } from '../../gdap/lifecycle.js'
import { graphListLinks, odataPage, type ODataQuery } from '../../lib/odata.js'
import { createDelegatedCustomersRepository } from './repository.js'

const CUSTOMERS = 'tenantRelationships/delegatedAdminCustomers'

export function createDelegatedCustomersService (db: Kysely<Database>, publicBaseUrl: string) {
  const customers = createDelegatedCustomersRepository(db)

  async function activeCustomers (partnerTenantId: string, now: Date) {
    const byTenant = new Map<string, { '@odata.type': string, id: string, tenantId: string, displayName: string }>()
    for (const row of await customers.relationshipsWithCustomers(partnerTenantId)) {
      if (!row.customer_tenant_id || !grantsAccess(relationshipAt(row, now).status)) continue
      byTenant.set(row.customer_tenant_id, {
        '@odata.type': '#microsoft.graph.delegatedAdminCustomer',
        id: row.customer_tenant_id,
        tenantId: row.customer_tenant_id,
        displayName: row.customer_display_name ?? ''
      })
    }
    return [...byTenant.values()].sort((a, b) => a.displayName.localeCompare(b.displayName))
  }

  async function mustGet (partnerTenantId: string, customerId: string, now: Date) {
    const found = (await activeCustomers(partnerTenantId, now)).find((c) => c.id === customerId.toLowerCase())
    if (!found) throw gdapNotFound('delegatedAdminCustomer', customerId)
    return found
  }

  return {
    async list (partnerTenantId: string, query: ODataQuery, url: string, now: Date) {
      const fields = { displayName: (c: { displayName: string }) => c.displayName, tenantId: (c: { tenantId: string }) => c.tenantId }
      return odataPage(await activeCustomers(partnerTenantId, now), query, fields, graphListLinks(publicBaseUrl, CUSTOMERS, url))
    },

    get: mustGet,

    /** The admin centers a partner user opens for the customer. */
    async serviceManagementDetails (partnerTenantId: string, customerId: string, query: ODataQuery, url: string, now: Date) {
      const customer = await mustGet(partnerTenantId, customerId, now)
      const details = [
        ['Microsoft 365 admin center', `https://admin.microsoft.com/Partner/BeginClientSession.aspx?CTID=${customer.tenantId}`],
        ['Microsoft Entra admin center', `https://entra.microsoft.com/${customer.tenantId}`],
        ['Exchange admin center', `https://admin.exchange.microsoft.com/?landingpage=homepage&form=mac_sidebar&delegatedOrg=${customer.tenantId}`],
        ['Azure portal', `https://portal.azure.com/${customer.tenantId}`]
      ].map(([serviceName, serviceManagementUrl], i) => ({
        '@odata.type': '#microsoft.graph.delegatedAdminServiceManagementDetail',
        id: `${customer.tenantId}-${i + 1}`,
        serviceName: serviceName!,
        serviceManagementUrl: serviceManagementUrl!
      }))
      const entity = `${CUSTOMERS}('${customer.id}')/serviceManagementDetails`
      return odataPage(details, query, { serviceName: (d) => d.serviceName }, graphListLinks(publicBaseUrl, entity, url))
    }
  }
}
