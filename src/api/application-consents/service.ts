// Application consents: a partner consents one of its own applications (a control panel vendor's
// multi-customer app) in a customer's tenant, with the permissions it is granted there per resource
// application. The identity provider reads them: tokens for the customer's tenant are issued to a
// consented application only (src/idp/grants/consent.ts).
import type { Kysely } from 'kysely'
import { recordActivity } from '../../audit/record.js'
import type { ApplicationConsentRow, ApplicationGrant, Database } from '../../db/schema.js'
import { createDirectoryRepository } from '../../directory/repository.js'
import { consentExists, consentNotFound, customerNotFound, invalidRequest } from '../../errors.js'
import { createConsentsRepository } from './repository.js'
import type { CreateConsent } from './schemas.js'

/** A permission's name: Domain.ReadWrite.All, user_impersonation, Exchange.Manage. */
const PERMISSION = /^[A-Za-z0-9][A-Za-z0-9._-]{0,119}$/

export function createConsentsService (db: Kysely<Database>) {
  const consents = createConsentsRepository(db)
  const directory = createDirectoryRepository(db)

  /** The customer, which must be the caller's: another partner's does not exist for it. */
  async function requireCustomer (partnerTenantId: string, customerId: string): Promise<string> {
    const customer = await directory.customer(partnerTenantId, customerId)
    if (!customer) throw customerNotFound(customerId)
    return customer.id
  }

  return {
    async create (partnerTenantId: string, customerId: string, body: CreateConsent) {
      const customer = await requireCustomer(partnerTenantId, customerId)
      // The partner consents its own applications only; Partner Center knows no other tenant's.
      const app = await directory.app(partnerTenantId, body.applicationId)
      if (!app) {
        throw invalidRequest(`applicationId ${body.applicationId} is not an application registered in your partner tenant.`, [{ field: 'applicationId', message: 'unknown application' }])
      }
      const grants = JSON.stringify(grantsOf(body.applicationGrants))
      return db.transaction().execute(async (trx) => {
        const row = await createConsentsRepository(trx).insert({
          customer_id: customer, application_id: app.id, partner_tenant_id: partnerTenantId, display_name: body.displayName, grants
        })
        if (!row) throw consentExists(app.id, customer)
        const consent = consentOf(row)
        await recordActivity(trx, { partnerTenantId, customerId: customer, resourceType: 'application_consent', operationType: 'create_application_consent', newValue: consent })
        return consent
      })
    },

    async ofCustomer (partnerTenantId: string, customerId: string) {
      const customer = await requireCustomer(partnerTenantId, customerId)
      return (await consents.ofCustomer(partnerTenantId, customer)).map(consentOf)
    },

    async delete (partnerTenantId: string, customerId: string, applicationId: string): Promise<void> {
      const customer = await requireCustomer(partnerTenantId, customerId)
      await db.transaction().execute(async (trx) => {
        if (!await createConsentsRepository(trx).delete(partnerTenantId, customer, applicationId.toLowerCase())) throw consentNotFound(applicationId, customer)
        await recordActivity(trx, {
          partnerTenantId, customerId: customer, resourceType: 'application_consent', operationType: 'delete_application_consent', oldValue: { applicationId: applicationId.toLowerCase() }
        })
      })
    }
  }
}

/**
 * The grants as stored: one per resource application (ids in lower case), each scope list trimmed and
 * without repeats. A grant without a permission, a malformed one or a resource named twice is refused.
 */
function grantsOf (grants: CreateConsent['applicationGrants']): ApplicationGrant[] {
  const seen = new Set<string>()
  return grants.map((grant, i) => {
    const field = `applicationGrants[${i}]`
    const enterpriseApplicationId = grant.enterpriseApplicationId.toLowerCase()
    if (seen.has(enterpriseApplicationId)) {
      throw invalidRequest(`${field}.enterpriseApplicationId names ${enterpriseApplicationId} again: give each resource application one grant.`, [{ field: `${field}.enterpriseApplicationId`, message: 'repeated' }])
    }
    seen.add(enterpriseApplicationId)
    const permissions = [...new Set(grant.scope.split(',').map((p) => p.trim()).filter(Boolean))]
    const bad = permissions.find((p) => !PERMISSION.test(p))
    if (permissions.length === 0 || bad !== undefined) {
      throw invalidRequest(`${field}.scope must list permission names separated by commas (Directory.Read.All,User.Read.All)` +
        (bad === undefined ? '.' : `; '${bad}' is not one.`), [{ field: `${field}.scope`, message: 'not a list of permissions' }])
    }
    return { enterpriseApplicationId, scope: permissions.join(',') }
  })
}

function consentOf (row: ApplicationConsentRow) {
  return {
    applicationId: row.application_id,
    displayName: row.display_name,
    applicationGrants: row.grants,
    attributes: { objectType: 'ApplicationConsent' }
  }
}
