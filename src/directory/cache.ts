// Who is who: partner tenants (and whether Entra tokens are trusted for them) and partner users'
// roles. Small per-process caches keep the auth hook off the database on the hot path; entries live
// ROLE_CACHE_TTL_MS, so a change made on another instance is seen within that time.
import type { DirectoryRepository, PartnerTenant } from './repository.js'
import { isPartnerRole, type PartnerRole } from './roles.js'

interface Cached<T> { value: T, until: number }

export class DirectoryCache {
  readonly #directory: DirectoryRepository
  readonly #ttlMs: number
  readonly #tenants = new Map<string, Cached<PartnerTenant | undefined>>()
  readonly #roles = new Map<string, Cached<PartnerRole[] | undefined>>()

  constructor (directory: DirectoryRepository, ttlMs: number) {
    this.#directory = directory
    this.#ttlMs = ttlMs
  }

  partnerTenant (tenantId: string): Promise<PartnerTenant | undefined> {
    return this.#cached(this.#tenants, tenantId, () => this.#directory.partnerTenant(tenantId))
  }

  /** The Partner Center roles of a known partner user; undefined when the emulator does not know the user. */
  userRoles (tenantId: string, objectId: string): Promise<PartnerRole[] | undefined> {
    return this.#cached(this.#roles, `${tenantId}/${objectId}`, async () => (await this.#directory.userRoles(tenantId, objectId))?.filter(isPartnerRole))
  }

  /** The roles of a user when they are cached (`known: undefined` for a user the emulator does not know). */
  cachedUserRoles (tenantId: string, objectId: string): { known: PartnerRole[] | undefined } | undefined {
    const hit = this.#fresh(this.#roles, `${tenantId}/${objectId}`, Date.now())
    return hit && { known: hit.value }
  }

  /** Forget everything (after a reset or a control-plane change on this instance). */
  clear (): void {
    this.#tenants.clear()
    this.#roles.clear()
  }

  async #cached<T> (cache: Map<string, Cached<T>>, key: string, load: () => Promise<T>): Promise<T> {
    const now = Date.now()
    const hit = this.#fresh(cache, key, now)
    if (hit) return hit.value
    const value = await load()
    if (this.#ttlMs > 0) {
      if (cache.size >= 10_000) cache.clear()
      cache.set(key, { value, until: now + this.#ttlMs })
    }
    return value
  }

  #fresh<T> (cache: Map<string, Cached<T>>, key: string, now: number): Cached<T> | undefined {
    const hit = cache.get(key)
    return hit && hit.until > now ? hit : undefined
  }
}
