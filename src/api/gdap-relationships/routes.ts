// Graph GDAP relationships: /v1.0/tenantRelationships/delegatedAdminRelationships, their requests
// (lockForApproval, terminate) and operations. Graph shapes and error envelope.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { partnerOf, type AuthPolicy } from '../../auth/policy.js'
import { GDAP_READ, GDAP_WRITE } from '../../gdap/permissions.js'
import type { Config } from '../../config.js'
import { graphErrors } from '../../schemas/graph.js'
import {
  CreateRelationshipSchema, CreateRequestSchema, GraphCollection, IfMatchHeaders, ListQuery, OperationParams, OperationSchema, RelationshipParams,
  RelationshipSchema, RequestParams, RequestSchema, UpdateRelationshipSchema
} from './schemas.js'
import { createRelationshipsService } from './service.js'

// Admin agents create and change GDAP relationships; reads also for the partner's oversight roles
// (Global admin, Security admin). Application permissions are supported, so app-only tokens are allowed.
const READ: AuthPolicy = { appOnly: true, partnerRoles: ['admin_agent', 'global_admin', 'security_admin'], permissions: GDAP_READ }
const WRITE: AuthPolicy = { appOnly: true, partnerRoles: ['admin_agent'], permissions: GDAP_WRITE }
const RELATIONSHIPS = '/v1.0/tenantRelationships/delegatedAdminRelationships'
const tags = ['gdap']

const relationships: FastifyPluginAsyncTypebox<{ config: Config }> = async (app, { config }) => {
  const service = createRelationshipsService(app.db, config.PUBLIC_BASE_URL)
  const base = config.PUBLIC_BASE_URL
  const now = () => app.clock.now()

  app.get(RELATIONSHIPS, {
    config: { auth: READ },
    schema: {
      operationId: 'listDelegatedAdminRelationships', tags, summary: 'List GDAP relationships',
      description: '$filter (eq on status, displayName, customer/tenantId; joined with and), $orderby, $top ≤ 300, $count, @odata.nextLink paging.',
      querystring: ListQuery,
      response: { 200: GraphCollection(RelationshipSchema), ...graphErrors }
    }
  }, async (request) => service.list(partnerOf(request), request.query, request.url, await now()))

  app.post(RELATIONSHIPS, {
    config: { auth: WRITE },
    schema: {
      operationId: 'createDelegatedAdminRelationship', tags, summary: 'Create a GDAP relationship (status created)',
      body: CreateRelationshipSchema,
      response: { 201: RelationshipSchema, ...graphErrors, 409: graphErrors[400] }
    }
  }, async (request, reply) => {
    const created = await service.create(partnerOf(request), request.body, await now())
    reply.code(201).header('Location', `${base}${RELATIONSHIPS}/${created.id}`)
    return created
  })

  app.get(`${RELATIONSHIPS}/:relationshipId`, {
    config: { auth: READ },
    schema: {
      operationId: 'getDelegatedAdminRelationship', tags, summary: 'Get a GDAP relationship',
      params: RelationshipParams,
      response: { 200: RelationshipSchema, ...graphErrors }
    }
  }, async (request) => service.get(partnerOf(request), request.params.relationshipId, await now()))

  app.patch(`${RELATIONSHIPS}/:relationshipId`, {
    config: { auth: WRITE },
    schema: {
      operationId: 'updateDelegatedAdminRelationship', tags, summary: 'Update a GDAP relationship (If-Match required)',
      description: 'displayName, duration, customer and accessDetails while created; autoExtendDuration while created or active.',
      params: RelationshipParams, headers: IfMatchHeaders, body: UpdateRelationshipSchema,
      response: { 200: RelationshipSchema, ...graphErrors, 409: graphErrors[400], 412: graphErrors[400], 428: graphErrors[400] }
    }
  }, async (request) => service.update(partnerOf(request), request.params.relationshipId, request.headers['if-match'], request.body, await now()))

  app.delete(`${RELATIONSHIPS}/:relationshipId`, {
    config: { auth: WRITE },
    schema: {
      operationId: 'deleteDelegatedAdminRelationship', tags, summary: 'Delete a relationship in status created (If-Match required)',
      params: RelationshipParams, headers: IfMatchHeaders,
      response: { 204: Type.Null(), ...graphErrors, 412: graphErrors[400], 428: graphErrors[400] }
    }
  }, async (request, reply) => {
    await service.remove(partnerOf(request), request.params.relationshipId, request.headers['if-match'], await now())
    return reply.code(204).send(null)
  })

  app.get(`${RELATIONSHIPS}/:relationshipId/requests`, {
    config: { auth: READ },
    schema: {
      operationId: 'listDelegatedAdminRelationshipRequests', tags, summary: 'List the requests of a relationship',
      params: RelationshipParams, querystring: ListQuery,
      response: { 200: GraphCollection(RequestSchema), ...graphErrors }
    }
  }, async (request) => service.requests(partnerOf(request), request.params.relationshipId, request.query, request.url))

  app.post(`${RELATIONSHIPS}/:relationshipId/requests`, {
    config: { auth: WRITE },
    schema: {
      operationId: 'createDelegatedAdminRelationshipRequest', tags, summary: 'lockForApproval or terminate a relationship',
      description: 'lockForApproval: created → approvalPending (the customer then approves; see the control plane). ' +
        'terminate: active → terminationRequested → terminating → terminated (one minute per step on the emulator clock); access ends at once.',
      params: RelationshipParams, body: CreateRequestSchema,
      response: { 201: RequestSchema, ...graphErrors }
    }
  }, async (request, reply) => {
    const { relationshipId } = request.params
    const created = await service.request(partnerOf(request), relationshipId, request.body.action, await now())
    reply.code(201).header('Location', `${base}${RELATIONSHIPS}/${relationshipId}/requests/${created.id}`)
    return created
  })

  app.get(`${RELATIONSHIPS}/:relationshipId/requests/:requestId`, {
    config: { auth: READ },
    schema: {
      operationId: 'getDelegatedAdminRelationshipRequest', tags, summary: 'Get a relationship request',
      params: RequestParams,
      response: { 200: RequestSchema, ...graphErrors }
    }
  }, async (request) => service.getRequest(partnerOf(request), request.params.relationshipId, request.params.requestId))

  app.get(`${RELATIONSHIPS}/:relationshipId/operations`, {
    config: { auth: READ },
    schema: {
      operationId: 'listDelegatedAdminRelationshipOperations', tags, summary: 'List the long-running operations of a relationship',
      params: RelationshipParams, querystring: ListQuery,
      response: { 200: GraphCollection(OperationSchema), ...graphErrors }
    }
  }, async (request) => service.operations(partnerOf(request), request.params.relationshipId, request.query, request.url))

  app.get(`${RELATIONSHIPS}/:relationshipId/operations/:operationId`, {
    config: { auth: READ },
    schema: {
      operationId: 'getDelegatedAdminRelationshipOperation', tags, summary: 'Get an operation',
      params: OperationParams,
      response: { 200: OperationSchema, ...graphErrors }
    }
  }, async (request) => service.getOperation(partnerOf(request), request.params.relationshipId, request.params.operationId))
}

export default relationships
