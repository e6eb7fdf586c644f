// Graph's partner billing export: an export request is checked, stored as an operation (its lines
// fixed at the highest charge or usage id of that moment) and handed to the export job; the operation
// reports running, succeeded (with its manifest) or failed; the manifest names the files and a SAS
// token to download them with.
import { randomUUID } from 'node:crypto'
import type { Kysely } from 'kysely'
import { createBillingRepository } from '../../billing/repository.js'
import { accrueUsage } from '../../billing/usage.js'
import { checkSas, newSasKey, SAS_LIFETIME_MS, sasTokenFor, STORAGE_VERSION } from '../../billing-export/sas.js'
import type { BillingExportDataset, BillingExportRow, Database } from '../../db/schema.js'
import { billingExportInvalid, billingExportNotFound } from '../../errors.js'
import { isGuid } from '../../lib/ids.js'
import { createBillingExportsRepository } from './repository.js'
import type { BilledExport, UnbilledExport } from './schemas.js'

export const EXPORT_BASE = '/v1.0/reports/partners/billing'
/** Where the emulator serves export files, as Azure Storage would (blob-routes.ts). */
export const BLOB_BASE = '/blobs/partnerbilling'
const TYPE = '#microsoft.graph.partners.billing.'

function attributeSetOf (value: string | undefined): 'full' | 'basic' {
  const set = (value ?? 'full').toLowerCase()
  if (set !== 'full' && set !== 'basic') throw billingExportInvalid(`attributeSet must be full or basic, not ${value}.`)
  return set
}

export function createBillingExportsService (db: Kysely<Database>, publicBaseUrl: string, wake: () => void) {
  const exports = createBillingExportsRepository(db)
  const billing = createBillingRepository(db)

  async function start (partnerTenantId: string, dataset: BillingExportDataset, fields: Pick<BillingExportRow, 'attribute_set' | 'invoice_id' | 'billing_period' | 'currency_code'>, now: Date) {
    const highWater = await billing.highWaterIds()
    const id = randomUUID()
    await exports.insert({
      id,
      partner_tenant_id: partnerTenantId,
      dataset,
      ...fields,
      high_water_id: dataset.endsWith('usage') ? highWater.usage : highWater.charges,
      manifest_id: randomUUID(),
      sas_key: newSasKey(),
      created_at: now
    })
    wake()
    return `${publicBaseUrl}${EXPORT_BASE}/operations/${id}`
  }

  function manifestOf (row: BillingExportRow) {
    return {
      id: row.manifest_id,
      schemaVersion: '2',
      dataFormat: 'compressedJSON',
      createdDateTime: row.last_action_at.toISOString(),
      // A new version of the data is a new export: its files never change, so one tag for its life.
      eTag: row.id.replaceAll('-', '').slice(0, 17),
      partnerTenantId: row.partner_tenant_id,
      rootDirectory: rootDirectoryOf(publicBaseUrl, row),
      // Real time, as token lifetimes are: moving the emulator clock does not expire a download link.
      sasToken: sasTokenFor(row.sas_key, row.id, new Date(Date.now() + SAS_LIFETIME_MS)),
      partitionType: 'default',
      blobCount: row.blobs.length,
      blobs: row.blobs.map((b) => ({ name: b.name, partitionValue: b.partitionValue }))
    }
  }

  return {
    /** Billed reconciliation or usage: the lines of one invoice. */
    exportBilled (partnerTenantId: string, kind: 'reconciliation' | 'usage', body: BilledExport, now: Date) {
      const invoiceId = body.invoiceId.trim().replace(/^OneTime-/i, '').toUpperCase()
      if (invoiceId === '') throw billingExportInvalid('invoiceId is required.')
      return start(partnerTenantId, `billed_${kind}`, { attribute_set: attributeSetOf(body.attributeSet), invoice_id: invoiceId, billing_period: null, currency_code: null }, now)
    },

    /** Unbilled reconciliation or usage of a currency: current (not invoiced yet) or last (the last closed period's invoice). */
    async exportUnbilled (partnerTenantId: string, kind: 'reconciliation' | 'usage', body: UnbilledExport, now: Date) {
      const period = body.billingPeriod.toLowerCase()
      if (period !== 'current' && period !== 'last') throw billingExportInvalid(`billingPeriod must be current or last, not ${body.billingPeriod}.`)
      const currency = body.currencyCode.trim().toUpperCase()
      if (!/^[A-Z]{3}$/.test(currency)) throw billingExportInvalid(`currencyCode must be an ISO 4217 code such as USD, not ${body.currencyCode}.`)
      const attributeSet = attributeSetOf(body.attributeSet)
      // Usage is metered up to now, as the unbilled line item reads do, so that the two agree.
      if (kind === 'usage' && period === 'current') await accrueUsage(billing, partnerTenantId, now)
      // The last period's lines are on its invoice; '' when no period has been closed (an empty export).
      const invoiceId = period === 'current' ? null : await billing.latestInvoiceId(partnerTenantId, currency) ?? ''
      return start(partnerTenantId, `unbilled_${kind}`, { attribute_set: attributeSet, invoice_id: invoiceId, billing_period: period, currency_code: currency }, now)
    },

    async operation (partnerTenantId: string, id: string) {
      const row = isGuid(id) ? await exports.operation(partnerTenantId, id) : undefined
      if (!row) throw billingExportNotFound('operation', id)
      const common = { id: row.id, status: row.status, createdDateTime: row.created_at.toISOString(), lastActionDateTime: row.last_action_at.toISOString() }
      if (row.status === 'failed') {
        return { '@odata.type': `${TYPE}failedOperation`, ...common, error: { code: row.error_code ?? '', message: row.error_message ?? '' } }
      }
      if (row.status !== 'succeeded') return { '@odata.type': `${TYPE}runningOperation`, ...common }
      return {
        '@odata.type': `${TYPE}exportSuccessOperation`,
        ...common,
        'resourceLocation@odata.navigationLink': `${publicBaseUrl}${EXPORT_BASE}/manifests/${row.manifest_id}`,
        // Inline too: clients read resourceLocation.rootDirectory straight from the operation.
        resourceLocation: manifestOf(row)
      }
    },

    async manifest (partnerTenantId: string, id: string) {
      const row = isGuid(id) ? await exports.manifest(partnerTenantId, id) : undefined
      if (!row) throw billingExportNotFound('manifest', id)
      return manifestOf(row)
    }
  }
}

/** An Azure Storage answer for a file request: its status, headers and, for GET, the bytes (or an error document). */
export interface BlobAnswer { status: number, headers: Record<string, string>, body?: AsyncIterable<Buffer> | string }

const CONTAINERS: Record<BillingExportDataset, string> = {
  billed_usage: 'billedusagefastpath',
  unbilled_usage: 'unbilledusagefastpath',
  billed_reconciliation: 'billedreconfastpath',
  unbilled_reconciliation: 'unbilledreconfastpath'
}

/** An export's folder, in the shape of Microsoft's export folders (container, version, then key=value levels). */
const folderOf = (row: BillingExportRow) =>
  `${CONTAINERS[row.dataset]}/v1/ExportId=${row.id}/PartnerTenantId=${row.partner_tenant_id}/Fragment=${row.attribute_set}/PartitionType=default`

/** Where an export's files are: `{rootDirectory}/{blob name}`. */
export const rootDirectoryOf = (publicBaseUrl: string, row: BillingExportRow) => `${publicBaseUrl}${BLOB_BASE}/${folderOf(row)}`

/** Azure Storage's error document (x-ms-error-code names it too). */
function storageError (status: number, code: string, message: string, requestId: string): BlobAnswer {
  const body = `<?xml version="1.0" encoding="utf-8"?><Error><Code>${code}</Code><Message>${message}\nRequestId:${requestId}\nTime:${new Date().toISOString()}</Message></Error>`
  return { status, headers: { 'content-type': 'application/xml', 'x-ms-error-code': code }, body }
}

/** A `Range` (or `x-ms-range`) of `bytes=a-b`, `a-` or `-n` over a file of `size` bytes; 'invalid' past its end. */
export function byteRange (header: string | undefined, size: number): { start: number, end: number } | 'invalid' | undefined {
  const m = header ? /^bytes=(\d*)-(\d*)$/.exec(header.trim()) : null
  if (!m || (m[1] === '' && m[2] === '')) return undefined
  const start = m[1] === '' ? Math.max(0, size - Number(m[2])) : Number(m[1])
  const end = m[1] === '' || m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1)
  return start >= size || start > end ? 'invalid' : { start, end }
}

/**
 * Export files, served as Azure Storage serves a blob to a SAS-signed request: the whole file or a
 * byte range (206), read chunk by chunk from the database so that a download holds one chunk in memory.
 */
export function createExportFilesService (db: Kysely<Database>) {
  const exports = createBillingExportsRepository(db)

  async function * bytesOf (exportId: string, blobIndex: number, start: number, end: number): AsyncGenerator<Buffer> {
    for (let seq = await exports.firstChunkFor(exportId, blobIndex, start); ; seq++) {
      const chunk = await exports.chunkAt(exportId, blobIndex, seq)
      const offset = Number(chunk?.byte_offset)
      if (!chunk || offset > end) return
      const data = Buffer.from(chunk.data.buffer, chunk.data.byteOffset, chunk.data.byteLength)
      yield data.subarray(Math.max(0, start - offset), Math.min(data.length, end - offset + 1))
    }
  }

  return {
    async file (request: { path: string[], query: { se?: string, sig?: string, sp?: string }, range?: string, requestId: string, withBody: boolean }): Promise<BlobAnswer> {
      const exportId = request.path[2]?.replace(/^ExportId=/, '') ?? ''
      const row = isGuid(exportId) ? await exports.succeeded(exportId) : undefined
      const sas = row ? checkSas(row.sas_key, row.id, request.query, new Date()) : 'invalid'
      if (!row || sas !== 'valid') {
        return storageError(403, 'AuthenticationFailed', sas === 'expired'
          ? 'Server failed to authenticate the request. The signed expiry time has passed.'
          : 'Server failed to authenticate the request. Make sure the value of the SAS token is formed correctly including the signature.', request.requestId)
      }
      const blobIndex = row.blobs.findIndex((b) => request.path.join('/') === `${folderOf(row)}/${b.name}`)
      const blob = row.blobs[blobIndex]
      if (!blob) {
        return storageError(404, 'BlobNotFound', 'The specified blob does not exist.', request.requestId)
      }
      const range = byteRange(request.range, blob.bytes)
      if (range === 'invalid') {
        const invalid = storageError(416, 'InvalidRange', 'The range specified is invalid for the current size of the resource.', request.requestId)
        return { ...invalid, headers: { ...invalid.headers, 'content-range': `bytes */${blob.bytes}` } }
      }
      const { start, end } = range ?? { start: 0, end: blob.bytes - 1 }
      const headers: Record<string, string> = {
        'content-type': 'application/octet-stream',
        'content-length': String(end - start + 1),
        'accept-ranges': 'bytes',
        etag: `"0x8D${row.id.replaceAll('-', '').slice(0, 13).toUpperCase()}"`,
        'last-modified': row.last_action_at.toUTCString(),
        'x-ms-blob-type': 'BlockBlob',
        'x-ms-version': STORAGE_VERSION,
        'x-ms-request-id': request.requestId,
        ...(range ? { 'content-range': `bytes ${start}-${end}/${blob.bytes}` } : {})
      }
      return { status: range ? 206 : 200, headers, body: request.withBody ? bytesOf(row.id, blobIndex, start, end) : undefined }
    }
  }
}
