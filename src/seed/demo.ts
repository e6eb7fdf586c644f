// Loads the demo data (src/seed/demo-data.ts) into an empty database, in one transaction.
import { sql, type Kysely, type Transaction } from 'kysely'
import type { Database } from '../db/schema.js'
import { hashSecret } from '../lib/secrets.js'
import { billingColumns } from '../routes/customers/service.js'
import {
  DEMO_CLIENT_SECRET, DEMO_CUSTOMER_USERS, DEMO_GROUPS, DEMO_PARTNERS, DEMO_RELATIONSHIPS, DEMO_SKUS, DEMO_USER_PASSWORD, demoAddress,
  TEST_TEST_PARTNER
} from './demo-data.js'

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
    await seedDirectories(trx, passwordHash)
    return true
  })
}

const DAY_MS = 86_400_000

/** Security groups, GDAP relationships in several states, customer users and their licenses. */
async function seedDirectories (trx: Transaction<Database>, passwordHash: string): Promise<void> {
  const now = Date.now()
  const daysAgo = (days: number) => new Date(now - days * DAY_MS)
  for (const group of DEMO_GROUPS) {
    await trx.insertInto('security_groups').values({ id: group.id, partner_tenant_id: TEST_TEST_PARTNER.id, display_name: group.displayName }).execute()
    await trx.insertInto('security_group_members').values(group.members.map((user_id) => ({ group_id: group.id, user_id }))).execute()
  }
  for (const r of DEMO_RELATIONSHIPS) {
    const customer = TEST_TEST_PARTNER.customers.find((c) => c.id === r.customerId)!
    const state = r.state
    const created = daysAgo(state.status === 'approvalPending' ? state.lockedDaysAgo + 1 : state.activatedDaysAgo + 1)
    await trx.insertInto('gdap_relationships').values({
      id: r.id,
      partner_tenant_id: TEST_TEST_PARTNER.id,
      display_name: r.displayName,
      duration: r.duration,
      customer_tenant_id: customer.id,
      customer_display_name: customer.companyName,
      roles: r.roles,
      auto_extend_duration: 'PT0S',
      status: state.status,
      created_at: created,
      last_modified_at: state.status === 'terminated' ? daysAgo(1) : created,
      lock_requested_at: state.status === 'approvalPending' ? daysAgo(state.lockedDaysAgo) : created,
      activated_at: state.status === 'approvalPending' ? null : daysAgo(state.activatedDaysAgo)
    }).execute()
    for (const a of r.assignments) {
      const at = daysAgo('activatedDaysAgo' in state ? state.activatedDaysAgo : 0)
      await trx.insertInto('gdap_access_assignments').values({
        id: a.id, relationship_id: r.id, group_id: a.groupId, roles: a.roles, created_at: at, last_modified_at: at
      }).execute()
    }
  }
  await trx.insertInto('customer_subscribed_skus').values(DEMO_SKUS.map((sku) => ({
    customer_id: sku.customerId,
    sku_id: sku.skuId,
    name: sku.name,
    sku_part_number: sku.skuPartNumber,
    target_type: 'User',
    license_group_id: sku.licenseGroupId,
    active_units: sku.seats,
    service_plans: JSON.stringify(sku.plans.map((plan, i) => ({
      id: `${sku.skuId.slice(0, 24)}${String(i + 1).padStart(12, '0')}`, serviceName: plan, displayName: plan, targetType: 'User'
    })))
  }))).execute()
  for (const user of DEMO_CUSTOMER_USERS) {
    await trx.insertInto('customer_users').values({
      id: user.id, customer_id: user.customerId, user_principal_name: user.userPrincipalName, display_name: user.displayName,
      first_name: user.firstName, last_name: user.lastName, usage_location: 'US', immutable_id: null, phone_number: null, password_hash: passwordHash
    }).execute()
    for (const skuId of user.licenses) {
      await trx.insertInto('customer_user_licenses').values({ customer_id: user.customerId, user_id: user.id, sku_id: skuId }).execute()
    }
    for (const roleId of user.roles) {
      await trx.insertInto('customer_directory_role_members').values({ customer_id: user.customerId, role_id: roleId, user_id: user.id }).execute()
    }
  }
}

async function hasPartnerTenants (db: Kysely<Database>): Promise<boolean> {
  return (await db.selectFrom('partner_tenants').select('id').limit(1).executeTakeFirst()) !== undefined
}
