// Control plane for GDAP (dev mode): the emulator clock, partner security groups and their members,
// and the customer's side of a relationship (approve or reject), which happens in the customer's
// admin portal on the real service.
import type { FastifyInstance } from 'fastify'
import { Type } from 'typebox'
import { ApiError, invalidRequest } from '../../errors.js'
import { findUser, requireTenant } from '../../identity/accounts.js'
import { isGuid } from '../../lib/ids.js'
import { ErrorRef } from '../../schemas/common.js'
import { createGdapRepository } from '../gdap/repository.js'
import { RelationshipSchema } from '../gdap/schemas.js'
import { createGdapService } from '../gdap/service.js'

const tags = ['emulator']
const TenantParams = Type.Object({ tenantId: Type.String() })
const GroupSchema = Type.Object({ id: Type.String(), displayName: Type.String(), members: Type.Array(Type.String({ description: 'Partner user object ids' })) })

export default async function gdapControlPlane (app: FastifyInstance) {
  const service = createGdapService(createGdapRepository(app.db))

  const groupsOf = async (tenantId: string) => {
    const groups = await app.db.selectFrom('security_groups').select(['id', 'display_name']).where('partner_tenant_id', '=', tenantId).orderBy('display_name').execute()
    const members = await app.db.selectFrom('security_group_members as m').innerJoin('security_groups as g', 'g.id', 'm.group_id')
      .select(['m.group_id', 'm.user_id']).where('g.partner_tenant_id', '=', tenantId).orderBy('m.user_id').execute()
    return groups.map((g) => ({ id: g.id, displayName: g.display_name, members: members.filter((m) => m.group_id === g.id).map((m) => m.user_id) }))
  }

  app.get('/_emulator/clock', {
    schema: { operationId: 'getClock', tags, summary: 'The emulator clock', security: [], response: { 200: Type.Object({ now: Type.String(), offsetSeconds: Type.Number() }) } }
  }, async () => {
    const now = await app.clock.now()
    return { now: now.toISOString(), offsetSeconds: Math.round((now.getTime() - Date.now()) / 1000) }
  })

  app.put('/_emulator/clock', {
    schema: {
      operationId: 'setClock', tags, summary: 'Move the emulator clock forward (GDAP expiry, billing periods)',
      description: 'Give `now` (ISO date-time) or `advanceSeconds`. The clock never runs behind real time; tokens always use real time.',
      security: [],
      body: Type.Object({ now: Type.Optional(Type.String({ format: 'date-time' })), advanceSeconds: Type.Optional(Type.Integer({ minimum: 0 })) }),
      response: { 200: Type.Object({ now: Type.String(), offsetSeconds: Type.Number() }), 400: ErrorRef }
    }
  }, async (request) => {
    const body = request.body as { now?: string, advanceSeconds?: number }
    if ((body.now === undefined) === (body.advanceSeconds === undefined)) throw invalidRequest('Give exactly one of now and advanceSeconds.')
    const target = body.now !== undefined ? new Date(body.now) : new Date((await app.clock.now()).getTime() + body.advanceSeconds! * 1000)
    const now = await app.clock.set(target)
    return { now: now.toISOString(), offsetSeconds: Math.round((now.getTime() - Date.now()) / 1000) }
  })

  app.get('/_emulator/tenants/:tenantId/securityGroups', {
    schema: { operationId: 'listSecurityGroups', tags, summary: 'Security groups of a partner tenant', security: [], params: TenantParams, response: { 200: Type.Array(GroupSchema), 404: ErrorRef } }
  }, async (request) => groupsOf((await requireTenant(app.db, (request.params as { tenantId: string }).tenantId)).id))

  app.post('/_emulator/tenants/:tenantId/securityGroups', {
    schema: {
      operationId: 'createSecurityGroup', tags, summary: 'Create a security group in a partner tenant', security: [], params: TenantParams,
      body: Type.Object({ displayName: Type.String({ minLength: 1, maxLength: 120 }), members: Type.Optional(Type.Array(Type.String({ description: 'Object id or UPN' }))) }),
      response: { 201: GroupSchema, 400: ErrorRef, 404: ErrorRef }
    }
  }, async (request, reply) => {
    const tenant = await requireTenant(app.db, (request.params as { tenantId: string }).tenantId)
    const body = request.body as { displayName: string, members?: string[] }
    const members = await Promise.all((body.members ?? []).map(async (m) => {
      const user = await findUser(app.db, tenant.id, m)
      if (!user) throw invalidRequest(`User ${m} does not exist in tenant ${tenant.id}.`)
      return user.id
    }))
    const id = crypto.randomUUID()
    await app.db.transaction().execute(async (trx) => {
      const taken = await trx.selectFrom('security_groups').select('id').where('partner_tenant_id', '=', tenant.id).where('display_name', '=', body.displayName).executeTakeFirst()
      if (taken) throw invalidRequest(`A security group named ${body.displayName} already exists.`)
      await trx.insertInto('security_groups').values({ id, partner_tenant_id: tenant.id, display_name: body.displayName }).execute()
      if (members.length > 0) await trx.insertInto('security_group_members').values([...new Set(members)].map((user_id) => ({ group_id: id, user_id }))).execute()
    })
    reply.code(201)
    return { id, displayName: body.displayName, members: [...new Set(members)] }
  })

  const MemberParams = Type.Object({ tenantId: Type.String(), groupId: Type.String(), userId: Type.String() })
  const memberOf = async (params: { tenantId: string, groupId: string, userId: string }) => {
    const tenant = await requireTenant(app.db, params.tenantId)
    const group = isGuid(params.groupId)
      ? await app.db.selectFrom('security_groups').select('id').where('partner_tenant_id', '=', tenant.id).where('id', '=', params.groupId.toLowerCase()).executeTakeFirst()
      : undefined
    if (!group) throw new ApiError(404, 1000, `Security group ${params.groupId} does not exist in tenant ${tenant.id}.`)
    const user = await findUser(app.db, tenant.id, params.userId)
    if (!user) throw new ApiError(404, 1000, `User ${params.userId} does not exist in tenant ${tenant.id}.`)
    return { groupId: group.id, userId: user.id }
  }

  app.put('/_emulator/tenants/:tenantId/securityGroups/:groupId/members/:userId', {
    schema: { operationId: 'addSecurityGroupMember', tags, summary: 'Add a partner user to a security group', security: [], params: MemberParams, response: { 204: Type.Null(), 404: ErrorRef } }
  }, async (request, reply) => {
    const { groupId, userId } = await memberOf(request.params as { tenantId: string, groupId: string, userId: string })
    await app.db.insertInto('security_group_members').values({ group_id: groupId, user_id: userId }).onConflict((oc) => oc.doNothing()).execute()
    return reply.code(204).send()
  })

  app.delete('/_emulator/tenants/:tenantId/securityGroups/:groupId/members/:userId', {
    schema: { operationId: 'removeSecurityGroupMember', tags, summary: 'Remove a partner user from a security group', security: [], params: MemberParams, response: { 204: Type.Null(), 404: ErrorRef } }
  }, async (request, reply) => {
    const { groupId, userId } = await memberOf(request.params as { tenantId: string, groupId: string, userId: string })
    await app.db.deleteFrom('security_group_members').where('group_id', '=', groupId).where('user_id', '=', userId).execute()
    return reply.code(204).send()
  })

  for (const action of ['approve', 'reject'] as const) {
    app.post(`/_emulator/customers/:customerId/delegatedAdminRelationships/:relationshipId/${action}`, {
      schema: {
        operationId: `${action}DelegatedAdminRelationship`, tags, security: [],
        summary: action === 'approve'
          ? 'As the customer: approve a relationship awaiting approval (it becomes active at once)'
          : 'As the customer: reject a relationship awaiting approval (it becomes terminated)',
        params: Type.Object({ customerId: Type.String(), relationshipId: Type.String() }),
        response: { 200: RelationshipSchema, 400: ErrorRef, 404: ErrorRef }
      }
    }, async (request) => {
      const { customerId, relationshipId } = request.params as { customerId: string, relationshipId: string }
      if (!isGuid(customerId)) throw invalidRequest(`${customerId} is not a tenant id.`)
      return service.answer(customerId, relationshipId, action, await app.clock.now())
    })
  }
}
