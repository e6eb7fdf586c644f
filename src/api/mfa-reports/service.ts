// The MFA reports, from the request journal the auth hook writes: the partner's app+user requests of
// the last 7 days, its users who called without MFA, and MFA adoption per application and day. The
// journal is flushed first, so that the latest requests count.
import type { Kysely } from 'kysely'
import type { RequestJournal } from '../../auth/journal.js'
import type { Database } from '../../db/schema.js'
import { invalidRequest } from '../../errors.js'
import { createMfaReportsRepository } from './repository.js'
import type { Adoption } from './schemas.js'

/** "In the last 7 days"; "only the first 10,000 most recent records" (the Swagger's summaries). */
const WINDOW_MS = 7 * 86_400_000
const MAX_RECORDS = 10_000

export function createMfaReportsService (db: Kysely<Database>, journal: RequestJournal) {
  const reports = createMfaReportsRepository(db)

  async function recentUserRequests (partnerTenantId: string) {
    await journal.flush()
    return reports.userRequests(partnerTenantId, new Date(Date.now() - WINDOW_MS), MAX_RECORDS)
  }

  return {
    async partnerRequests (partnerTenantId: string) {
      return (await recentUserRequests(partnerTenantId)).map((r) => ({
        requestId: r.request_id,
        correlationId: r.correlation_id,
        operationName: r.operation_name ?? r.path,
        requestDateTime: r.occurred_at.toISOString(),
        sourceIpAddress: r.ip_address ?? '',
        objectId: r.object_id ?? '',
        tenantId: r.partner_tenant_id ?? '',
        upn: r.user_principal_name ?? '',
        applicationId: r.app_id ?? '',
        mfaCompliant: r.mfa_compliant === true,
        attributes: { objectType: 'PartnerRequest' }
      }))
    },

    /** Each user's latest request without MFA. */
    async nonCompliantPrincipals (partnerTenantId: string) {
      const rows = await recentUserRequests(partnerTenantId)
      const latest = new Map<string, (typeof rows)[number]>()
      for (const row of rows) if (row.mfa_compliant === false && row.object_id && !latest.has(row.object_id)) latest.set(row.object_id, row)
      return [...latest.values()].map((r) => ({
        objectId: r.object_id!,
        tenantId: r.partner_tenant_id!,
        upn: r.user_principal_name ?? '',
        lastNonMfaCompliantRequestDateTime: r.occurred_at.toISOString(),
        lastNonMfaCompliantLoginDateTime: r.occurred_at.toISOString(),
        attributes: { objectType: 'NonMfaCompliantPartnerPrincipal' }
      }))
    },

    async adoption (partnerTenantId: string, query: Adoption) {
      const end = dateOf(query.endDate, new Date())
      const start = dateOf(query.startDate, new Date(end.getTime() - WINDOW_MS))
      if (start >= end) throw invalidRequest('startDate must be before endDate.')
      await journal.flush()
      return (await reports.adoptionByAppAndDay(partnerTenantId, start, end)).map((r) => ({
        loginDate: r.day,
        mfaCompliantRequestCount: Number(r.compliant),
        totalRequestCount: Number(r.total),
        applicationId: r.app_id ?? '',
        applicationName: r.display_name ?? ''
      }))
    }
  }
}

function dateOf (value: string | undefined, fallback: Date): Date {
  if (value === undefined) return fallback
  const date = new Date(value)
  if (Number.isNaN(date.getTime())) throw invalidRequest(`${value} is not a date.`)
  return date
}
