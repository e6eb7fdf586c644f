// Lookups the control plane and the dev identity provider share: a partner tenant named by id or
// domain, or a 404 naming what was asked for.
import { ApiError } from '../errors.js'
import type { Account, AppAccount, DirectoryRepository } from './repository.js'

export async function requireTenant (directory: DirectoryRepository, idOrDomain: string): Promise<Account> {
  const tenant = await directory.tenant(idOrDomain)
  if (!tenant) throw new ApiError(404, 1000, `Partner tenant ${idOrDomain} does not exist.`)
  return tenant
}

/** An app serves its own tenant's users, and every tenant's when it is multi-tenant. */
export const appServesTenant = (app: AppAccount, tenantId: string): boolean => app.multiTenant || app.tenantId === tenantId
