// Loads the demo data (src/seed/demo-data.ts) into an empty database, in one transaction.
import type { Kysely } from 'kysely'
import type { Database } from '../db/schema.js'
import { billingColumns } from '../directory/customers.js'
import { hashSecret } from '../lib/secrets.js'
import {
  DEMO_CLIENT_SECRET, DEMO_CUSTOMER_USERS, DEMO_GROUPS, DEMO_PARTNERS, DEMO_PUBLIC_CLIENT, DEMO_REDIRECT_URIS, DEMO_RELATIONSHIPS, DEMO_SKUS, DEMO_USER_PASSWORD, demoAddress,
  TEST_TEST_PARTNER
} from './demo-data.js'
import { DEMO_INDIRECT_RESELLERS, demoLegalBusinessProfile, demoOrganizationProfile } from './demo-profiles.js'
import { createSeedRepository } from './repository.js'

type SeedRepository = ReturnType<typeof createSeedRepository>

/** Seeds when no partner tenant exists yet; returns whether it did. */
export async function seedDemoDataIfEmpty (db: Kysely<Database>): Promise<boolean> {
  // Cheap check first: hashing the demo secrets costs tens of milliseconds on every start otherwise.
  if (await createSeedRepository(db).hasPartnerTenants()) return false
  const secretHash = await hashSecret(DEMO_CLIENT_SECRET)
  const passwordHash = await hashSecret(DEMO_USER_PASSWORD)
  return db.transaction().execute(async (trx) => {
    const seed = createSeedRepository(trx)
    await seed.lockPartnerTenants()
    if (await seed.hasPartnerTenants()) return false
    for (const partner of DEMO_PARTNERS) {
      await seed.insert('partner_tenants', [{
        id: partner.id, name: partner.name, default_domain: partner.domain, mfa_policy: partner.mfaPolicy ?? 'on_request',
        integration_sandbox: partner.integrationSandbox ?? false
      }])
      await seed.insert('partner_profiles', [{
        partner_tenant_id: partner.id,
        organization: JSON.stringify(demoOrganizationProfile(partner)),
        legal_business: JSON.stringify(demoLegalBusinessProfile(partner))
      }])
      await seed.insert('indirect_resellers', (DEMO_INDIRECT_RESELLERS[partner.id] ?? []).map((r) => ({
        partner_tenant_id: partner.id, reseller_tenant_id: r.id, name: r.name, mpn_id: r.mpnId, location: r.location
      })))
      await seed.insert('partner_apps', [{
        id: partner.app.id, partner_tenant_id: partner.id, display_name: partner.app.displayName, secret_hash: secretHash, redirect_uris: DEMO_REDIRECT_URIS
      }])
      await seed.insert('partner_users', partner.users.map((u) => ({
        id: u.id,
        partner_tenant_id: partner.id,
        user_principal_name: u.userPrincipalName,
        display_name: u.displayName,
        roles: u.roles,
        password_hash: passwordHash,
        federation: u.federation ?? null
      })))
      const registered = partner.users.filter((u) => u.totpSecret)
      await seed.insert('mfa_registrations', registered.map((u) => ({ user_id: u.id, method: 'totp', secret: u.totpSecret!, registered_at: new Date(), last_step: 0 })))
      await seed.insert('customers', partner.customers.map((c) => ({
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
      })))
    }
    await seed.insert('partner_apps', [{
      id: DEMO_PUBLIC_CLIENT.id,
      partner_tenant_id: DEMO_PUBLIC_CLIENT.tenantId,
      display_name: DEMO_PUBLIC_CLIENT.displayName,
      secret_hash: null,
      public_client: true,
      multi_tenant: true,
      redirect_uris: DEMO_REDIRECT_URIS
    }])
    await seedDirectories(seed, passwordHash)
    return true
  })
}

const DAY_MS = 86_400_000

/** Security groups, GDAP relationships in several states, customer users and their licenses. */
async function seedDirectories (seed: SeedRepository, passwordHash: string): Promise<void> {
  const now = Date.now()
  const daysAgo = (days: number) => new Date(now - days * DAY_MS)
  for (const group of DEMO_GROUPS) {
    await seed.insert('security_groups', [{ id: group.id, partner_tenant_id: TEST_TEST_PARTNER.id, display_name: group.displayName }])
    await seed.insert('security_group_members', group.members.map((userId) => ({ group_id: group.id, user_id: userId })))
  }
  for (const r of DEMO_RELATIONSHIPS) {
    const customer = TEST_TEST_PARTNER.customers.find((c) => c.id === r.customerId)!
    const state = r.state
    const created = daysAgo(state.status === 'approvalPending' ? state.lockedDaysAgo + 1 : state.activatedDaysAgo + 1)
    await seed.insert('gdap_relationships', [{
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
    }])
    for (const a of r.assignments) {
      const at = daysAgo('activatedDaysAgo' in state ? state.activatedDaysAgo : 0)
      await seed.insert('gdap_access_assignments', [{
        id: a.id, relationship_id: r.id, group_id: a.groupId, roles: a.roles, created_at: at, last_modified_at: at
      }])
    }
  }
  await seed.insert('customer_subscribed_skus', DEMO_SKUS.map((sku) => ({
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
  })))
  for (const user of DEMO_CUSTOMER_USERS) {
    await seed.insert('customer_users', [{
      id: user.id, customer_id: user.customerId, user_principal_name: user.userPrincipalName, display_name: user.displayName,
      first_name: user.firstName, last_name: user.lastName, usage_location: 'US', immutable_id: null, phone_number: null, password_hash: passwordHash
    }])
    await seed.insert('customer_user_licenses', user.licenses.map((skuId) => ({ customer_id: user.customerId, user_id: user.id, sku_id: skuId })))
    await seed.insert('customer_directory_role_members', user.roles.map((roleId) => ({ customer_id: user.customerId, role_id: roleId, user_id: user.id })))
  }
}
