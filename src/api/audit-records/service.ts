// Audit records: the date window rules of Partner Center (a start within the last 90 days, at most 30
// days to the end), the filter, seek paging, and the mapping from rows to AuditRecord JSON.
import type { Kysely } from 'kysely'
import type { AuditRecordRow, Database } from '../../db/schema.js'
import { invalidRequest, resourceNotFound } from '../../errors.js'
import { instantOf } from '../../lib/dates.js'
import { ownValue } from '../../lib/ids.js'
import { parseJsonFilter, seekCollection, seekStart } from '../../lib/paging.js'
import { createAuditRecordsRepository, type AuditFilter, type AuditSortKey } from './repository.js'
import type { AuditRecord, ListAuditRecords } from './schemas.js'

const DAY_MS = 86_400_000
const MAX_WINDOW_DAYS = 30
const RETENTION_DAYS = 90
const DEFAULT_PAGE_SIZE = 500

export function auditRecordOf (row: AuditRecordRow): AuditRecord {
  return {
    id: row.id,
    partnerId: row.partner_tenant_id,
    ...(row.customer_id ? { customerId: row.customer_id } : {}),
    ...(row.customer_name ? { customerName: row.customer_name } : {}),
    ...(row.user_principal_name ? { userPrincipalName: row.user_principal_name } : {}),
    applicationId: row.application_id,
    resourceType: row.resource_type,
    ...(row.resource_old_value !== null ? { resourceOldValue: row.resource_old_value } : {}),
    ...(row.resource_new_value !== null ? { resourceNewValue: row.resource_new_value } : {}),
    operationType: row.operation_type,
    operationStatus: row.operation_status,
    operationDate: row.operation_date.toISOString(),
    ...(row.original_correlation_id ? { originalCorrelationId: row.original_correlation_id } : {}),
    customizedData: row.customized_data,
    attributes: { objectType: 'AuditRecord' }
  }
}

export function createAuditRecordsService (db: Kysely<Database>) {
  const records = createAuditRecordsRepository(db)

  return {
    async list (partnerTenantId: string, query: ListAuditRecords, continuationToken: string | undefined, now: Date) {
      const range = dateRange(query.startDate, query.endDate, now)
      const size = query.size || DEFAULT_PAGE_SIZE
      const { after, filter } = seekStart(query, continuationToken, { isKey: isSortKey, parseFilter: parseAuditFilter, isFilter: isAuditFilter })
      const rows = await records.listPage(partnerTenantId, range, size, after, filter)
      const dates = `startDate=${encodeURIComponent(query.startDate)}${query.endDate ? `&endDate=${encodeURIComponent(query.endDate)}` : ''}`
      return seekCollection(rows, size, {
        keyOf: (row): AuditSortKey => [row.operation_date.toISOString(), row.id],
        filter,
        item: auditRecordOf,
        self: `/auditrecords?${dates}&size=${size}`,
        next: `/auditrecords?${dates}&size=${size}&seekOperation=Next`
      })
    },

    async get (partnerTenantId: string, id: string) {
      const row = await records.findById(partnerTenantId, id)
      if (!row) throw resourceNotFound(`Audit record ${id} was not found.`)
      return auditRecordOf(row)
    }
  }
}

/**
 * The documented window: records of the last 90 days, at most 30 days per request. A start older than
 * 90 days is a 400, as Microsoft documents; so are an end before the start and a longer window.
 */
export function dateRange (start: string, end: string | undefined, now: Date): { from: Date, to: Date } {
  const from = parseDate(start, 'startDate')
  const to = end === undefined ? now : parseDate(end, 'endDate')
  if (from.getTime() < now.getTime() - RETENTION_DAYS * DAY_MS) {
    throw invalidRequest(`startDate must be within the last ${RETENTION_DAYS} days: audit records are kept ${RETENTION_DAYS} days.`)
  }
  if (to.getTime() < from.getTime()) throw invalidRequest('endDate must not be before startDate.')
  if (to.getTime() - from.getTime() > MAX_WINDOW_DAYS * DAY_MS) throw invalidRequest(`The date range may span at most ${MAX_WINDOW_DAYS} days.`)
  return { from, to }
}

/**
 * An ISO 8601 date (2026-11-20: midnight UTC) or date-time, read by instantOf (a time without an offset
 * is UTC); the audit API also takes surrounding blanks and an offset without its colon (+0200).
 */
function parseDate (text: string, name: string): Date {
  const value = instantOf(text.trim().replace(/([+-]\d{2})(\d{2})$/, '$1:$2'))
  if (!value) throw invalidRequest(`${name} must be an ISO 8601 date or date-time, e.g. 2026-11-20T00:00:00Z.`)
  return value
}

const isSortKey = (v: unknown): v is AuditSortKey =>
  Array.isArray(v) && v.length === 2 && v.every((x) => typeof x === 'string') && !Number.isNaN(Date.parse(v[0] as string))

const FILTER_FIELDS: Record<string, AuditFilter['field']> = {
  customerid: 'customer_id',
  customername: 'customer_name',
  resourcetype: 'resource_type'
}

/** The audit `filter` query: JSON Field (CustomerId, CustomerName, ResourceType), Value and Operator (equals, substring). */
export function parseAuditFilter (raw: string | undefined): AuditFilter | undefined {
  if (raw === undefined || raw === '') return undefined
  const { field: name, value, operator } = parseJsonFilter(raw, '{"Field":"CustomerName","Value":"Contoso","Operator":"substring"}')
  const field = ownValue(FILTER_FIELDS, name)
  if (!field) throw invalidRequest('The filter Field must be CustomerId, CustomerName or ResourceType.')
  if (typeof value !== 'string' || value === '') throw invalidRequest('The filter Value must be a non-empty string.')
  if (operator !== 'equals' && operator !== 'substring') throw invalidRequest('The filter Operator must be equals or substring.')
  // Resource types are written as the SDK's enum names (CustomerUser) or as on the wire (customer_user).
  const normalized = field === 'resource_type' ? value.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase() : value
  return { field, operator, value: normalized }
}

const isAuditFilter = (value: unknown): value is AuditFilter =>
  value !== null && typeof value === 'object' && Object.values(FILTER_FIELDS).includes((value as AuditFilter).field) &&
  ['equals', 'substring'].includes((value as AuditFilter).operator) && typeof (value as AuditFilter).value === 'string'
