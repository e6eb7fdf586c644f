// Lookups of the dev identity provider's accounts: tenants, apps and users of partner tenants.
import type { Kysely } from 'kysely'
import { sql } from 'kysely'
import type { Database } from '../db/schema.js'
import { ApiError } from '../errors.js'
import { GUID } from '../lib/ids.js'

export interface Account { id: string, name: string }
export interface AppAccount { id: string, displayName: string, secretHash: string | null }
export interface UserAccount { id: string, userPrincipalName: string, displayName: string, passwordHash: string | null }

/** A partner tenant by id or default domain. */
export async function findTenant (db: Kysely<Database>, idOrDomain: string): Promise<Account | undefined> {
  const row = await db.selectFrom('partner_tenants').select(['id', 'name'])
    .where((eb) => GUID.test(idOrDomain)
      ? eb('id', '=', idOrDomain.toLowerCase())
      : eb(sql<string>`lower(default_domain)`, '=', idOrDomain.toLowerCase()))
    .executeTakeFirst()
  return row
}

/** A partner tenant by id or default domain, or a 404 naming what was asked for (control plane). */
export async function requireTenant (db: Kysely<Database>, idOrDomain: string): Promise<Account> {
  const tenant = await findTenant(db, idOrDomain)
  if (!tenant) throw new ApiError(404, 1000, `Partner tenant ${idOrDomain} does not exist.`)
  return tenant
}

/** An app registered in the tenant; without an id, the tenant's first app. */
export async function findApp (db: Kysely<Database>, tenantId: string, appId?: string): Promise<AppAccount | undefined> {
  if (appId !== undefined && !GUID.test(appId)) return undefined
  let query = db.selectFrom('partner_apps').select(['id', 'display_name', 'secret_hash']).where('partner_tenant_id', '=', tenantId)
  query = appId ? query.where('id', '=', appId.toLowerCase()) : query.orderBy('created_at').orderBy('id')
  const row = await query.limit(1).executeTakeFirst()
  return row && { id: row.id, displayName: row.display_name, secretHash: row.secret_hash }
}

/** A user of the tenant by object id or user principal name. */
export async function findUser (db: Kysely<Database>, tenantId: string, idOrUpn: string): Promise<UserAccount | undefined> {
  const row = await db.selectFrom('partner_users').select(['id', 'user_principal_name', 'display_name', 'password_hash'])
    .where('partner_tenant_id', '=', tenantId)
    .where((eb) => GUID.test(idOrUpn)
      ? eb('id', '=', idOrUpn.toLowerCase())
      : eb(sql<string>`lower(user_principal_name)`, '=', idOrUpn.toLowerCase()))
    .executeTakeFirst()
  return row && { id: row.id, userPrincipalName: row.user_principal_name, displayName: row.display_name, passwordHash: row.password_hash }
}
