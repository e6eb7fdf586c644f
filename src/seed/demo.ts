// Loads the demo data (src/seed/demo-data.ts) into an empty database, in one transaction.
import { sql, type Kysely } from 'kysely'
import type { Database } from '../db/schema.js'
import { hashSecret } from '../lib/secrets.js'
import { billingColumns } from '../routes/customers/service.js'
import { DEMO_CLIENT_SECRET, DEMO_PARTNERS, DEMO_USER_PASSWORD, demoAddress } from './demo-data.js'

/** Seeds when no partner tenant exists yet; returns whether it did. */
export async function seedDemoDataIfEmpty (db: Kysely<Database>): Promise<boolean> {
  // Cheap check first: hashing the demo secrets costs tens of milliseconds on every start otherwise.
  if (await hasPartnerTenants(db)) return false
  const secretHash = await hashSecret(DEMO_CLIENT_SECRET)
  const passwordHash = await hashSecret(DEMO_USER_PASSWORD)
  return db.transaction().execute(async (trx) => {
    // Serialize concurrent starts on one database: only the first instance seeds.
    await sql`lock table partner_tenants in share row exclusive mode`.execute(trx)
    if (await hasPartnerTenants(trx)) return false
    for (const partner of DEMO_PARTNERS) {
      await trx.insertInto('partner_tenants').values({ id: partner.id, name: partner.name, default_domain: partner.domain }).execute()
      await trx.insertInto('partner_apps').values({
        id: partner.app.id, partner_tenant_id: partner.id, display_name: partner.app.displayName, secret_hash: secretHash
      }).execute()
      await trx.insertInto('partner_users').values(partner.users.map((u) => ({
        id: u.id, partner_tenant_id: partner.id, user_principal_name: u.userPrincipalName, display_name: u.displayName, roles: u.roles, password_hash: passwordHash
      }))).execute()
      await trx.insertInto('customers').values(partner.customers.map((c) => ({
        id: c.id,
        partner_tenant_id: partner.id,
        commerce_id: crypto.randomUUID(),
        company_name: c.companyName,
        domain: c.domain,
        organization_registration_number: null,
        associated_partner_id: null,
        billing_profile_id: crypto.randomUUID(),
        ...billingColumns({
          firstName: 'Demo', lastName: 'Admin', email: `billing@${c.domain}`, culture: 'en-US', language: 'en',
          companyName: c.companyName, defaultAddress: demoAddress(c)
        })
      }))).execute()
    }
    return true
  })
}

async function hasPartnerTenants (db: Kysely<Database>): Promise<boolean> {
  return (await db.selectFrom('partner_tenants').select('id').limit(1).executeTakeFirst()) !== undefined
}
