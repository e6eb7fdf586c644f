// The control plane under /_emulator. Health is always served; the rest only in dev mode, where it is
// not behind the auth hook: anyone who reaches the port can change the emulator's state, which is its
// purpose. Never expose a DEV_MODE instance beyond the machines that test against it.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import type { Config } from '../../config.js'
import { OPENAPI_INFO } from '../../plugins/swagger.js'
import { ErrorRef } from '../../schemas/common.js'
import { invalidRequest } from '../../errors.js'
import { RelationshipSchema } from '../../gdap/schemas.js'
import {
  AnswerParams, ClockSchema, CloseBillingSchema, ClosedPeriodSchema, CreateGroupSchema, EntraTrustSchema, GroupSchema, HealthSchema, JournalQuery,
  MemberParams, SetClockSchema, SetThrottlingSchema, TenantParams, ThrottlingSchema
} from './schemas.js'
import { createControlPlaneService } from './service.js'

const tags = ['emulator']

const controlPlane: FastifyPluginAsyncTypebox<{ config: Config }> = async (app, { config }) => {
  const service = createControlPlaneService({
    db: app.db,
    backend: app.database.backend,
    clock: app.clock,
    journal: app.journal,
    clearAuthCaches: app.clearAuthCaches,
    devCaCert: app.devCaCert,
    version: OPENAPI_INFO.version
  })

  app.get('/_emulator/health', {
    schema: {
      operationId: 'getHealth', tags, summary: 'Service and database health', security: [],
      response: { 200: HealthSchema, 503: HealthSchema }
    }
  }, async (request, reply) => {
    const health = await service.health(request.log)
    return reply.code(health.status === 'ok' ? 200 : 503).send(health)
  })

  if (!config.DEV_MODE) return

  app.get('/_emulator/ca.pem', {
    schema: {
      operationId: 'getDevelopmentCa', tags, summary: 'The development CA certificate that signs the HTTPS certificate (TLS=on)',
      description: 'PEM. Save it and point NODE_EXTRA_CA_CERTS at it (or run npx pce ca). 404 when TLS is off or the certificate is your own.',
      security: [],
      response: { 200: Type.String(), 404: ErrorRef }
    }
  }, async (_request, reply) => reply.type('application/x-pem-file').send(service.developmentCa()))

  app.get('/_emulator/clock', {
    schema: { operationId: 'getClock', tags, summary: 'The emulator clock', security: [], response: { 200: ClockSchema } }
  }, async () => service.clock())

  app.put('/_emulator/clock', {
    schema: {
      operationId: 'setClock', tags, summary: 'Move the emulator clock forward (GDAP expiry, billing periods)',
      description: 'Give `now` (ISO date-time) or `advanceSeconds`. The clock never runs behind real time; tokens always use real time.',
      security: [], body: SetClockSchema,
      response: { 200: ClockSchema, 400: ErrorRef }
    }
  }, async (request) => service.setClock(request.body))

  app.get('/_emulator/tenants/:tenantId/securityGroups', {
    schema: {
      operationId: 'listSecurityGroups', tags, summary: 'Security groups of a partner tenant', security: [],
      params: TenantParams,
      response: { 200: Type.Array(GroupSchema), 404: ErrorRef }
    }
  }, async (request) => service.securityGroups(request.params.tenantId))

  app.post('/_emulator/tenants/:tenantId/securityGroups', {
    schema: {
      operationId: 'createSecurityGroup', tags, summary: 'Create a security group in a partner tenant', security: [],
      params: TenantParams, body: CreateGroupSchema,
      response: { 201: GroupSchema, 400: ErrorRef, 404: ErrorRef }
    }
  }, async (request, reply) => {
    reply.code(201)
    return service.createSecurityGroup(request.params.tenantId, request.body)
  })

  app.put('/_emulator/tenants/:tenantId/securityGroups/:groupId/members/:userId', {
    schema: {
      operationId: 'addSecurityGroupMember', tags, summary: 'Add a partner user to a security group', security: [],
      params: MemberParams,
      response: { 204: Type.Null(), 404: ErrorRef }
    }
  }, async (request, reply) => {
    await service.addGroupMember(request.params)
    return reply.code(204).send(null)
  })

  app.delete('/_emulator/tenants/:tenantId/securityGroups/:groupId/members/:userId', {
    schema: {
      operationId: 'removeSecurityGroupMember', tags, summary: 'Remove a partner user from a security group', security: [],
      params: MemberParams,
      response: { 204: Type.Null(), 404: ErrorRef }
    }
  }, async (request, reply) => {
    await service.removeGroupMember(request.params)
    return reply.code(204).send(null)
  })

  // On the real service the customer answers in its admin portal.
  for (const action of ['approve', 'reject'] as const) {
    app.post(`/_emulator/customers/:customerId/delegatedAdminRelationships/:relationshipId/${action}`, {
      schema: {
        operationId: `${action}DelegatedAdminRelationship`, tags, security: [],
        summary: action === 'approve'
          ? 'As the customer: approve a relationship awaiting approval (it becomes active at once)'
          : 'As the customer: reject a relationship awaiting approval (it becomes terminated)',
        params: AnswerParams,
        response: { 200: RelationshipSchema, 400: ErrorRef, 404: ErrorRef }
      }
    }, async (request) => service.answerRelationship(request.params.customerId, request.params.relationshipId, action))
  }

  app.post('/_emulator/billing/close', {
    schema: {
      operationId: 'closeBillingPeriod', tags, security: [],
      summary: 'Close a partner\'s billing period now (emulator clock): uninvoiced charges become invoices, one per currency',
      description: 'The period closed is the calendar month the emulator clock is in; its invoices are dated at the close. ' +
        'Every charge not invoiced yet, and the usage metered before now, goes on them.',
      body: CloseBillingSchema,
      response: { 200: ClosedPeriodSchema, 404: ErrorRef }
    }
  }, async (request) => service.closeBillingPeriod(request.body.tenantId))

  app.put('/_emulator/tenants/:tenantId/entra-trust', {
    schema: {
      operationId: 'setEntraTrust', tags, summary: 'Onboard (or not) a partner tenant for real Entra ID tokens', security: [],
      params: TenantParams, body: EntraTrustSchema
    }
  }, async (request) => service.setEntraTrust(request.params.tenantId, request.body.trusted))

  app.get('/_emulator/journal', {
    schema: {
      operationId: 'readJournal', tags, summary: 'The newest auth decisions', security: [],
      querystring: JournalQuery
    }
  }, async (request) => service.journal(request.query.tenantId, request.query.limit ?? 100))

  app.get('/_emulator/throttling', {
    schema: { operationId: 'getThrottling', tags, summary: 'The throttling limits in force', security: [], response: { 200: ThrottlingSchema } }
  }, async () => app.throttling.limits())

  app.put('/_emulator/throttling', {
    schema: {
      operationId: 'setThrottling', tags, summary: 'Set throttling limits (replacing those set before) and start every counter afresh',
      description: 'Each limit names an `operation` (operationId) or a `pathPattern`; it adds to or overrides the documented limits, ' +
        'on any authenticated route. Lower one to test a client\'s handling of 429. POST /_emulator/reset drops them.',
      security: [], body: SetThrottlingSchema,
      response: { 200: ThrottlingSchema, 400: ErrorRef }
    }
  }, async (request) => {
    const limits = request.body.limits
    if (limits.some((l) => (l.operation === undefined) === (l.pathPattern === undefined))) {
      throw invalidRequest('Each limit names either an operation or a pathPattern.')
    }
    await app.throttling.setOverrides(limits)
    return app.throttling.limits()
  })

  app.post('/_emulator/reset', {
    schema: {
      operationId: 'reset', tags, summary: 'Erase all partner data and load the demo data again',
      description: 'Signing keys survive, so tokens already minted stay verifiable. The emulator clock goes back to real time. ' +
        'Throttling limits set through the control plane are dropped and every counter starts afresh.', security: []
    }
  }, async () => {
    await app.throttling.reset()
    return service.reset()
  })
}

export default controlPlane
