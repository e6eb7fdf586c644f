// SQL of customer directories: users, directory role members, subscribed SKUs and licenses. The
// caller's access to the customer is settled by the auth hook; every query still names the customer.
import { sql, type Kysely, type Updateable } from 'kysely'
import type { CustomerUserRow, CustomerUsersTable, Database, NewCustomerUserRow, SubscribedSkuRow } from '../../db/schema.js'

export interface UserFilter { field: 'state' | 'user_principal_name' | 'display_name', value: string }
export type UserSortKey = [string, string]

/** Deleted users stay restorable (state inactive) for 30 days on the emulator clock, then are gone. */
export const SOFT_DELETE_DAYS = 30
const DAY_MS = 86_400_000

export function createCustomerUsersRepository (db: Kysely<Database>) {
  /** Users that exist at `now`: active ones, and deleted ones inside their 30 days. */
  const existing = (customerId: string, now: Date) => db.selectFrom('customer_users').selectAll()
    .where('customer_id', '=', customerId.toLowerCase())
    .where((eb) => eb.or([eb('soft_deleted_at', 'is', null), eb('soft_deleted_at', '>', new Date(now.getTime() - SOFT_DELETE_DAYS * DAY_MS))]))

  return {
    user (customerId: string, userId: string, now: Date): Promise<CustomerUserRow | undefined> {
      return existing(customerId, now).where('id', '=', userId.toLowerCase()).executeTakeFirst()
    },

    /** One page in UPN order, after `after`; the default view shows active users, the state filter the deleted ones. */
    listPage (customerId: string, size: number, after: UserSortKey | undefined, filter: UserFilter | undefined, now: Date) {
      let query = existing(customerId, now)
        .where('state', '=', filter?.field === 'state' ? filter.value as 'active' | 'inactive' : 'active')
        .orderBy('user_principal_name').orderBy('id').limit(size + 1)
      if (filter && filter.field !== 'state') {
        query = query.where(sql<boolean>`lower(${sql.ref(filter.field)}) like ${`${filter.value.toLowerCase().replace(/[\\%_]/g, '\\$&')}%`}`)
      }
      if (after) {
        query = query.where((eb) => eb.or([
          eb('user_principal_name', '>', after[0]),
          eb.and([eb('user_principal_name', '=', after[0]), eb('id', '>', after[1])])
        ]))
      }
      return query.execute()
    },

    insertUser (row: NewCustomerUserRow): Promise<CustomerUserRow> {
      return db.insertInto('customer_users').values(row).returningAll().executeTakeFirstOrThrow()
    },

    updateUser (id: string, changes: Updateable<CustomerUsersTable>): Promise<CustomerUserRow> {
      return db.updateTable('customer_users').set(changes).where('id', '=', id).returningAll().executeTakeFirstOrThrow()
    },

    async roleIdsOf (customerId: string, userId: string): Promise<string[]> {
      const rows = await db.selectFrom('customer_directory_role_members').select('role_id')
        .where('customer_id', '=', customerId).where('user_id', '=', userId).orderBy('role_id').execute()
      return rows.map((r) => r.role_id)
    },

    roleMembers (customerId: string, roleId: string) {
      return db.selectFrom('customer_directory_role_members as m').innerJoin('customer_users as u', 'u.id', 'm.user_id')
        .select(['u.id', 'u.display_name', 'u.user_principal_name'])
        .where('m.customer_id', '=', customerId.toLowerCase()).where('m.role_id', '=', roleId).where('u.state', '=', 'active')
        .orderBy('u.user_principal_name').execute()
    },

    async addRoleMember (customerId: string, roleId: string, userId: string): Promise<void> {
      await db.insertInto('customer_directory_role_members').values({ customer_id: customerId, role_id: roleId, user_id: userId })
        .onConflict((oc) => oc.doNothing()).execute()
    },

    /** False when the user did not hold the role. */
    async removeRoleMember (customerId: string, roleId: string, userId: string): Promise<boolean> {
      const removed = await db.deleteFrom('customer_directory_role_members')
        .where('customer_id', '=', customerId.toLowerCase()).where('role_id', '=', roleId).where('user_id', '=', userId.toLowerCase())
        .executeTakeFirst()
      return removed.numDeletedRows > 0n
    },

    subscribedSkus (customerId: string, groups: string[]): Promise<SubscribedSkuRow[]> {
      return db.selectFrom('customer_subscribed_skus').selectAll()
        .where('customer_id', '=', customerId.toLowerCase()).where('license_group_id', 'in', groups).orderBy('name').execute()
    },

    /** The customer's SKUs among `skuIds`, locked until the transaction ends, so that two updates cannot both take the last seat. */
    lockSkus (customerId: string, skuIds: string[]): Promise<SubscribedSkuRow[]> {
      return db.selectFrom('customer_subscribed_skus').selectAll()
        .where('customer_id', '=', customerId).where('sku_id', 'in', skuIds).orderBy('sku_id').forUpdate().execute()
    },

    /** Licenses held by active users, per SKU. */
    async consumedUnits (customerId: string, skuIds: string[]): Promise<Map<string, number>> {
      if (skuIds.length === 0) return new Map()
      const rows = await db.selectFrom('customer_user_licenses as l').innerJoin('customer_users as u', 'u.id', 'l.user_id')
        .select(['l.sku_id', (eb) => eb.fn.countAll<string>().as('used')])
        .where('l.customer_id', '=', customerId).where('l.sku_id', 'in', skuIds).where('u.state', '=', 'active')
        .groupBy('l.sku_id').execute()
      return new Map(rows.map((r) => [r.sku_id, Number(r.used)]))
    },

    licensesOf (userId: string, groups: string[]) {
      return db.selectFrom('customer_user_licenses as l')
        .innerJoin('customer_subscribed_skus as s', (j) => j.onRef('s.customer_id', '=', 'l.customer_id').onRef('s.sku_id', '=', 'l.sku_id'))
        .selectAll('s').select('l.excluded_plans')
        .where('l.user_id', '=', userId).where('s.license_group_id', 'in', groups).orderBy('s.name').execute()
    },

    async heldSkuIds (userId: string): Promise<Set<string>> {
      const rows = await db.selectFrom('customer_user_licenses').select('sku_id').where('user_id', '=', userId).execute()
      return new Set(rows.map((r) => r.sku_id))
    },

    async removeLicenses (userId: string, skuIds: string[]): Promise<void> {
      if (skuIds.length > 0) await db.deleteFrom('customer_user_licenses').where('user_id', '=', userId).where('sku_id', 'in', skuIds).execute()
    },

    async putLicense (license: { customerId: string, userId: string, skuId: string, excludedPlans: string[] }): Promise<void> {
      await db.insertInto('customer_user_licenses')
        .values({ customer_id: license.customerId, user_id: license.userId, sku_id: license.skuId, excluded_plans: license.excludedPlans })
        .onConflict((oc) => oc.columns(['user_id', 'sku_id']).doUpdateSet({ excluded_plans: license.excludedPlans })).execute()
    }
  }
}

export type CustomerUsersRepository = ReturnType<typeof createCustomerUsersRepository>
