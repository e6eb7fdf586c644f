// The control plane's actions (dev mode only, except health): health, onboarding a partner tenant for
// Entra tokens, the request journal, reset, the emulator clock, security groups and their members, the
// customer's answer to a GDAP relationship, and closing a billing period.
import type { FastifyBaseLogger } from 'fastify'
import type { Kysely } from 'kysely'
import type { RequestJournal } from '../../auth/journal.js'
import { closeBillingPeriod } from '../../billing/period-close.js'
import type { Clock } from '../../clock/clock.js'
import type { Backend } from '../../db/index.js'
import type { Database } from '../../db/schema.js'
import { requireTenant } from '../../directory/accounts.js'
import { createDirectoryRepository } from '../../directory/repository.js'
import { ApiError, invalidRequest } from '../../errors.js'
import { answerRelationship, type CustomerAnswer } from '../../gdap/approval.js'
import { isGuid } from '../../lib/ids.js'
import { fromMinor } from '../../lib/money.js'
import { seedDemoDataIfEmpty } from '../../seed/demo.js'
import { createControlPlaneRepository } from './repository.js'
import type { CreateGroup, SetClock } from './schemas.js'

export interface ControlPlaneDependencies {
  db: Kysely<Database>
  backend: Backend
  clock: Clock
  journal: RequestJournal
  clearAuthCaches: () => void
  /** The development CA's certificate, when TLS=on serves one of its certificates. */
  devCaCert: string | undefined
  version: string
}

/** The latest time the emulator clock may show. */
const LAST_CLOCK_TIME = Date.UTC(9999, 11, 31, 23, 59, 59)

export function createControlPlaneService ({ db, backend, clock, journal, clearAuthCaches, devCaCert, version }: ControlPlaneDependencies) {
  const controlPlane = createControlPlaneRepository(db)
  const directory = createDirectoryRepository(db)
  const clockOf = (now: Date) => ({ now: now.toISOString(), offsetSeconds: Math.round((now.getTime() - Date.now()) / 1000) })

  /** A security group of the tenant and one of its users, or a 404 naming what is missing. */
  async function groupMember (params: { tenantId: string, groupId: string, userId: string }) {
    const tenant = await requireTenant(directory, params.tenantId)
    const group = await directory.securityGroup(tenant.id, params.groupId)
    if (!group) throw new ApiError(404, 1000, `Security group ${params.groupId} does not exist in tenant ${tenant.id}.`)
    const user = await directory.user(tenant.id, params.userId)
    if (!user) throw new ApiError(404, 1000, `User ${params.userId} does not exist in tenant ${tenant.id}.`)
    return { groupId: group.id, userId: user.id }
  }

  return {
    /** 200 with the database state, or 503 while the database does not answer. */
    async health (log: FastifyBaseLogger) {
      try {
        const partnerTenants = await controlPlane.partnerTenantCount()
        return { status: 'ok' as const, version, database: { backend, status: 'up' as const, partnerTenants } }
      } catch (err) {
        log.warn({ err }, 'health check: database unavailable')
        return { status: 'unavailable' as const, version, database: { backend, status: 'down' as const } }
      }
    },

    developmentCa (): string {
      if (!devCaCert) throw new ApiError(404, 1000, 'No development CA: HTTPS is off (TLS=off) or serves a certificate of your own.')
      return devCaCert
    },

    async setEntraTrust (tenantId: string, trusted: boolean) {
      const tenant = await requireTenant(directory, tenantId)
      await directory.setEntraTrust(tenant.id, trusted)
      clearAuthCaches()
      return { tenantId: tenant.id, entraTrusted: trusted }
    },

    /** The journal's newest rows, of one partner tenant (by id or domain) or of all. */
    async journal (tenantIdOrDomain: string | undefined, limit: number) {
      await journal.flush()
      const tenantId = tenantIdOrDomain === undefined ? undefined : (await requireTenant(directory, tenantIdOrDomain)).id
      return (await controlPlane.journal(tenantId, limit)).map((r) => ({
        requestId: r.request_id,
        correlationId: r.correlation_id,
        occurredAt: r.occurred_at.toISOString(),
        method: r.method,
        path: r.path,
        operation: r.operation,
        partnerTenantId: r.partner_tenant_id,
        objectId: r.object_id,
        userPrincipalName: r.user_principal_name,
        appId: r.app_id,
        tokenKind: r.token_kind,
        mfaCompliant: r.mfa_compliant,
        outcome: r.outcome,
        statusCode: r.status_code,
        reason: r.reason
      }))
    },

    /** Erases all partner data, loads the demo data again and brings the clock back to real time. */
    async reset () {
      await journal.flush()
      await controlPlane.clearData()
      await clock.set(new Date())
      clearAuthCaches()
      if (!await seedDemoDataIfEmpty(db)) throw invalidRequest('The database was seeded concurrently; try again.')
      return { reset: true }
    },

    clock: async () => clockOf(await clock.now()),

    async setClock (body: SetClock) {
      if ((body.now === undefined) === (body.advanceSeconds === undefined)) throw invalidRequest('Give exactly one of now and advanceSeconds.')
      const target = body.now !== undefined ? new Date(body.now) : new Date((await clock.now()).getTime() + body.advanceSeconds! * 1000)
      // Dates past the year 9999 have no ISO form the API could write: the clock stops short of them.
      if (!(target.getTime() <= LAST_CLOCK_TIME)) throw invalidRequest('The clock cannot go past 9999-12-31.')
      return clockOf(await clock.set(target))
    },

    async securityGroups (tenantId: string) {
      return directory.securityGroups((await requireTenant(directory, tenantId)).id)
    },

    /** A new security group with its first members (object ids or UPNs of the tenant's users); names are unique. */
    async createSecurityGroup (tenantId: string, body: CreateGroup) {
      const tenant = await requireTenant(directory, tenantId)
      const members = await Promise.all((body.members ?? []).map(async (m) => {
        const user = await directory.user(tenant.id, m)
        if (!user) throw invalidRequest(`User ${m} does not exist in tenant ${tenant.id}.`)
        return user.id
      }))
      const group = { id: crypto.randomUUID(), tenantId: tenant.id, displayName: body.displayName, members: [...new Set(members)] }
      await db.transaction().execute(async (trx) => {
        const groups = createDirectoryRepository(trx)
        if (await groups.securityGroupNamed(tenant.id, body.displayName)) throw invalidRequest(`A security group named ${body.displayName} already exists.`)
        await groups.insertSecurityGroup(group)
      })
      return { id: group.id, displayName: group.displayName, members: group.members }
    },

    async addGroupMember (params: { tenantId: string, groupId: string, userId: string }) {
      const { groupId, userId } = await groupMember(params)
      await directory.addGroupMember(groupId, userId)
    },

    async removeGroupMember (params: { tenantId: string, groupId: string, userId: string }) {
      const { groupId, userId } = await groupMember(params)
      await directory.removeGroupMember(groupId, userId)
    },

    /** The customer's side of a GDAP relationship: approve or reject it. */
    async answerRelationship (customerId: string, relationshipId: string, action: CustomerAnswer) {
      if (!isGuid(customerId)) throw invalidRequest(`${customerId} is not a tenant id.`)
      return answerRelationship(db, customerId, relationshipId, action, await clock.now())
    },

    async closeBillingPeriod (tenantId: string) {
      const tenant = await requireTenant(directory, tenantId)
      const closed = await closeBillingPeriod(db, tenant.id, await clock.now())
      return {
        periodStart: closed.periodStart.toISOString(),
        periodEnd: closed.periodEnd.toISOString(),
        invoices: closed.invoices.map((i) => ({ id: i.id, currencyCode: i.currency_code, totalCharges: fromMinor(BigInt(i.total_minor)), lineCount: i.line_count }))
      }
    }
  }
}
