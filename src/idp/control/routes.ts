// The control plane's sign-in helpers (dev mode only, like the rest of the identity provider): MFA
// registrations, passwords, sign-in sessions, redirect URIs, MFA policy. See control/service.ts.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { ErrorRef } from '../../schemas/common.js'
import {
  AppParams, MfaPolicySchema, MfaRegistrationSchema, RedirectUrisSchema, RegisterMfaSchema, RevokedSchema, SetPasswordSchema, TenantParams, UserParams
} from './schemas.js'
import { createSignInControl } from './service.js'

const tags = ['emulator']
const user = '/_emulator/tenants/:tenantId/users/:userId'

const signInControl: FastifyPluginAsyncTypebox = async (app) => {
  const control = createSignInControl(app.db)

  app.get(`${user}/mfaRegistration`, {
    schema: {
      operationId: 'getMfaRegistration', tags, security: [], params: UserParams,
      summary: 'A user\'s authenticator registration, with its secret and the code it shows now (dev mode)',
      response: { 200: MfaRegistrationSchema, 404: ErrorRef }
    }
  }, async (request) => control.mfaRegistration(request.params.tenantId, request.params.userId))

  app.put(`${user}/mfaRegistration`, {
    schema: {
      operationId: 'registerMfa', tags, security: [], params: UserParams, body: RegisterMfaSchema,
      summary: 'Register an authenticator for a user, with a known or a new secret (dev mode)',
      response: { 200: MfaRegistrationSchema, 400: ErrorRef, 404: ErrorRef }
    }
  }, async (request) => control.registerMfa(request.params.tenantId, request.params.userId, request.body))

  app.delete(`${user}/mfaRegistration`, {
    schema: {
      operationId: 'resetMfaRegistration', tags, security: [], params: UserParams,
      summary: 'Forget a user\'s MFA registration: the next MFA sign-in starts with registration',
      response: { 204: Type.Null(), 404: ErrorRef }
    }
  }, async (request, reply) => {
    await control.resetMfa(request.params.tenantId, request.params.userId)
    return reply.code(204).send(null)
  })

  app.post(`${user}/revokeSignInSessions`, {
    schema: {
      operationId: 'revokeSignInSessions', tags, security: [], params: UserParams,
      summary: 'End a user\'s signed-in sessions and revoke every refresh token (AADSTS50173 on the next refresh)',
      response: { 200: RevokedSchema, 404: ErrorRef }
    }
  }, async (request) => control.revokeSignInSessions(request.params.tenantId, request.params.userId))

  app.put(`${user}/password`, {
    schema: {
      operationId: 'resetPassword', tags, security: [], params: UserParams, body: SetPasswordSchema,
      summary: 'Reset a user\'s password: sessions end and refresh tokens are revoked (AADSTS50173)',
      response: { 204: Type.Null(), 400: ErrorRef, 404: ErrorRef }
    }
  }, async (request, reply) => {
    await control.setPassword(request.params.tenantId, request.params.userId, request.body.password)
    return reply.code(204).send(null)
  })

  app.put('/_emulator/tenants/:tenantId/apps/:appId/redirectUris', {
    schema: {
      operationId: 'setRedirectUris', tags, security: [], params: AppParams, body: RedirectUrisSchema,
      summary: 'Register an app\'s redirect URIs (loopback URIs need no registration)',
      response: { 200: RedirectUrisSchema, 400: ErrorRef, 404: ErrorRef }
    }
  }, async (request) => control.setRedirectUris(request.params.tenantId, request.params.appId, request.body.redirectUris))

  app.put('/_emulator/tenants/:tenantId/mfaPolicy', {
    schema: {
      operationId: 'setMfaPolicy', tags, security: [], params: TenantParams, body: MfaPolicySchema,
      summary: 'Whether a partner tenant asks for MFA at every sign-in, or only when an application asks',
      response: { 200: MfaPolicySchema, 404: ErrorRef }
    }
  }, async (request) => control.setMfaPolicy(request.params.tenantId, request.body.mfaPolicy))
}

export default signInControl
