// Customer users, directory role members and licenses: the rules and the mapping to Partner Center
// JSON. The caller's access to the customer (partner roles and GDAP roles) is settled by the auth
// hook before any of this runs.
import type { Kysely } from 'kysely'
import { recordActivity } from '../../audit/record.js'
import { isUniqueViolation } from '../../db/errors.js'
import type { CustomerUserRow, Database, ServicePlan, SubscribedSkuRow } from '../../db/schema.js'
import { CUSTOMER_DIRECTORY_ROLES, entraRoleName, isEntraRoleId } from '../../directory/entra-roles.js'
import { createDirectoryRepository } from '../../directory/repository.js'
import { customerNotFound, customerUserNotFound, invalidProperty, invalidRequest, licenseQuotaExceeded } from '../../errors.js'
import { parseJsonFilter, seekCollection, seekStart } from '../../lib/paging.js'
import { hashSecret } from '../../lib/secrets.js'
import { link } from '../../schemas/common.js'
import { createCustomerUsersRepository, type UserFilter, type UserSortKey } from './repository.js'
import type { CreateCustomerUser, LicenseUpdate, ListUsers, UpdateCustomerUser } from './schemas.js'

const DEFAULT_PAGE_SIZE = 100

export function createCustomerUsersService (db: Kysely<Database>) {
  const users = createCustomerUsersRepository(db)
  const directory = createDirectoryRepository(db)

  async function mustFind (repo: typeof users, customerId: string, userId: string, now: Date, state?: 'active' | 'inactive') {
    const row = await repo.user(customerId, userId, now)
    if (!row || (state && row.state !== state)) throw customerUserNotFound(userId)
    return row
  }

  return {
    /** The UPN must be in the customer's domain; the answer echoes the password profile once. */
    async create (partnerTenantId: string, customerId: string, body: CreateCustomerUser) {
      const customer = await directory.customer(partnerTenantId, customerId)
      if (!customer) throw customerNotFound(customerId)
      const domain = body.userPrincipalName.split('@')[1]!.toLowerCase()
      if (domain !== customer.domain.toLowerCase()) {
        throw invalidRequest(`userPrincipalName must be in the customer's domain ${customer.domain}.`, ['userPrincipalName'])
      }
      try {
        const row = await db.transaction().execute(async (trx) => {
          const inserted = await createCustomerUsersRepository(trx).insertUser({
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
          })
          await recordActivity(trx, {
            partnerTenantId, customerId: customer.id, resourceType: 'customer_user', operationType: 'create_customer_user', newValue: customerUserOf(inserted)
          })
          return inserted
        })
        return customerUserOf(row, { password: body.passwordProfile.password, forceChangePassword: body.passwordProfile.forceChangePassword ?? true })
      } catch (error) {
        if (isUniqueViolation(error)) {
          throw invalidProperty(`The userPrincipalName ${body.userPrincipalName} is already in use in this tenant.`, ['userPrincipalName'])
        }
        throw error
      }
    },

    /** One page in UPN order; the default view shows active users, UserState Inactive the deleted ones. */
    async list (customerId: string, query: ListUsers, continuationToken: string | undefined, self: string, now: Date) {
      const size = query.size || DEFAULT_PAGE_SIZE
      const { after, filter } = seekStart(query, continuationToken, { isKey: isSortKey, parseFilter: parseUserFilter, isFilter: isUserFilter })
      const rows = await users.listPage(customerId, size, after, filter, now)
      return seekCollection(rows, size, {
        keyOf: (row) => [row.user_principal_name, row.id],
        filter,
        item: (row) => customerUserOf(row),
        self,
        next: `/customers/${customerId}/users?size=${size}&seekOperation=Next`
      })
    },

    async get (customerId: string, userId: string, now: Date) {
      return customerUserOf(await mustFind(users, customerId, userId, now, 'active'))
    },

    /** Partial update of an active user, a password reset, or (state active) the restore of a deleted one. */
    async update (customerId: string, userId: string, body: UpdateCustomerUser, now: Date) {
      return db.transaction().execute(async (trx) => {
        const repo = createCustomerUsersRepository(trx)
        const row = await mustFind(repo, customerId, userId, now)
        if (row.state === 'inactive' && body.state !== 'active') throw customerUserNotFound(userId)
        const updated = await repo.updateUser(row.id, {
          ...(body.displayName !== undefined ? { display_name: body.displayName } : {}),
          ...(body.firstName !== undefined ? { first_name: body.firstName } : {}),
          ...(body.lastName !== undefined ? { last_name: body.lastName } : {}),
          ...(body.usageLocation !== undefined ? { usage_location: body.usageLocation.toUpperCase() } : {}),
          ...(body.phoneNumber !== undefined ? { phone_number: body.phoneNumber } : {}),
          ...(body.passwordProfile ? { password_hash: await hashSecret(body.passwordProfile.password) } : {}),
          ...(body.state === 'active' ? { state: 'active' as const, soft_deleted_at: null } : {}),
          version: row.version + 1
        })
        // The record never holds a password: the user before and after, without its password profile.
        const operationType = body.state === 'active' && row.state === 'inactive'
          ? 'restore_customer_user'
          : body.passwordProfile ? 'reset_customer_user_password' : 'update_customer_user'
        await recordActivity(trx, {
          customerId: row.customer_id, resourceType: 'customer_user', operationType, oldValue: customerUserOf(row), newValue: customerUserOf(updated)
        })
        return customerUserOf(updated, body.passwordProfile
          ? { password: body.passwordProfile.password, forceChangePassword: body.passwordProfile.forceChangePassword ?? true }
          : undefined)
      })
    },

    async softDelete (customerId: string, userId: string, now: Date): Promise<void> {
      await db.transaction().execute(async (trx) => {
        const repo = createCustomerUsersRepository(trx)
        const row = await mustFind(repo, customerId, userId, now, 'active')
        const deleted = await repo.updateUser(row.id, { state: 'inactive', soft_deleted_at: now, version: row.version + 1 })
        await recordActivity(trx, {
          customerId: row.customer_id, resourceType: 'customer_user', operationType: 'delete_customer_user', oldValue: customerUserOf(row), newValue: customerUserOf(deleted)
        })
      })
    },

    directoryRoles () {
      return CUSTOMER_DIRECTORY_ROLES.map((r) => directoryRoleOf(r.id))
    },

    async rolesOfUser (customerId: string, userId: string, now: Date) {
      const user = await mustFind(users, customerId, userId, now, 'active')
      return (await users.roleIdsOf(user.customer_id, user.id)).map(directoryRoleOf)
    },

    async roleMembers (customerId: string, roleId: string) {
      const role = knownRole(roleId)
      return (await users.roleMembers(customerId, role)).map((u) => userMemberOf(u, role))
    },

    async addRoleMember (customerId: string, roleId: string, userId: string, now: Date) {
      const role = knownRole(roleId)
      const user = await mustFind(users, customerId, userId, now, 'active')
      await users.addRoleMember(user.customer_id, role, user.id)
      return userMemberOf(user, role)
    },

    async removeRoleMember (customerId: string, roleId: string, userId: string): Promise<void> {
      if (!await users.removeRoleMember(customerId, knownRole(roleId), userId)) throw customerUserNotFound(userId)
    },

    async subscribedSkus (customerId: string, groups: string[]) {
      const skus = await users.subscribedSkus(customerId, groups)
      const used = await users.consumedUnits(customerId.toLowerCase(), skus.map((s) => s.sku_id))
      return skus.map((sku) => subscribedSkuOf(sku, used.get(sku.sku_id) ?? 0))
    },

    async licensesOfUser (customerId: string, userId: string, groups: string[], now: Date) {
      const user = await mustFind(users, customerId, userId, now, 'active')
      return (await users.licensesOf(user.id, groups)).map((sku) => ({
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
        const repo = createCustomerUsersRepository(trx)
        const user = await mustFind(repo, customerId, userId, now, 'active')
        const wanted = [...new Set([...assign.map((l) => l.skuId.toLowerCase()), ...remove])]
        const skus = await repo.lockSkus(user.customer_id, wanted)
        const missing = wanted.filter((id) => !skus.some((s) => s.sku_id === id))
        if (missing.length > 0) throw invalidRequest(`The customer has no subscription for the SKUs ${missing.join(', ')}.`, missing)
        if (new Set(skus.map((s) => s.license_group_id)).size > 1) {
          throw invalidRequest('All SKUs of one license update must belong to the same license group.')
        }
        await repo.removeLicenses(user.id, remove)
        const held = await repo.heldSkuIds(user.id)
        const used = await repo.consumedUnits(user.customer_id, assign.map((l) => l.skuId.toLowerCase()))
        for (const license of assign) {
          const sku = skus.find((s) => s.sku_id === license.skuId.toLowerCase())!
          if (!held.has(sku.sku_id) && (used.get(sku.sku_id) ?? 0) + 1 > sku.active_units + sku.warning_units) throw licenseQuotaExceeded(sku.name)
          await repo.putLicense({ customerId: user.customer_id, userId: user.id, skuId: sku.sku_id, excludedPlans: license.excludedPlans ?? [] })
        }
        const update = {
          licensesToAssign: assign.map((l) => ({ skuId: l.skuId.toLowerCase(), ...(l.excludedPlans ? { excludedPlans: l.excludedPlans } : {}) })),
          licensesToRemove: remove,
          licenseWarnings: [],
          attributes: { objectType: 'LicenseUpdate' }
        }
        await recordActivity(trx, {
          customerId: user.customer_id, resourceType: 'license', operationType: 'update_customer_user_licenses', newValue: update,
          customizedData: { UserId: user.id, UserPrincipalName: user.user_principal_name }
        })
        return update
      })
    }
  }
}

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

const directoryRoleOf = (id: string) => ({ name: entraRoleName(id), id, attributes: { objectType: 'DirectoryRole' } })

const productSkuOf = (sku: SubscribedSkuRow) => ({
  id: sku.sku_id, name: sku.name, skuPartNumber: sku.sku_part_number, targetType: sku.target_type, licenseGroupId: sku.license_group_id
})

const plansOf = (plans: ServicePlan[], status: string, excluded: readonly string[] = []) =>
  plans.filter((p) => !excluded.includes(p.id)).map((p) => ({ ...p, capabilityStatus: status }))

function subscribedSkuOf (sku: SubscribedSkuRow, consumed: number) {
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

const userMemberOf = (user: { id: string, display_name: string, user_principal_name: string }, roleId: string) => ({
  displayName: user.display_name,
  userPrincipalName: user.user_principal_name,
  roleId,
  id: user.id,
  attributes: { objectType: 'UserMember' }
})

function knownRole (roleId: string): string {
  const id = roleId.toLowerCase()
  if (!isEntraRoleId(id)) throw invalidRequest(`${roleId} is not a directory role of the customer.`)
  return id
}

/** `licenseGroupIds` given once, repeated, or not at all (group1 then). */
export function licenseGroupsOf (value: string | string[] | undefined): string[] {
  const groups = (Array.isArray(value) ? value : value ? value.split(',') : ['group1']).map((g) => g.trim().toLowerCase())
  const bad = groups.filter((g) => g !== 'group1' && g !== 'group2')
  if (bad.length > 0) throw invalidRequest(`licenseGroupIds must be group1 or group2, not ${bad.join(', ')}.`)
  return groups
}

const isSortKey = (v: unknown): v is UserSortKey => Array.isArray(v) && v.length === 2 && v.every((x) => typeof x === 'string')

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

const isUserFilter = (value: unknown): value is UserFilter =>
  value !== null && typeof value === 'object' && ['state', 'user_principal_name', 'display_name'].includes((value as UserFilter).field) &&
  typeof (value as UserFilter).value === 'string'
