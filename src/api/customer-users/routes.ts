// Customer users, directory roles and licenses: /v1/customers/{customerId}/users, /directoryroles,
// /subscribedskus. All app+user only; each route names the GDAP roles that allow it, and the auth
// hook lets the call through only when the user holds one of them in that customer, which it has
// checked is the caller's partner's customer. So the services below scope by customer id.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { partnerOf, requireGdapRoles, type AuthPolicy } from '../../auth/policy.js'
import { GDAP_ROLES } from '../../directory/entra-roles.js'
import { selfOf } from '../../lib/url.js'
import { collectionOf, ErrorRef, protectedErrors, SeekCollectionSchema } from '../../schemas/common.js'
import {
  AddUserMemberSchema, ContinuationHeaders, CreateCustomerUserSchema, CustomerParams, CustomerUserCollectionSchema, CustomerUserSchema,
  DirectoryRoleSchema, LicenseGroupQuery, LicenseSchema, LicenseUpdateResultSchema, LicenseUpdateSchema, ListUsersQuery, RoleMemberParams,
  RoleParams, SubscribedSkuSchema, UpdateCustomerUserSchema, UserMemberSchema, UserParams
} from './schemas.js'
import { createCustomerUsersService, licenseGroupsOf } from './service.js'

// Partner roles: the agents who work in customers' tenants; the GDAP roles decide the rest.
const AGENTS = ['admin_agent', 'sales_agent', 'helpdesk_agent'] as const
const policy = (gdapRoles: readonly string[]): AuthPolicy => ({ appOnly: false, partnerRoles: AGENTS, gdapRoles })
const errors = { ...protectedErrors, 404: ErrorRef }
const tags = ['customer users']

const customerUsers: FastifyPluginAsyncTypebox = async (app) => {
  const service = createCustomerUsersService(app.db)
  const now = () => app.clock.now()

  app.post('/v1/customers/:customerId/users', {
    config: { auth: policy(GDAP_ROLES.createUser) },
    schema: {
      operationId: 'createCustomerUser', tags, summary: 'Create a user in the customer tenant',
      description: 'GDAP: User Administrator or Directory Writers. The UPN must be in the customer\'s domain. The answer echoes the password profile once.',
      params: CustomerParams, body: CreateCustomerUserSchema,
      response: { 200: CustomerUserSchema, ...errors }
    }
  }, async (request) => service.create(partnerOf(request), request.params.customerId, request.body))

  app.get('/v1/customers/:customerId/users', {
    config: { auth: policy(GDAP_ROLES.readUsers) },
    schema: {
      operationId: 'listCustomerUsers', tags, summary: 'List the customer\'s users (seek paging)',
      description: 'GDAP: Directory Readers, Global Reader or User Administrator. ' +
        'Deleted users: filter {"Field":"UserState","Value":"Inactive","Operator":"equals"}.',
      params: CustomerParams, querystring: ListUsersQuery, headers: ContinuationHeaders,
      response: { 200: CustomerUserCollectionSchema, ...errors }
    }
  }, async (request) => service.list(request.params.customerId, request.query, request.headers['ms-continuationtoken'], selfOf(request), await now()))

  app.get('/v1/customers/:customerId/users/:userId', {
    config: { auth: policy(GDAP_ROLES.readUsers) },
    schema: {
      operationId: 'getCustomerUser', tags, summary: 'Get a customer user',
      description: 'GDAP: Directory Readers, Global Reader or User Administrator.',
      params: UserParams,
      response: { 200: CustomerUserSchema, ...errors }
    }
  }, async (request) => service.get(request.params.customerId, request.params.userId, await now()))

  app.patch('/v1/customers/:customerId/users/:userId', {
    config: { auth: policy(GDAP_ROLES.updateUser) },
    schema: {
      operationId: 'updateCustomerUser', tags, summary: 'Update, reset the password of, or restore a customer user',
      description: 'GDAP: User Administrator or Directory Writers; a passwordProfile (password reset) also needs User Administrator or ' +
        'Privileged Authentication Administrator; state "active" (restore) needs User Administrator.',
      params: UserParams, body: UpdateCustomerUserSchema,
      response: { 200: CustomerUserSchema, ...errors }
    }
  }, async (request) => {
    const { customerId, userId } = request.params
    if (request.body.passwordProfile) requireGdapRoles(request.principal!, customerId, GDAP_ROLES.resetPassword, 'resetCustomerUserPassword')
    if (request.body.state === 'active') requireGdapRoles(request.principal!, customerId, GDAP_ROLES.restoreUser, 'restoreCustomerUser')
    return service.update(customerId, userId, request.body, await now())
  })

  app.delete('/v1/customers/:customerId/users/:userId', {
    config: { auth: policy(GDAP_ROLES.deleteUser) },
    schema: {
      operationId: 'deleteCustomerUser', tags, summary: 'Delete a customer user (restorable for 30 days)',
      description: 'GDAP: User Administrator.',
      params: UserParams,
      response: { 204: Type.Null(), ...errors }
    }
  }, async (request, reply) => {
    await service.softDelete(request.params.customerId, request.params.userId, await now())
    return reply.code(204).send(null)
  })

  app.get('/v1/customers/:customerId/users/:userId/directoryroles', {
    config: { auth: policy(GDAP_ROLES.readDirectoryRoles) },
    schema: {
      operationId: 'listCustomerUserRoles', tags, summary: 'Directory roles of a customer user',
      description: 'GDAP: Directory Readers, Global Reader or User Administrator.',
      params: UserParams,
      response: { 200: SeekCollectionSchema(DirectoryRoleSchema, 'Directory roles'), ...errors }
    }
  }, async (request) => collectionOf(await service.rolesOfUser(request.params.customerId, request.params.userId, await now()), selfOf(request)))

  app.get('/v1/customers/:customerId/directoryroles', {
    config: { auth: policy(GDAP_ROLES.readDirectoryRoles) },
    schema: {
      operationId: 'listCustomerDirectoryRoles', tags, summary: 'Directory roles of the customer tenant',
      description: 'GDAP: Directory Readers.',
      params: CustomerParams,
      response: { 200: SeekCollectionSchema(DirectoryRoleSchema, 'Directory roles'), ...errors }
    }
  }, async (request) => collectionOf(service.directoryRoles(), selfOf(request)))

  app.get('/v1/customers/:customerId/directoryroles/:roleId/usermembers', {
    config: { auth: policy(GDAP_ROLES.readDirectoryRoles) },
    schema: {
      operationId: 'listDirectoryRoleMembers', tags, summary: 'Users holding a directory role',
      description: 'GDAP: Directory Readers, Global Reader, Directory Writers or Privileged Role Administrator.',
      params: RoleParams,
      response: { 200: SeekCollectionSchema(UserMemberSchema, 'Role members'), ...errors }
    }
  }, async (request) => collectionOf(await service.roleMembers(request.params.customerId, request.params.roleId), selfOf(request)))

  app.post('/v1/customers/:customerId/directoryroles/:roleId/usermembers', {
    config: { auth: policy(GDAP_ROLES.changeRoleMembers) },
    schema: {
      operationId: 'addDirectoryRoleMember', tags, summary: 'Give a customer user a directory role',
      description: 'GDAP: Privileged Role Administrator.',
      params: RoleParams, body: AddUserMemberSchema,
      response: { 201: UserMemberSchema, ...errors }
    }
  }, async (request, reply) => {
    reply.code(201)
    return service.addRoleMember(request.params.customerId, request.params.roleId, request.body.id, await now())
  })

  app.delete('/v1/customers/:customerId/directoryroles/:roleId/usermembers/:userId', {
    config: { auth: policy(GDAP_ROLES.changeRoleMembers) },
    schema: {
      operationId: 'removeDirectoryRoleMember', tags, summary: 'Take a directory role from a customer user',
      description: 'GDAP: Privileged Role Administrator.',
      params: RoleMemberParams,
      response: { 204: Type.Null(), ...errors }
    }
  }, async (request, reply) => {
    await service.removeRoleMember(request.params.customerId, request.params.roleId, request.params.userId)
    return reply.code(204).send(null)
  })

  app.get('/v1/customers/:customerId/subscribedskus', {
    config: { auth: policy(GDAP_ROLES.readSubscribedSkus) },
    schema: {
      operationId: 'listSubscribedSkus', tags, summary: 'The customer\'s license SKUs with seat counts',
      description: 'GDAP: Directory Readers, Global Reader, User Administrator or License Administrator.',
      params: CustomerParams, querystring: LicenseGroupQuery,
      response: { 200: SeekCollectionSchema(SubscribedSkuSchema, 'Subscribed SKUs'), ...errors }
    }
  }, async (request) => {
    const skus = await service.subscribedSkus(request.params.customerId, licenseGroupsOf(request.query.licenseGroupIds))
    return collectionOf(skus, selfOf(request))
  })

  app.get('/v1/customers/:customerId/users/:userId/licenses', {
    config: { auth: policy(GDAP_ROLES.readUserLicenses) },
    schema: {
      operationId: 'listCustomerUserLicenses', tags, summary: 'Licenses assigned to a customer user',
      description: 'GDAP: Directory Readers, Directory Writers, User Administrator or License Administrator.',
      params: UserParams, querystring: LicenseGroupQuery,
      response: { 200: SeekCollectionSchema(LicenseSchema, 'Assigned licenses'), ...errors }
    }
  }, async (request) => {
    const { customerId, userId } = request.params
    const licenses = await service.licensesOfUser(customerId, userId, licenseGroupsOf(request.query.licenseGroupIds), await now())
    return collectionOf(licenses, selfOf(request))
  })

  app.post('/v1/customers/:customerId/users/:userId/licenseupdates', {
    config: { auth: policy(GDAP_ROLES.updateLicenses) },
    schema: {
      operationId: 'updateCustomerUserLicenses', tags, summary: 'Assign and remove licenses of a customer user',
      description: 'GDAP: License Administrator, User Administrator or Directory Writers. ' +
        'No seat left: 400 code 60012. SKUs of one license group per request.',
      params: UserParams, body: LicenseUpdateSchema,
      response: { 201: LicenseUpdateResultSchema, ...errors }
    }
  }, async (request, reply) => {
    const result = await service.updateLicenses(request.params.customerId, request.params.userId, request.body, await now())
    reply.code(201)
    return result
  })
}

export default customerUsers
