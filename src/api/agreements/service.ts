// Agreements: the Microsoft Customer Agreement templates (from the seed catalog) and a customer's
// confirmations of them, which new-commerce purchases require.
import type { Kysely } from 'kysely'
import { recordActivity } from '../../audit/record.js'
import { agreementTemplates } from '../../catalog/catalog.js'
import { customerMarket } from '../../catalog/customer-market.js'
import { MCA } from '../../commerce/purchase.js'
import type { CustomerAgreementRow, Database } from '../../db/schema.js'
import { createDirectoryRepository } from '../../directory/repository.js'
import { invalidRequest } from '../../errors.js'
import { instantOf } from '../../lib/dates.js'
import { createAgreementsRepository } from './repository.js'
import type { CreateAgreement } from './schemas.js'

export function createAgreementsService (db: Kysely<Database>) {
  const agreements = createAgreementsRepository(db)
  const directory = createDirectoryRepository(db)
  const linkOf = (templateId: string) => agreementTemplates().find((a) => a.templateId === templateId)?.agreementLink ?? ''

  return {
    /** The templates of one agreement type (`*` or none: all). */
    templates (agreementType: string | undefined) {
      const items = agreementTemplates()
        .filter((a) => !agreementType || agreementType === '*' || a.agreementType.toLowerCase() === agreementType.toLowerCase())
      return items.map((a) => ({ ...a, attributes: { objectType: 'AgreementMetaData' } }))
    },

    /** Records the customer's acceptance, by the calling user, of a known template. */
    async confirm (partnerTenantId: string, customerId: string, body: CreateAgreement, userId: string) {
      await customerMarket(directory, partnerTenantId, customerId)
      const template = agreementTemplates().find((a) => a.templateId.toLowerCase() === body.templateId.toLowerCase())
      if (!template || body.type.toLowerCase() !== MCA.toLowerCase()) {
        const example = `${template?.templateId ?? agreementTemplates()[0]!.templateId}, ${MCA}`
        throw invalidRequest(`templateId and type must name a known agreement template (GET /v1/agreements): ${example}.`)
      }
      const dateAgreed = instantOf(body.dateAgreed)
      if (!dateAgreed) throw invalidRequest(`dateAgreed is not a date: ${body.dateAgreed}.`, [{ field: 'body.dateAgreed', message: 'not a date' }])
      return db.transaction().execute(async (trx) => {
        const row = await createAgreementsRepository(trx).insert({
          id: crypto.randomUUID(),
          customer_id: customerId.toLowerCase(),
          agreement_type: MCA,
          template_id: template.templateId,
          date_agreed: dateAgreed,
          primary_contact: JSON.stringify(body.primaryContact),
          user_id: userId
        })
        const agreement = agreementOf(row, template.agreementLink)
        await recordActivity(trx, { partnerTenantId, customerId: row.customer_id, resourceType: 'agreement', operationType: 'create_customer_agreement', newValue: agreement })
        return agreement
      })
    },

    async ofCustomer (partnerTenantId: string, customerId: string) {
      await customerMarket(directory, partnerTenantId, customerId)
      return (await agreements.ofCustomer(customerId)).map((row) => agreementOf(row, linkOf(row.template_id)))
    }
  }
}

function agreementOf (row: CustomerAgreementRow, agreementLink: string) {
  return {
    userId: row.user_id,
    primaryContact: row.primary_contact as { firstName: string, lastName: string, email: string, phoneNumber?: string },
    dateAgreed: row.date_agreed.toISOString(),
    templateId: row.template_id,
    type: row.agreement_type,
    agreementLink,
    attributes: { objectType: 'Agreement' }
  }
}
