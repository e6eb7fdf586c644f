// The sign-in's HTTP side (dev mode): the authorization endpoint (v2.0 and v1 layouts), the sign-in
// pages, the device login page and sign-out. Forms are protected against cross-site requests
// (@fastify/csrf-protection, a double-submit token); the signed-in session is an HttpOnly cookie,
// Secure over HTTPS. Pages carry a strict Content-Security-Policy and are never cached or framed.
import cookie from '@fastify/cookie'
import csrf from '@fastify/csrf-protection'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyError, FastifyReply } from 'fastify'
import { Type } from 'typebox'
import type { Config } from '../../config.js'
import { isDatabaseUnavailable } from '../../db/errors.js'
import { badForm, OAuthError, staleForm, temporarilyUnavailable } from '../errors.js'
import { renderFormPost, renderPage } from './pages.js'
import { AUTHORIZE_PARAMS, type AuthorizeParams, type Outcome } from './outcome.js'
import { createSignInService } from './service.js'

const TenantParams = Type.Object({ tenant: Type.String({ minLength: 1, maxLength: 256 }) })
const RequestParams = Type.Object({ requestId: Type.String({ format: 'uuid' }) })
const AuthorizeQuery = Type.Object(Object.fromEntries(AUTHORIZE_PARAMS.map((name) => [name, Type.Optional(Type.String({ maxLength: 4096 }))])))
const Csrf = { _csrf: Type.Optional(Type.String()) }
const tags = ['identity']

const signIn: FastifyPluginAsyncTypebox<{ config: Config }> = async (app, { config }) => {
  const secure = config.PUBLIC_BASE_URL.startsWith('https:')
  // Over HTTPS the __Host- prefix binds the cookies to this origin. Over plain HTTP a browser sends
  // them to every port of the host: another local server would see the session (docs/sign-in.md).
  const prefix = secure ? '__Host-' : ''
  const SESSION_COOKIE = `${prefix}pce_session`
  await app.register(cookie)
  await app.register(csrf, { sessionPlugin: '@fastify/cookie', cookieKey: `${prefix}pce_csrf`, cookieOpts: { path: '/', httpOnly: true, sameSite: 'strict', secure } })
  const service = createSignInService({ db: app.db, publicBaseUrl: config.PUBLIC_BASE_URL })
  const now = () => new Date()

  // The pages answer in HTML, never in an API's envelope: a stale form (CSRF), a bad field, a sign-in
  // that cannot go on. Other errors are the app's (a 500, a database outage: logged there).
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (isDatabaseUnavailable(error)) {
      request.log.warn({ err: error }, 'database unavailable')
      return send(reply.header('Retry-After', '5'), { kind: 'page', page: { step: 'error', error: temporarilyUnavailable() } }, 503)
    }
    const status = error.statusCode ?? 500
    if (status >= 500) throw error
    const oauth = error instanceof OAuthError ? error : status === 403 ? staleForm() : badForm()
    return send(reply, { kind: 'page', page: { step: 'error', error: oauth } }, status === 403 ? 403 : 400)
  })

  /** Sends what a step answers: a page, a redirect, or the form_post hand-over; and keeps a new session. */
  async function send (reply: FastifyReply, outcome: Outcome, errorStatus = 400): Promise<FastifyReply> {
    reply.header('Cache-Control', 'no-store').header('X-Frame-Options', 'DENY')
    if (outcome.session) {
      reply.setCookie(SESSION_COOKIE, outcome.session.id, { path: '/', httpOnly: true, sameSite: 'lax', secure, expires: outcome.session.expiresAt })
    }
    if (outcome.kind === 'redirect') return reply.redirect(outcome.location, 302)
    // No form-action: a browser applies it to the redirects that follow a form's post, and the last
    // page's post is redirected to the client's redirect URI, on another origin.
    const csp = outcome.kind === 'form_post' ? "script-src 'unsafe-inline'" : "script-src 'none'"
    reply.type('text/html; charset=utf-8').header('Content-Security-Policy', `default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'; base-uri 'none'; ${csp}`)
    if (outcome.kind === 'form_post') return reply.send(renderFormPost(outcome.action, outcome.fields))
    return reply.code(outcome.page.step === 'error' ? errorStatus : 200).send(renderPage(outcome.page, reply.generateCsrf()))
  }

  for (const version of [2, 1] as const) {
    const oauth = version === 2 ? 'oauth2/v2.0' : 'oauth2'
    app.get(`/:tenant/${oauth}/authorize`, {
      schema: {
        operationId: version === 2 ? 'authorize' : 'authorizeV1', tags, security: [],
        summary: 'Authorization endpoint: the sign-in pages, then a code for the redirect URI (authorization code + PKCE)',
        params: TenantParams, querystring: AuthorizeQuery
      }
    }, async (request, reply) => {
      const params = request.query as AuthorizeParams
      return send(reply, await service.authorize(request.params.tenant, params, request.cookies[SESSION_COOKIE], now()))
    })

    app.get(`/:tenant/${oauth}/logout`, {
      schema: {
        operationId: version === 2 ? 'signOut' : 'signOutV1', tags, security: [], summary: 'End the signed-in session',
        params: TenantParams,
        querystring: Type.Object({ post_logout_redirect_uri: Type.Optional(Type.String({ maxLength: 2048 })), client_id: Type.Optional(Type.String({ maxLength: 64 })) })
      }
    }, async (request, reply) => {
      reply.clearCookie(SESSION_COOKIE, { path: '/', secure })
      const back = await service.signOut(request.cookies[SESSION_COOKIE], request.query.client_id, request.query.post_logout_redirect_uri)
      if (back) return reply.header('Cache-Control', 'no-store').redirect(back, 302)
      return send(reply, { kind: 'page', page: { step: 'signed-out' } })
    })
  }

  app.get('/sign-in/:requestId', {
    schema: { operationId: 'signInPage', tags, security: [], summary: 'The current page of a sign-in', params: RequestParams }
  }, async (request, reply) => send(reply, await service.page(request.params.requestId, now())))

  app.post('/sign-in/:requestId/password', {
    preValidation: app.csrfProtection,
    schema: {
      operationId: 'signInPassword', tags, security: [], summary: 'Sign-in: user name and password', params: RequestParams,
      body: Type.Object({ ...Csrf, username: Type.String({ maxLength: 256 }), password: Type.Optional(Type.String({ maxLength: 256 })) })
    }
  }, async (request, reply) => send(reply, await service.password(request.params.requestId, request.body.username, request.body.password ?? '', now())))

  app.post('/sign-in/:requestId/federation', {
    preValidation: app.csrfProtection,
    schema: {
      operationId: 'signInFederated', tags, security: [], summary: 'Sign-in: the simulated federated identity provider', params: RequestParams,
      body: Type.Object({ ...Csrf, password: Type.Optional(Type.String({ maxLength: 256 })), approve: Type.Optional(Type.String()) })
    }
  }, async (request, reply) => send(reply, await service.federated(request.params.requestId, request.body.password ?? '', request.body.approve === 'yes', now())))

  app.post('/sign-in/:requestId/totp', {
    preValidation: app.csrfProtection,
    schema: {
      operationId: 'signInTotp', tags, security: [], summary: 'Sign-in: the authenticator app\'s code (verification or registration)', params: RequestParams,
      body: Type.Object({ ...Csrf, code: Type.String({ maxLength: 16 }) })
    }
  }, async (request, reply) => send(reply, await service.totp(request.params.requestId, request.body.code, now())))

  app.get('/devicelogin', {
    schema: { operationId: 'deviceLoginPage', tags, security: [], summary: 'Device login: enter the code a device shows' }
  }, async (_request, reply) => send(reply, { kind: 'page', page: { step: 'device' } }))

  app.post('/devicelogin', {
    preValidation: app.csrfProtection,
    schema: {
      operationId: 'deviceLogin', tags, security: [], summary: 'Device login: the code, then the sign-in pages',
      body: Type.Object({ ...Csrf, user_code: Type.String({ maxLength: 64 }) })
    }
  }, async (request, reply) => send(reply, await service.deviceLogin(request.body.user_code, now())))

  app.post('/devicelogin/confirm', {
    preValidation: app.csrfProtection,
    schema: {
      operationId: 'deviceLoginConfirm', tags, security: [], summary: 'Device login: continue to sign in for the device, or cancel',
      body: Type.Object({ ...Csrf, user_code: Type.String({ maxLength: 64 }), decision: Type.Union([Type.Literal('continue'), Type.Literal('cancel')]) })
    }
  }, async (request, reply) => send(reply, await service.deviceDecision(request.body.user_code, request.body.decision === 'continue', now())))
}

export default signIn
