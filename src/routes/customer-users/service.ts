// Customer users, directory role members and licenses: rules, SQL and the mapping to Partner Center
// JSON. The caller's access to the customer (partner roles and GDAP roles) is settled by the auth
// hook before any of this runs; these functions still scope every query by customer.
import { sql, type Kysely, type Transaction } from 'kysely'
import type { CustomerUserRow, Database, ServicePlan, SubscribedSkuRow } from '../../db/schema.js'
import { customerUserNotFound, invalidProperty, invalidRequest, licenseQuotaExceeded } from '../../errors.js'
import { CUSTOMER_DIRECTORY_ROLES, entraRoleName, isEntraRoleId } from '../../identity/entra-roles.js'
import { parseJsonFilter } from '../../lib/paging.js'
import { hashSecret } from '../../lib/secrets.js'
import { link } from '../../schemas/common.js'
import type { CreateCustomerUser, LicenseUpdate, UpdateCustomerUser } from './schemas.js'

/** Deleted users stay restorable (state inactive) for 30 days on the emulator clock, then are gone. */
export const SOFT_DELETE_DAYS = 30
const DAY_MS = 86_400_000
const UNIQUE_VIOLATION = '23505'

export interface UserFilter { field: 'state' | 'user_principal_name' | 'display_name', value: string }
export type UserSortKey = [string, string]

type Db = Kysely<Database> | Transaction<Database>

export function customerUserOf (row: CustomerUserRow, password?: { password: string, forceChangePassword: boolean }) {
  return {
    id: row.id,
    ...(row.usage_location ? { usageLocation: row.usage_location } : {}),
    userPrincipalName: row.user_principal_name,
    ...(row.first_name ? { firstName: row.first_name } : {}),
    ...(row.last_name ? { lastName: row.last_name } : {}),
    displayName: row.display_name,
    ...(row.immutable_id ? { immutableId: row.immutable_id } : {}),
    ...(password ? { passwordProfile: password } : {}),
    ...(row.phone_number ? { phoneNumber: row.phone_number } : {}),
    lastDirectorySyncTime: null,
    userDomainType: 'managed' as const,
    state: row.state,
    ...(row.soft_deleted_at ? { softDeletionTime: row.soft_deleted_at.toISOString() } : {}),
    links: { self: link(`/customers/${row.customer_id}/users/${row.id}`) },
    attributes: { objectType: 'CustomerUser' }
  }
}

const productSkuOf = (sku: SubscribedSkuRow) => ({
  id: sku.sku_id, name: sku.name, skuPartNumber: sku.sku_part_number, targetType: sku.target_type, licenseGroupId: sku.license_group_id
})
const plansOf = (plans: ServicePlan[], status: string, excluded: readonly string[] = []) =>
  plans.filter((p) => !excluded.includes(p.id)).map((p) => ({ ...p, capabilityStatus: status }))

export function subscribedSkuOf (sku: SubscribedSkuRow, consumed: number) {
  const total = sku.active_units + sku.warning_units
  return {
    availableUnits: total - consumed,
    activeUnits: sku.active_units,
    consumedUnits: consumed,
    suspendedUnits: sku.suspended_units,
    totalUnits: total,
    warningUnits: sku.warning_units,
    productSku: productSkuOf(sku),
    servicePlans: plansOf(sku.service_plans, 'Success'),
    capabilityStatus: 'Enabled',
    attributes: { objectType: 'SubscribedSku' }
  }
}

/** `licenseGroupIds` given once, repeated, or not at all (group1 then). */
export function licenseGroupsOf (value: string | string[] | undefined): string[] {
  const groups = (Array.isArray(value) ? value : value ? value.split(',') : ['group1']).map((g) => g.trim().toLowerCase())
  const bad = groups.filter((g) => g !== 'group1' && g !== 'group2')
  if (bad.length > 0) throw invalidRequest(`licenseGroupIds must be group1 or group2, not ${bad.join(', ')}.`)
  return groups
}

export function parseUserFilter (raw: string | undefined): UserFilter | undefined {
  if (raw === undefined || raw === '') return undefined
  const { field, value, operator } = parseJsonFilter(raw, '{"Field":"UserState","Value":"Inactive","Operator":"equals"}')
  if (typeof value !== 'string' || value === '') throw invalidRequest('The filter Value must be a non-empty string.')
  if (field === 'userstate' && operator === 'equals' && ['active', 'inactive'].includes(value.toLowerCase())) {
    return { field: 'state', value: value.toLowerCase() }
  }
  if ((field === 'userprincipalname' || field === 'displayname') && operator === 'starts_with') {
    return { field: field === 'displayname' ? 'display_name' : 'user_principal_name', value }
  }
  throw invalidRequest('Supported filters: UserState equals Active|Inactive; UserPrincipalName or DisplayName starts_with.')
}

export const isUserFilter = (value: unknown): value is UserFilter =>
  value !== null && typeof value === 'object' && ['state', 'user_principal_name', 'display_name'].includes((value as UserFilter).field) &&
  typeof (value as UserFilter).value === 'string'

export function createCustomerUsersService (db: Kysely<Database>) {
  /** Users that exist at `now`: active ones, and deleted ones inside their 30 days. */
  const existing = (trx: Db, customerId: string, now: Date) => trx.selectFrom('customer_users').selectAll()
    .where('customer_id', '=', customerId.toLowerCase())
    .where((eb) => eb.or([eb('soft_deleted_at', 'is', null), eb('soft_deleted_at', '>', new Date(now.getTime() - SOFT_DELETE_DAYS * DAY_MS))]))

  async function mustFind (trx: Db, customerId: string, userId: string, now: Date, state?: 'active' | 'inactive') {
    const row = await existing(trx, customerId, now).where('id', '=', userId.toLowerCase()).executeTakeFirst()
    if (!row || (state && row.state !== state)) throw customerUserNotFound(userId)
    return row
  }

  async function consumedUnits (trx: Db, customerId: string, skuIds: string[]): Promise<Map<string, number>> {
    if (skuIds.length === 0) return new Map()
    const rows = await trx.selectFrom('customer_user_licenses as l').innerJoin('customer_users as u', 'u.id', 'l.user_id')
      .select(['l.sku_id', (eb) => eb.fn.countAll<string>().as('used')])
      .where('l.customer_id', '=', customerId).where('l.sku_id', 'in', skuIds).where('u.state', '=', 'active')
      .groupBy('l.sku_id').execute()
    return new Map(rows.map((r) => [r.sku_id, Number(r.used)]))
  }

  return {
    async create (customer: { id: string, domain: string }, body: CreateCustomerUser) {
      const domain = body.userPrincipalName.split('@')[1]!.toLowerCase()
      if (domain !== customer.domain.toLowerCase()) {
        throw invalidRequest(`userPrincipalName must be in the customer's domain ${customer.domain}.`, ['userPrincipalName'])
      }
      try {
        const row = await db.insertInto('customer_users').values({
          id: crypto.randomUUID(),
          customer_id: customer.id,
          user_principal_name: body.userPrincipalName,
          first_name: body.firstName ?? null,
          last_name: body.lastName ?? null,
          display_name: body.displayName,
          usage_location: body.usageLocation.toUpperCase(),
          immutable_id: body.immutableId ?? null,
          phone_number: body.phoneNumber ?? null,
          password_hash: await hashSecret(body.passwordProfile.password)
        }).returningAll().executeTakeFirstOrThrow()
        return customerUserOf(row, { password: body.passwordProfile.password, forceChangePassword: body.passwordProfile.forceChangePassword ?? true })
      } catch (error) {
        if ((error as { code?: string }).code === UNIQUE_VIOLATION) throw invalidProperty(`The userPrincipalName ${body.userPrincipalName} is already in use in this tenant.`, ['userPrincipalName'])
        throw error
      }
    },

    /** One page in UPN order; the default view shows active users, UserState Inactive the deleted ones. */
    async listPage (customerId: string, size: number, after: UserSortKey | undefined, filter: UserFilter | undefined, now: Date) {
      let query = existing(db, customerId, now)
        .where('state', '=', filter?.field === 'state' ? filter.value as 'active' | 'inactive' : 'active')
        .orderBy('user_principal_name').orderBy('id').limit(size + 1)
      if (filter && filter.field !== 'state') query = query.where(sql<boolean>`lower(${sql.ref(filter.field)}) like ${`${filter.value.toLowerCase().replace(/[\\%_]/g, '\\$&')}%`}`)
      if (after) query = query.where((eb) => eb.or([eb('user_principal_name', '>', after[0]), eb.and([eb('user_principal_name', '=', after[0]), eb('id', '>', after[1])])]))
      return query.execute()
    },

    async get (customerId: string, userId: string, now: Date) {
      return customerUserOf(await mustFind(db, customerId, userId, now, 'active'))
    },

    /** Partial update of an active user, a password reset, or (state active) the restore of a deleted one. */
    async update (customerId: string, userId: string, body: UpdateCustomerUser, now: Date) {
      return db.transaction().execute(async (trx) => {
        const row = await mustFind(trx, customerId, userId, now)
        if (row.state === 'inactive' && body.state !== 'active') throw customerUserNotFound(userId)
        const updated = await trx.updateTable('customer_users').set({
          ...(body.displayName !== undefined ? { display_name: body.displayName } : {}),
          ...(body.firstName !== undefined ? { first_name: body.firstName } : {}),
          ...(body.lastName !== undefined ? { last_name: body.lastName } : {}),
          ...(body.usageLocation !== undefined ? { usage_location: body.usageLocation.toUpperCase() } : {}),
          ...(body.phoneNumber !== undefined ? { phone_number: body.phoneNumber } : {}),
          ...(body.passwordProfile ? { password_hash: await hashSecret(body.passwordProfile.password) } : {}),
          ...(body.state === 'active' ? { state: 'active' as const, soft_deleted_at: null } : {}),
          version: row.version + 1
        }).where('id', '=', row.id).returningAll().executeTakeFirstOrThrow()
        return customerUserOf(updated, body.passwordProfile
          ? { password: body.passwordProfile.password, forceChangePassword: body.passwordProfile.forceChangePassword ?? true }
          : undefined)
      })
    },

    async softDelete (customerId: string, userId: string, now: Date): Promise<void> {
      const row = await mustFind(db, customerId, userId, now, 'active')
      await db.updateTable('customer_users').set({ state: 'inactive', soft_deleted_at: now, version: row.version + 1 }).where('id', '=', row.id).execute()
    },

    directoryRoles () {
      return CUSTOMER_DIRECTORY_ROLES.map((r) => ({ name: r.name, id: r.id, attributes: { objectType: 'DirectoryRole' } }))
    },

    async rolesOfUser (customerId: string, userId: string, now: Date) {
      const user = await mustFind(db, customerId, userId, now, 'active')
      const rows = await db.selectFrom('customer_directory_role_members').select('role_id')
        .where('customer_id', '=', user.customer_id).where('user_id', '=', user.id).orderBy('role_id').execute()
      return rows.map((r) => ({ name: entraRoleName(r.role_id), id: r.role_id, attributes: { objectType: 'DirectoryRole' } }))
    },

    async roleMembers (customerId: string, roleId: string) {
      const role = knownRole(roleId)
      const rows = await db.selectFrom('customer_directory_role_members as m').innerJoin('customer_users as u', 'u.id', 'm.user_id')
        .select(['u.id', 'u.display_name', 'u.user_principal_name'])
        .where('m.customer_id', '=', customerId.toLowerCase()).where('m.role_id', '=', role).where('u.state', '=', 'active')
        .orderBy('u.user_principal_name').execute()
      return rows.map((u) => userMemberOf(u, role))
    },

    async addRoleMember (customerId: string, roleId: string, userId: string, now: Date) {
      const role = knownRole(roleId)
      const user = await mustFind(db, customerId, userId, now, 'active')
      await db.insertInto('customer_directory_role_members').values({ customer_id: user.customer_id, role_id: role, user_id: user.id })
        .onConflict((oc) => oc.doNothing()).execute()
      return userMemberOf(user, role)
    },

    async removeRoleMember (customerId: string, roleId: string, userId: string): Promise<void> {
      const removed = await db.deleteFrom('customer_directory_role_members')
        .where('customer_id', '=', customerId.toLowerCase()).where('role_id', '=', knownRole(roleId)).where('user_id', '=', userId.toLowerCase())
        .executeTakeFirst()
      if (removed.numDeletedRows === 0n) throw customerUserNotFound(userId)
    },

    async subscribedSkus (customerId: string, groups: string[]) {
      const skus = await db.selectFrom('customer_subscribed_skus').selectAll()
        .where('customer_id', '=', customerId.toLowerCase()).where('license_group_id', 'in', groups).orderBy('name').execute()
      const used = await consumedUnits(db, customerId.toLowerCase(), skus.map((s) => s.sku_id))
      return skus.map((sku) => subscribedSkuOf(sku, used.get(sku.sku_id) ?? 0))
    },

    async licensesOfUser (customerId: string, userId: string, groups: string[], now: Date) {
      const user = await mustFind(db, customerId, userId, now, 'active')
      const rows = await db.selectFrom('customer_user_licenses as l')
        .innerJoin('customer_subscribed_skus as s', (j) => j.onRef('s.customer_id', '=', 'l.customer_id').onRef('s.sku_id', '=', 'l.sku_id'))
        .selectAll('s').select('l.excluded_plans')
        .where('l.user_id', '=', user.id).where('s.license_group_id', 'in', groups).orderBy('s.name').execute()
      return rows.map((sku) => ({
        servicePlans: plansOf(sku.service_plans, 'Assigned', sku.excluded_plans),
        productSku: productSkuOf(sku),
        attributes: { objectType: 'License' }
      }))
    },

    /**
     * Assigns and removes licenses in one transaction. The SKU rows are locked, so two concurrent
     * updates cannot both take the last seat; all SKUs must belong to one license group.
     */
    async updateLicenses (customerId: string, userId: string, body: LicenseUpdate, now: Date) {
      const assign = body.licensesToAssign ?? []
      const remove = (body.licensesToRemove ?? []).map((id) => id.toLowerCase())
      if (assign.length === 0 && remove.length === 0) throw invalidRequest('Name at least one license to assign or remove.')
      return db.transaction().execute(async (trx) => {
        const user = await mustFind(trx, customerId, userId, now, 'active')
        const wanted = [...new Set([...assign.map((l) => l.skuId.toLowerCase()), ...remove])]
        const skus = await trx.selectFrom('customer_subscribed_skus').selectAll()
          .where('customer_id', '=', user.customer_id).where('sku_id', 'in', wanted).orderBy('sku_id').forUpdate().execute()
        const missing = wanted.filter((id) => !skus.some((s) => s.sku_id === id))
        if (missing.length > 0) throw invalidRequest(`The customer has no subscription for the SKUs ${missing.join(', ')}.`, missing)
        if (new Set(skus.map((s) => s.license_group_id)).size > 1) {
          throw invalidRequest('All SKUs of one license update must belong to the same license group.')
        }
        if (remove.length > 0) {
          await trx.deleteFrom('customer_user_licenses').where('user_id', '=', user.id).where('sku_id', 'in', remove).execute()
        }
        const held = new Set((await trx.selectFrom('customer_user_licenses').select('sku_id').where('user_id', '=', user.id).execute()).map((r) => r.sku_id))
        const used = await consumedUnits(trx, user.customer_id, assign.map((l) => l.skuId.toLowerCase()))
        for (const license of assign) {
          const sku = skus.find((s) => s.sku_id === license.skuId.toLowerCase())!
          const excluded = license.excludedPlans ?? []
          if (!held.has(sku.sku_id) && (used.get(sku.sku_id) ?? 0) + 1 > sku.active_units + sku.warning_units) throw licenseQuotaExceeded(sku.name)
          await trx.insertInto('customer_user_licenses').values({ customer_id: user.customer_id, user_id: user.id, sku_id: sku.sku_id, excluded_plans: excluded })
            .onConflict((oc) => oc.columns(['user_id', 'sku_id']).doUpdateSet({ excluded_plans: excluded })).execute()
        }
        return {
          licensesToAssign: assign.map((l) => ({ skuId: l.skuId.toLowerCase(), ...(l.excludedPlans ? { excludedPlans: l.excludedPlans } : {}) })),
          licensesToRemove: remove,
          licenseWarnings: [],
          attributes: { objectType: 'LicenseUpdate' }
        }
      })
    }
  }
}

function knownRole (roleId: string): string {
  const id = roleId.toLowerCase()
  if (!isEntraRoleId(id)) throw invalidRequest(`${roleId} is not a directory role of the customer.`)
  return id
}

const userMemberOf = (user: { id: string, display_name: string, user_principal_name: string }, roleId: string) => ({
  displayName: user.display_name,
  userPrincipalName: user.user_principal_name,
  roleId,
  id: user.id,
  attributes: { objectType: 'UserMember' }
})
