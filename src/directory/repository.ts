// SQL of the directory: partner tenants, their apps and users, their security groups, and the customer
// tenants each partner owns. Lookups by another partner's id find nothing.
import { sql, type Kysely } from 'kysely'
import type { Address, ApplicationGrant, Database } from '../db/schema.js'
import { GUID, isGuid } from '../lib/ids.js'

export interface Account { id: string, name: string }
export interface PartnerTenant extends Account { entraTrusted: boolean }
export interface AppAccount {
  id: string
  tenantId: string
  displayName: string
  secretHash: string | null
  /** A public client (a native or command-line app) has no secret and proves itself with PKCE. */
  publicClient: boolean
  /** Users of any partner tenant may sign in to it; otherwise only its own tenant's users. */
  multiTenant: boolean
  redirectUris: string[]
}
export interface UserAccount {
  id: string
  tenantId: string
  userPrincipalName: string
  displayName: string
  passwordHash: string | null
  federation: 'compatible' | 'incompatible' | null
  passwordChangedAt: Date
}
export type MfaPolicy = 'enforced' | 'on_request'
export interface OwnedCustomer { id: string, companyName: string, domain: string, billingAddress: Address }
/** A customer tenant as the identity provider sees it: an authority, owned by one partner. */
export interface CustomerTenant { id: string, partnerTenantId: string }
export interface Consent { displayName: string, grants: ApplicationGrant[] }
export interface SecurityGroup { id: string, displayName: string, members: string[] }

export function createDirectoryRepository (db: Kysely<Database>) {
  return {
    /** A partner tenant by id or default domain. */
    tenant (idOrDomain: string): Promise<Account | undefined> {
      return db.selectFrom('partner_tenants').select(['id', 'name'])
        .where((eb) => GUID.test(idOrDomain)
          ? eb('id', '=', idOrDomain.toLowerCase())
          : eb(sql<string>`lower(default_domain)`, '=', idOrDomain.toLowerCase()))
        .executeTakeFirst()
    },

    async partnerTenant (tenantId: string): Promise<PartnerTenant | undefined> {
      const row = await db.selectFrom('partner_tenants').select(['id', 'name', 'entra_trusted']).where('id', '=', tenantId).executeTakeFirst()
      return row && { id: row.id, name: row.name, entraTrusted: row.entra_trusted }
    },

    async setEntraTrust (tenantId: string, trusted: boolean): Promise<void> {
      await db.updateTable('partner_tenants').set({ entra_trusted: trusted }).where('id', '=', tenantId).execute()
    },

    /** An app registered in the tenant (any tenant with `tenantId` undefined); without an id, the tenant's first app. */
    async app (tenantId: string | undefined, appId?: string): Promise<AppAccount | undefined> {
      if (appId !== undefined && !GUID.test(appId)) return undefined
      let query = db.selectFrom('partner_apps').select(['id', 'partner_tenant_id', 'display_name', 'secret_hash', 'public_client', 'multi_tenant', 'redirect_uris'])
      if (tenantId) query = query.where('partner_tenant_id', '=', tenantId)
      query = appId ? query.where('id', '=', appId.toLowerCase()) : query.orderBy('created_at').orderBy('id')
      const row = await query.limit(1).executeTakeFirst()
      return row && {
        id: row.id,
        tenantId: row.partner_tenant_id,
        displayName: row.display_name,
        secretHash: row.secret_hash,
        publicClient: row.public_client,
        multiTenant: row.multi_tenant,
        redirectUris: row.redirect_uris
      }
    },

    async setRedirectUris (appId: string, redirectUris: string[]): Promise<void> {
      await db.updateTable('partner_apps').set({ redirect_uris: redirectUris }).where('id', '=', appId).execute()
    },

    async setMfaPolicy (tenantId: string, mfaPolicy: MfaPolicy): Promise<void> {
      await db.updateTable('partner_tenants').set({ mfa_policy: mfaPolicy }).where('id', '=', tenantId).execute()
    },

    async mfaPolicy (tenantId: string): Promise<MfaPolicy> {
      const row = await db.selectFrom('partner_tenants').select('mfa_policy').where('id', '=', tenantId).executeTakeFirstOrThrow()
      return row.mfa_policy
    },

    /** The tenant of the user with this user principal name (they are unique across tenants). */
    async tenantOfUser (userPrincipalName: string): Promise<Account | undefined> {
      return db.selectFrom('partner_users as u').innerJoin('partner_tenants as t', 't.id', 'u.partner_tenant_id').select(['t.id', 't.name'])
        .where(sql<string>`lower(u.user_principal_name)`, '=', userPrincipalName.toLowerCase()).executeTakeFirst()
    },

    /** The tenant id of a user, by object id. */
    async tenantOfUserId (userId: string): Promise<string | undefined> {
      return (await db.selectFrom('partner_users').select('partner_tenant_id').where('id', '=', userId).executeTakeFirst())?.partner_tenant_id
    },

    /** A user of the tenant by object id or user principal name. */
    async user (tenantId: string, idOrUpn: string): Promise<UserAccount | undefined> {
      const row = await db.selectFrom('partner_users')
        .select(['id', 'partner_tenant_id', 'user_principal_name', 'display_name', 'password_hash', 'federation', 'password_changed_at'])
        .where('partner_tenant_id', '=', tenantId)
        .where((eb) => GUID.test(idOrUpn)
          ? eb('id', '=', idOrUpn.toLowerCase())
          : eb(sql<string>`lower(user_principal_name)`, '=', idOrUpn.toLowerCase()))
        .executeTakeFirst()
      return row && {
        id: row.id,
        tenantId: row.partner_tenant_id,
        userPrincipalName: row.user_principal_name,
        displayName: row.display_name,
        passwordHash: row.password_hash,
        federation: row.federation,
        passwordChangedAt: row.password_changed_at
      }
    },

    /** A new password; refresh tokens issued before it stop working (the caller revokes them). */
    async setPassword (userId: string, passwordHash: string, at: Date): Promise<void> {
      await db.updateTable('partner_users').set({ password_hash: passwordHash, password_changed_at: at }).where('id', '=', userId).execute()
    },

    /** The stored role names of a partner user; undefined when the directory does not know the user. */
    async userRoles (tenantId: string, objectId: string): Promise<string[] | undefined> {
      const row = await db.selectFrom('partner_users').select('roles')
        .where('partner_tenant_id', '=', tenantId).where('id', '=', objectId).executeTakeFirst()
      return row?.roles
    },

    /** Every partner tenant with its apps and users, for the control plane's persona list. */
    async personas () {
      const tenants = await db.selectFrom('partner_tenants').select(['id', 'name', 'default_domain', 'entra_trusted', 'mfa_policy']).orderBy('name').execute()
      const apps = await db.selectFrom('partner_apps').select(['id', 'partner_tenant_id', 'display_name', 'public_client']).execute()
      const users = await db.selectFrom('partner_users as u').leftJoin('mfa_registrations as m', 'm.user_id', 'u.id')
        .select(['u.id', 'u.partner_tenant_id', 'u.user_principal_name', 'u.display_name', 'u.roles', 'u.federation', 'm.method'])
        .orderBy('u.user_principal_name').execute()
      return { tenants, apps, users }
    },

    /** A customer tenant of the partner (ids in any case); another partner's customer, or a former one, is not found. */
    async customer (partnerTenantId: string, customerId: string): Promise<OwnedCustomer | undefined> {
      if (!isGuid(customerId)) return undefined
      const row = await db.selectFrom('customers').select(['id', 'company_name', 'domain', 'billing_address'])
        .where('partner_tenant_id', '=', partnerTenantId).where('id', '=', customerId.toLowerCase())
        // A customer whose relationship with the partner ended is not the partner's any more.
        .where('removed_at', 'is', null).executeTakeFirst()
      return row && { id: row.id, companyName: row.company_name, domain: row.domain, billingAddress: row.billing_address }
    },

    /** A customer tenant by id or domain (any partner's: the identity provider serves every tenant). */
    async customerTenant (idOrDomain: string): Promise<CustomerTenant | undefined> {
      const byId = GUID.test(idOrDomain)
      if (!byId && !idOrDomain.includes('.')) return undefined
      const row = await db.selectFrom('customers').select(['id', 'partner_tenant_id'])
        .where((eb) => byId ? eb('id', '=', idOrDomain.toLowerCase()) : eb(sql<string>`lower(domain)`, '=', idOrDomain.toLowerCase()))
        .executeTakeFirst()
      return row && { id: row.id, partnerTenantId: row.partner_tenant_id }
    },

    /** The consent of an application in a customer tenant (the application consents API writes them). */
    async consent (customerId: string, appId: string): Promise<Consent | undefined> {
      const row = await db.selectFrom('application_consents').select(['display_name', 'grants'])
        .where('customer_id', '=', customerId).where('application_id', '=', appId).executeTakeFirst()
      return row && { displayName: row.display_name, grants: row.grants }
    },

    async securityGroups (tenantId: string): Promise<SecurityGroup[]> {
      const groups = await db.selectFrom('security_groups').select(['id', 'display_name'])
        .where('partner_tenant_id', '=', tenantId).orderBy('display_name').execute()
      const members = await db.selectFrom('security_group_members as m').innerJoin('security_groups as g', 'g.id', 'm.group_id')
        .select(['m.group_id', 'm.user_id']).where('g.partner_tenant_id', '=', tenantId).orderBy('m.user_id').execute()
      return groups.map((g) => ({ id: g.id, displayName: g.display_name, members: members.filter((m) => m.group_id === g.id).map((m) => m.user_id) }))
    },

    /** A security group of the partner tenant by id. */
    async securityGroup (tenantId: string, groupId: string): Promise<{ id: string, displayName: string } | undefined> {
      if (!isGuid(groupId)) return undefined
      const row = await db.selectFrom('security_groups').select(['id', 'display_name'])
        .where('partner_tenant_id', '=', tenantId).where('id', '=', groupId.toLowerCase()).executeTakeFirst()
      return row && { id: row.id, displayName: row.display_name }
    },

    async securityGroupNamed (tenantId: string, displayName: string): Promise<boolean> {
      const row = await db.selectFrom('security_groups').select('id')
        .where('partner_tenant_id', '=', tenantId).where('display_name', '=', displayName).executeTakeFirst()
      return row !== undefined
    },

    async insertSecurityGroup (group: { id: string, tenantId: string, displayName: string, members: readonly string[] }): Promise<void> {
      await db.insertInto('security_groups').values({ id: group.id, partner_tenant_id: group.tenantId, display_name: group.displayName }).execute()
      if (group.members.length > 0) {
        await db.insertInto('security_group_members').values(group.members.map((userId) => ({ group_id: group.id, user_id: userId }))).execute()
      }
    },

    async addGroupMember (groupId: string, userId: string): Promise<void> {
      await db.insertInto('security_group_members').values({ group_id: groupId, user_id: userId }).onConflict((oc) => oc.doNothing()).execute()
    },

    async removeGroupMember (groupId: string, userId: string): Promise<void> {
      await db.deleteFrom('security_group_members').where('group_id', '=', groupId).where('user_id', '=', userId).execute()
    }
  }
}

export type DirectoryRepository = ReturnType<typeof createDirectoryRepository>
