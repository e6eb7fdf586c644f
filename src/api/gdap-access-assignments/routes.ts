// Graph GDAP access assignments: /v1.0/tenantRelationships/delegatedAdminRelationships/{id}/accessAssignments.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { partnerOf, type AuthPolicy } from '../../auth/policy.js'
import { GDAP_READ, GDAP_WRITE } from '../../gdap/permissions.js'
import type { Config } from '../../config.js'
import { graphErrors } from '../../schemas/graph.js'
import {
  AssignmentParams, AssignmentSchema, CreateAssignmentSchema, GraphCollection, IfMatchHeaders, ListQuery, RelationshipParams, UpdateAssignmentSchema
} from './schemas.js'
import { createAssignmentsService } from './service.js'

// As for the relationships: Admin agents write; Global and Security admins also read; app-only allowed.
const READ: AuthPolicy = { appOnly: true, partnerRoles: ['admin_agent', 'global_admin', 'security_admin'], permissions: GDAP_READ }
const WRITE: AuthPolicy = { appOnly: true, partnerRoles: ['admin_agent'], permissions: GDAP_WRITE }
const RELATIONSHIPS = '/v1.0/tenantRelationships/delegatedAdminRelationships'
const tags = ['gdap']

const accessAssignments: FastifyPluginAsyncTypebox<{ config: Config }> = async (app, { config }) => {
  const service = createAssignmentsService(app.db, config.PUBLIC_BASE_URL)
  const base = config.PUBLIC_BASE_URL
  const now = () => app.clock.now()

  app.get(`${RELATIONSHIPS}/:relationshipId/accessAssignments`, {
    config: { auth: READ },
    schema: {
      operationId: 'listDelegatedAdminAccessAssignments', tags, summary: 'List the access assignments of a relationship',
      params: RelationshipParams, querystring: ListQuery,
      response: { 200: GraphCollection(AssignmentSchema), ...graphErrors }
    }
  }, async (request) => service.list(partnerOf(request), request.params.relationshipId, request.query, request.url, await now()))

  app.post(`${RELATIONSHIPS}/:relationshipId/accessAssignments`, {
    config: { auth: WRITE },
    schema: {
      operationId: 'createDelegatedAdminAccessAssignment', tags,
      summary: 'Give a partner security group roles in the customer (status pending, then active)',
      description: 'The relationship must be active; the roles must be a subset of its roles; one assignment per security group.',
      params: RelationshipParams, body: CreateAssignmentSchema,
      response: { 201: AssignmentSchema, ...graphErrors, 409: graphErrors[400] }
    }
  }, async (request, reply) => {
    const { relationshipId } = request.params
    const created = await service.create(partnerOf(request), relationshipId, request.body, await now())
    reply.code(201).header('Location', `${base}${RELATIONSHIPS}/${relationshipId}/accessAssignments/${created.id}`)
    return created
  })

  app.get(`${RELATIONSHIPS}/:relationshipId/accessAssignments/:assignmentId`, {
    config: { auth: READ },
    schema: {
      operationId: 'getDelegatedAdminAccessAssignment', tags, summary: 'Get an access assignment',
      params: AssignmentParams,
      response: { 200: AssignmentSchema, ...graphErrors }
    }
  }, async (request) => service.get(partnerOf(request), request.params.relationshipId, request.params.assignmentId, await now()))

  app.patch(`${RELATIONSHIPS}/:relationshipId/accessAssignments/:assignmentId`, {
    config: { auth: WRITE },
    schema: {
      operationId: 'updateDelegatedAdminAccessAssignment', tags, summary: 'Change the roles of an access assignment (If-Match required)',
      description: '202 with Location (an operation) and Retry-After when the roles change; 200 with the unchanged assignment when they are the same.',
      params: AssignmentParams, headers: IfMatchHeaders, body: UpdateAssignmentSchema,
      response: { 200: AssignmentSchema, 202: Type.Null(), ...graphErrors, 412: graphErrors[400], 428: graphErrors[400] }
    }
  }, async (request, reply) => {
    const { relationshipId, assignmentId } = request.params
    const roles = request.body.accessDetails.unifiedRoles.map((r) => r.roleDefinitionId)
    const result = await service.update(partnerOf(request), relationshipId, assignmentId, request.headers['if-match'], roles, await now())
    if (!result.changed) return result.assignment
    return reply.code(202).header('Location', `${base}${RELATIONSHIPS}/${relationshipId}/operations/${result.operationId}`)
      .header('Retry-After', '10').send(null)
  })

  app.delete(`${RELATIONSHIPS}/:relationshipId/accessAssignments/:assignmentId`, {
    config: { auth: WRITE },
    schema: {
      operationId: 'deleteDelegatedAdminAccessAssignment', tags, summary: 'Delete an access assignment (deleting, then deleted; If-Match required)',
      params: AssignmentParams, headers: IfMatchHeaders,
      response: { 204: Type.Null(), ...graphErrors, 412: graphErrors[400], 428: graphErrors[400] }
    }
  }, async (request, reply) => {
    const { relationshipId, assignmentId } = request.params
    await service.remove(partnerOf(request), relationshipId, assignmentId, request.headers['if-match'], await now())
    return reply.code(204).send(null)
  })
}

export default accessAssignments
