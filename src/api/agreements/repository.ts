// SQL of agreement confirmations. Agreements belong to the customer tenant; the service checks the
// customer is the caller's before it reads or writes any.
import type { Insertable, Kysely } from 'kysely'
import type { CustomerAgreementRow, CustomerAgreementsTable, Database } from '../../db/schema.js'

export function createAgreementsRepository (db: Kysely<Database>) {
  return {
    insert (row: Insertable<CustomerAgreementsTable>): Promise<CustomerAgreementRow> {
      return db.insertInto('customer_agreements').values(row).returningAll().executeTakeFirstOrThrow()
    },

    ofCustomer (customerId: string): Promise<CustomerAgreementRow[]> {
      return db.selectFrom('customer_agreements').selectAll().where('customer_id', '=', customerId.toLowerCase()).orderBy('created_at').execute()
    }
  }
}
