// Audit records: GET /v1/auditrecords (the partner's activity, seek-paged) and one record by id, also
// at the address webhook events give as AuditUri (/auditactivity/v1/auditrecords/{id}).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { partnerOf, type AuthPolicy } from '../../auth/policy.js'
import { ErrorRef, protectedErrors } from '../../schemas/common.js'
import { AuditRecordCollectionSchema, AuditRecordParams, AuditRecordSchema, ContinuationHeaders, ListAuditRecordsQuery } from './schemas.js'
import { createAuditRecordsService } from './service.js'

// "Supports authentication with both standalone App and App+User credentials"; the page names no roles:
// every partner role that administers customers or billing reads the activity (docs/fidelity.md).
const READ: AuthPolicy = { appOnly: true, partnerRoles: ['admin_agent', 'sales_agent', 'helpdesk_agent', 'billing_admin', 'global_admin'] }
const tags = ['audit']

const auditRecords: FastifyPluginAsyncTypebox = async (app) => {
  const service = createAuditRecordsService(app.db)

  app.get('/v1/auditrecords', {
    config: { auth: READ },
    schema: {
      operationId: 'listAuditRecords', tags, summary: 'Get a record of Partner Center activity',
      description: 'The writes of the partner\'s users and applications between startDate and endDate (default now), oldest first. ' +
        'startDate must be within the last 90 days and the range at most 30 days. Filter with JSON on CustomerId, CustomerName or ' +
        'ResourceType (equals, substring); for the next page send seekOperation=Next and the MS-ContinuationToken header from links.next.',
      querystring: ListAuditRecordsQuery, headers: ContinuationHeaders,
      response: { 200: AuditRecordCollectionSchema, ...protectedErrors }
    }
  }, async (request) => service.list(partnerOf(request), request.query, request.headers['ms-continuationtoken'], await app.clock.now()))

  for (const [url, operationId] of [['/v1/auditrecords/:id', 'getAuditRecord'], ['/auditactivity/v1/auditrecords/:id', 'getAuditRecordByAuditUri']] as const) {
    app.get(url, {
      config: { auth: READ },
      schema: {
        operationId, tags, summary: 'Get an audit record by id',
        params: AuditRecordParams,
        response: { 200: AuditRecordSchema, ...protectedErrors, 404: ErrorRef }
      }
    }, async (request) => service.get(partnerOf(request), request.params.id))
  }
}

export default auditRecords
