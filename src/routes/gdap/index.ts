// Graph GDAP: /v1.0/tenantRelationships/delegatedAdminRelationships (+ requests, accessAssignments,
// operations) and /v1.0/tenantRelationships/delegatedAdminCustomers. Graph shapes and error envelope.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import type { Config } from '../../config.js'
import { gdapNotFound } from '../../errors.js'
import { partnerOf, type AuthPolicy } from '../../plugins/auth/index.js'
import { odataPage, type ODataFields, type ODataQuery } from '../../lib/odata.js'
import { pathOf } from '../../lib/url.js'
import { graphErrors } from '../../schemas/common.js'
import { createGdapRepository } from './repository.js'
import {
  AssignmentParams, AssignmentSchema, CreateAssignmentSchema, CreateRelationshipSchema, CreateRequestSchema, CustomerParams,
  DelegatedAdminCustomerSchema, GraphCollection, ListQuery, OperationParams, OperationSchema, RelationshipParams, RelationshipSchema,
  RequestParams, RequestSchema, ServiceManagementDetailSchema, UpdateAssignmentSchema, UpdateRelationshipSchema
} from './schemas.js'
import { createGdapService, relationshipOf } from './service.js'

// Reference §8.1: Admin agents create and change GDAP relationships; reads also for the partner's
// oversight roles (Global admin, Security admin). Application permissions are supported, so app-only tokens are allowed.
const READ: AuthPolicy = { appOnly: true, partnerRoles: ['admin_agent', 'global_admin', 'security_admin'] }
const WRITE: AuthPolicy = { appOnly: true, partnerRoles: ['admin_agent'] }

const RELATIONSHIPS = '/v1.0/tenantRelationships/delegatedAdminRelationships'
const CUSTOMERS = '/v1.0/tenantRelationships/delegatedAdminCustomers'
const IfMatch = Type.Object({ 'if-match': Type.Optional(Type.String()) })
const tags = ['gdap']

type Relationship = ReturnType<typeof relationshipOf>
const relationshipFields: ODataFields<Relationship> = {
  status: (r) => r.status,
  displayName: (r) => r.displayName,
  'customer/tenantId': (r) => r.customer?.tenantId ?? null,
  'customer/displayName': (r) => r.customer?.displayName ?? null,
  createdDateTime: (r) => r.createdDateTime,
  endDateTime: (r) => r.endDateTime
}
const byStatus = <T extends { status: string, id: string }>(): ODataFields<T> => ({ status: (x) => x.status, id: (x) => x.id })

const gdap: FastifyPluginAsyncTypebox<{ config: Config }> = async (app, { config }) => {
  const service = createGdapService(createGdapRepository(app.db))
  const base = config.PUBLIC_BASE_URL
  const page = <T>(items: T[], request: FastifyRequest, fields: ODataFields<T>, entity: string) =>
    odataPage(items, request.query as ODataQuery, fields, {
      context: `${base}/v1.0/$metadata#${entity}`,
      url: `${base}${pathOf(request.url)}`
    })

  app.get(RELATIONSHIPS, {
    config: { auth: READ },
    schema: {
      operationId: 'listDelegatedAdminRelationships', tags, summary: 'List GDAP relationships',
      description: '$filter (eq on status, displayName, customer/tenantId; joined with and), $orderby, $top ≤ 300, $count, @odata.nextLink paging.',
      querystring: ListQuery, response: { 200: GraphCollection(RelationshipSchema), ...graphErrors }
    }
  }, async (request) => page(await service.list(partnerOf(request), await app.clock.now()), request, relationshipFields, 'tenantRelationships/delegatedAdminRelationships'))

  app.post(RELATIONSHIPS, {
    config: { auth: WRITE },
    schema: {
      operationId: 'createDelegatedAdminRelationship', tags, summary: 'Create a GDAP relationship (status created)',
      body: CreateRelationshipSchema, response: { 201: RelationshipSchema, ...graphErrors, 409: graphErrors[400] }
    }
  }, async (request, reply) => {
    const created = await service.create(partnerOf(request), request.body, await app.clock.now())
    reply.code(201).header('Location', `${base}${RELATIONSHIPS}/${created.id}`)
    return created
  })

  app.get(`${RELATIONSHIPS}/:relationshipId`, {
    config: { auth: READ },
    schema: {
      operationId: 'getDelegatedAdminRelationship', tags, summary: 'Get a GDAP relationship',
      params: RelationshipParams, response: { 200: RelationshipSchema, ...graphErrors }
    }
  }, async (request) => relationshipOf(await service.mustGet(partnerOf(request), request.params.relationshipId), await app.clock.now()))

  app.patch(`${RELATIONSHIPS}/:relationshipId`, {
    config: { auth: WRITE },
    schema: {
      operationId: 'updateDelegatedAdminRelationship', tags, summary: 'Update a GDAP relationship (If-Match required)',
      description: 'displayName, duration, customer and accessDetails while created; autoExtendDuration while created or active.',
      params: RelationshipParams, headers: IfMatch, body: UpdateRelationshipSchema,
      response: { 200: RelationshipSchema, ...graphErrors, 409: graphErrors[400], 412: graphErrors[400], 428: graphErrors[400] }
    }
  }, async (request) => service.update(partnerOf(request), request.params.relationshipId, request.headers['if-match'], request.body, await app.clock.now()))

  app.delete(`${RELATIONSHIPS}/:relationshipId`, {
    config: { auth: WRITE },
    schema: {
      operationId: 'deleteDelegatedAdminRelationship', tags, summary: 'Delete a relationship in status created (If-Match required)',
      params: RelationshipParams, headers: IfMatch, response: { 204: Type.Null(), ...graphErrors, 412: graphErrors[400], 428: graphErrors[400] }
    }
  }, async (request, reply) => {
    await service.remove(partnerOf(request), request.params.relationshipId, request.headers['if-match'], await app.clock.now())
    return reply.code(204).send(null)
  })

  app.get(`${RELATIONSHIPS}/:relationshipId/requests`, {
    config: { auth: READ },
    schema: {
      operationId: 'listDelegatedAdminRelationshipRequests', tags, summary: 'List the requests of a relationship',
      params: RelationshipParams, querystring: ListQuery, response: { 200: GraphCollection(RequestSchema), ...graphErrors }
    }
  }, async (request) => page(await service.requests(partnerOf(request), request.params.relationshipId), request, { ...byStatus(), action: (r) => r.action },
    `tenantRelationships/delegatedAdminRelationships('${request.params.relationshipId}')/requests`))

  app.post(`${RELATIONSHIPS}/:relationshipId/requests`, {
    config: { auth: WRITE },
    schema: {
      operationId: 'createDelegatedAdminRelationshipRequest', tags, summary: 'lockForApproval or terminate a relationship',
      description: 'lockForApproval: created → approvalPending (the customer then approves; see the control plane). ' +
        'terminate: active → terminationRequested → terminating → terminated (one minute per step on the emulator clock); access ends at once.',
      params: RelationshipParams, body: CreateRequestSchema, response: { 201: RequestSchema, ...graphErrors }
    }
  }, async (request, reply) => {
    const created = await service.request(partnerOf(request), request.params.relationshipId, request.body.action, await app.clock.now())
    reply.code(201).header('Location', `${base}${RELATIONSHIPS}/${request.params.relationshipId}/requests/${created.id}`)
    return created
  })

  app.get(`${RELATIONSHIPS}/:relationshipId/requests/:requestId`, {
    config: { auth: READ },
    schema: {
      operationId: 'getDelegatedAdminRelationshipRequest', tags, summary: 'Get a relationship request',
      params: RequestParams, response: { 200: RequestSchema, ...graphErrors }
    }
  }, async (request) => {
    const found = (await service.requests(partnerOf(request), request.params.relationshipId)).find((r) => r.id === request.params.requestId.toLowerCase())
    if (!found) throw gdapNotFound('delegatedAdminRelationshipRequest', request.params.requestId)
    return found
  })

  app.get(`${RELATIONSHIPS}/:relationshipId/accessAssignments`, {
    config: { auth: READ },
    schema: {
      operationId: 'listDelegatedAdminAccessAssignments', tags, summary: 'List the access assignments of a relationship',
      params: RelationshipParams, querystring: ListQuery, response: { 200: GraphCollection(AssignmentSchema), ...graphErrors }
    }
  }, async (request) => page(await service.assignments(partnerOf(request), request.params.relationshipId, await app.clock.now()), request,
    { ...byStatus(), 'accessContainer/accessContainerId': (a) => a.accessContainer.accessContainerId },
    `tenantRelationships/delegatedAdminRelationships('${request.params.relationshipId}')/accessAssignments`))

  app.post(`${RELATIONSHIPS}/:relationshipId/accessAssignments`, {
    config: { auth: WRITE },
    schema: {
      operationId: 'createDelegatedAdminAccessAssignment', tags, summary: 'Give a partner security group roles in the customer (status pending, then active)',
      description: 'The relationship must be active; the roles must be a subset of its roles; one assignment per security group.',
      params: RelationshipParams, body: CreateAssignmentSchema, response: { 201: AssignmentSchema, ...graphErrors, 409: graphErrors[400] }
    }
  }, async (request, reply) => {
    const created = await service.createAssignment(partnerOf(request), request.params.relationshipId, request.body, await app.clock.now())
    reply.code(201).header('Location', `${base}${RELATIONSHIPS}/${request.params.relationshipId}/accessAssignments/${created.id}`)
    return created
  })

  app.get(`${RELATIONSHIPS}/:relationshipId/accessAssignments/:assignmentId`, {
    config: { auth: READ },
    schema: {
      operationId: 'getDelegatedAdminAccessAssignment', tags, summary: 'Get an access assignment',
      params: AssignmentParams, response: { 200: AssignmentSchema, ...graphErrors }
    }
  }, async (request) => service.assignment(partnerOf(request), request.params.relationshipId, request.params.assignmentId, await app.clock.now()))

  app.patch(`${RELATIONSHIPS}/:relationshipId/accessAssignments/:assignmentId`, {
    config: { auth: WRITE },
    schema: {
      operationId: 'updateDelegatedAdminAccessAssignment', tags, summary: 'Change the roles of an access assignment (If-Match required)',
      description: '202 with Location (an operation) and Retry-After when the roles change; 200 with the unchanged assignment when they are the same.',
      params: AssignmentParams, headers: IfMatch, body: UpdateAssignmentSchema,
      response: { 200: AssignmentSchema, 202: Type.Null(), ...graphErrors, 412: graphErrors[400], 428: graphErrors[400] }
    }
  }, async (request, reply) => {
    const { relationshipId, assignmentId } = request.params
    const result = await service.updateAssignment(partnerOf(request), relationshipId, assignmentId, request.headers['if-match'],
      request.body.accessDetails.unifiedRoles.map((r) => r.roleDefinitionId), await app.clock.now())
    if (!result.changed) return result.assignment
    return reply.code(202).header('Location', `${base}${RELATIONSHIPS}/${relationshipId}/operations/${result.operationId}`)
      .header('Retry-After', '10').send(null)
  })

  app.delete(`${RELATIONSHIPS}/:relationshipId/accessAssignments/:assignmentId`, {
    config: { auth: WRITE },
    schema: {
      operationId: 'deleteDelegatedAdminAccessAssignment', tags, summary: 'Delete an access assignment (deleting, then deleted; If-Match required)',
      params: AssignmentParams, headers: IfMatch, response: { 204: Type.Null(), ...graphErrors, 412: graphErrors[400], 428: graphErrors[400] }
    }
  }, async (request, reply) => {
    await service.removeAssignment(partnerOf(request), request.params.relationshipId, request.params.assignmentId, request.headers['if-match'], await app.clock.now())
    return reply.code(204).send(null)
  })

  app.get(`${RELATIONSHIPS}/:relationshipId/operations`, {
    config: { auth: READ },
    schema: {
      operationId: 'listDelegatedAdminRelationshipOperations', tags, summary: 'List the long-running operations of a relationship',
      params: RelationshipParams, querystring: ListQuery, response: { 200: GraphCollection(OperationSchema), ...graphErrors }
    }
  }, async (request) => page(await service.operations(partnerOf(request), request.params.relationshipId), request, byStatus(),
    `tenantRelationships/delegatedAdminRelationships('${request.params.relationshipId}')/operations`))

  app.get(`${RELATIONSHIPS}/:relationshipId/operations/:operationId`, {
    config: { auth: READ },
    schema: {
      operationId: 'getDelegatedAdminRelationshipOperation', tags, summary: 'Get an operation',
      params: OperationParams, response: { 200: OperationSchema, ...graphErrors }
    }
  }, async (request) => {
    const found = (await service.operations(partnerOf(request), request.params.relationshipId)).find((o) => o.id === request.params.operationId.toLowerCase())
    if (!found) throw gdapNotFound('delegatedAdminRelationshipOperation', request.params.operationId)
    return found
  })

  app.get(CUSTOMERS, {
    config: { auth: READ },
    schema: {
      operationId: 'listDelegatedAdminCustomers', tags, summary: 'Customers with at least one active relationship',
      querystring: ListQuery, response: { 200: GraphCollection(DelegatedAdminCustomerSchema), ...graphErrors }
    }
  }, async (request) => page(await service.delegatedAdminCustomers(partnerOf(request), await app.clock.now()), request,
    { displayName: (c) => c.displayName, tenantId: (c) => c.tenantId }, 'tenantRelationships/delegatedAdminCustomers'))

  const mustGetCustomer = async (request: FastifyRequest, customerId: string) => {
    const found = (await service.delegatedAdminCustomers(partnerOf(request), await app.clock.now())).find((c) => c.id === customerId.toLowerCase())
    if (!found) throw gdapNotFound('delegatedAdminCustomer', customerId)
    return found
  }

  app.get(`${CUSTOMERS}/:customerId`, {
    config: { auth: READ },
    schema: {
      operationId: 'getDelegatedAdminCustomer', tags, summary: 'Get a delegated admin customer',
      params: CustomerParams, response: { 200: DelegatedAdminCustomerSchema, ...graphErrors }
    }
  }, async (request) => mustGetCustomer(request, request.params.customerId))

  app.get(`${CUSTOMERS}/:customerId/serviceManagementDetails`, {
    config: { auth: READ },
    schema: {
      operationId: 'listServiceManagementDetails', tags, summary: 'Admin portals of a delegated admin customer',
      params: CustomerParams, querystring: ListQuery, response: { 200: GraphCollection(ServiceManagementDetailSchema), ...graphErrors }
    }
  }, async (request) => {
    const customer = await mustGetCustomer(request, request.params.customerId)
    const details = [
      ['Microsoft 365 admin center', `https://admin.microsoft.com/Partner/BeginClientSession.aspx?CTID=${customer.tenantId}`],
      ['Microsoft Entra admin center', `https://entra.microsoft.com/${customer.tenantId}`],
      ['Exchange admin center', `https://admin.exchange.microsoft.com/?landingpage=homepage&form=mac_sidebar&delegatedOrg=${customer.tenantId}`],
      ['Azure portal', `https://portal.azure.com/${customer.tenantId}`]
    ].map(([serviceName, serviceManagementUrl], i) => ({
      '@odata.type': '#microsoft.graph.delegatedAdminServiceManagementDetail',
      id: `${customer.tenantId}-${i + 1}`,
      serviceName: serviceName!,
      serviceManagementUrl: serviceManagementUrl!
    }))
    return page(details, request, { serviceName: (d) => d.serviceName }, `tenantRelationships/delegatedAdminCustomers('${customer.id}')/serviceManagementDetails`)
  })
}

export default gdap
