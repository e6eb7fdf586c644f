// Graph's partner billing export (/v1.0/reports/partners/billing): export billed and unbilled
// reconciliation and usage (202 + Location of the operation), the operation and the manifest.
// PartnerBilling.Read.All, delegated or application, as every page of the API lists it.
import { Readable } from 'node:stream'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import { partnerOf, type AuthPolicy } from '../../auth/policy.js'
import type { Config } from '../../config.js'
import { graphErrors } from '../../schemas/graph.js'
import {
  BilledExportSchema, BlobParams, BlobQuery, ManifestParams, ManifestSchema, OperationParams, OperationSchema, UnbilledExportSchema
} from './schemas.js'
import { BLOB_BASE, createBillingExportsService, createExportFilesService, EXPORT_BASE } from './service.js'

// Billing data is the partner's billing admins' (and global admins'), as for the v1 reconciliation APIs.
const BILLING: AuthPolicy = { appOnly: true, partnerRoles: ['admin_agent', 'billing_admin', 'global_admin'], permissions: ['PartnerBilling.Read.All'] }
const tags = ['billing export']
const accepted = { 202: Type.Null({ description: 'Location: the operation to poll' }), ...graphErrors }

const billingExports: FastifyPluginAsyncTypebox<{ config: Config }> = async (app, { config }) => {
  const service = createBillingExportsService(app.db, config.PUBLIC_BASE_URL, () => app.billingExports.wake())
  const now = () => app.clock.now()

  for (const kind of ['reconciliation', 'usage'] as const) {
    const what = kind === 'usage' ? 'daily rated usage' : 'invoice reconciliation'
    app.post(`${EXPORT_BASE}/${kind}/billed/export`, {
      config: { auth: BILLING },
      schema: {
        operationId: `exportBilled${kind === 'usage' ? 'Usage' : 'Reconciliation'}`, tags, summary: `Export an invoice's billed ${what} lines`,
        body: BilledExportSchema, response: accepted
      }
    }, async (request, reply) => {
      const location = await service.exportBilled(partnerOf(request), kind, request.body, await now())
      return reply.code(202).header('Location', location).send()
    })

    app.post(`${EXPORT_BASE}/${kind}/unbilled/export`, {
      config: { auth: BILLING },
      schema: {
        operationId: `exportUnbilled${kind === 'usage' ? 'Usage' : 'Reconciliation'}`, tags, summary: `Export unbilled ${what} lines of a period and currency`,
        body: UnbilledExportSchema, response: accepted
      }
    }, async (request, reply) => {
      const location = await service.exportUnbilled(partnerOf(request), kind, request.body, await now())
      return reply.code(202).header('Location', location).send()
    })
  }

  app.get(`${EXPORT_BASE}/operations/:operationId`, {
    config: { auth: BILLING },
    schema: {
      operationId: 'getBillingOperation', tags, summary: 'An export\'s operation: running, succeeded (resourceLocation: the manifest) or failed',
      description: 'While the export runs: Retry-After (seconds). Once succeeded, the manifest both inline (resourceLocation) and as a link.',
      params: OperationParams,
      response: { 200: OperationSchema, ...graphErrors }
    }
  }, async (request, reply) => {
    const operation = await service.operation(partnerOf(request), request.params.operationId)
    if (operation.status === 'running' || operation.status === 'notStarted') reply.header('Retry-After', '1')
    return operation
  })

  app.get(`${EXPORT_BASE}/manifests/:manifestId`, {
    config: { auth: BILLING },
    schema: {
      operationId: 'getBillingManifest', tags, summary: 'The files of a succeeded export, with a SAS token to download them',
      params: ManifestParams,
      response: { 200: ManifestSchema, ...graphErrors }
    }
  }, async (request) => service.manifest(partnerOf(request), request.params.manifestId))
}

export default billingExports

/**
 * The export files, outside the bearer-token scope: a request is authorized by the manifest's SAS
 * token in its query, as Azure Storage authorizes it. GET (whole file or a Range) and HEAD.
 */
export const exportFiles: FastifyPluginAsyncTypebox = async (app) => {
  const files = createExportFilesService(app.db)
  const path = `${BLOB_BASE}/:container/:version/:exportKey/:partnerKey/:fragment/:partition/:blobName`
  const serve = (withBody: boolean) => async (request: FastifyRequest<{ Params: Record<string, string>, Querystring: Record<string, string> }>, reply: FastifyReply) => {
    const range = request.headers['x-ms-range'] ?? request.headers.range
    const answer = await files.file({
      path: Object.values(request.params), query: request.query, range: typeof range === 'string' ? range : undefined, requestId: request.id, withBody
    })
    reply.code(answer.status).headers(answer.headers)
    return reply.send(answer.body === undefined ? undefined : typeof answer.body === 'string' ? answer.body : Readable.from(answer.body))
  }
  const schema = {
    tags, security: [], params: BlobParams, querystring: BlobQuery,
    description: 'Authorized by the SAS token the manifest gives (sv, se, sr, sp, sig), not a bearer token: 403 AuthenticationFailed without a valid one. ' +
      'Range (or x-ms-range) bytes=a-b answers 206 with Content-Range.'
  }
  app.get(path, { exposeHeadRoute: false, schema: { ...schema, operationId: 'downloadBillingExportFile', summary: 'Download an export file (gzip JSON lines)' } }, serve(true))
  app.head(path, { schema: { ...schema, operationId: 'getBillingExportFileProperties', summary: 'An export file\'s size and properties' } }, serve(false))
}
