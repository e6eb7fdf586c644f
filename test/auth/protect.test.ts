// app.protect(scope): the policy every protected route must declare, and where the auth hook sits
// among a route's own hooks. Routes are added to a scope of the real app before it starts.
import type { FastifyInstance, FastifyRequest } from 'fastify'
import t from 'tap'
import { buildApp } from '../../src/app.js'
import { testableConfig } from '../../src/config.js'
import { call, freshDatabaseUrl, mint, PARTNER, userToken, USERS } from '../helper.js'

/** The real app with `routes` in a protected scope of their own, started. */
async function start (t: { teardown: (fn: () => unknown) => void }, routes: (scope: FastifyInstance) => void): Promise<FastifyInstance> {
  const app = await buildApp(testableConfig({ PGLITE_DATA_DIR: 'memory://', DATABASE_URL: await freshDatabaseUrl(t) }), { logger: false })
  t.teardown(() => app.close())
  await app.register(async (scope) => {
    app.protect(scope)
    routes(scope)
  })
  await app.ready()
  return app
}

t.test('a protected route without a policy stops the start', async (t) => {
  await t.rejects(start(t, (scope) => { scope.get('/v1/no-policy', async () => ({})) }), /GET \/v1\/no-policy is protected but declares no config.auth policy/)
})

t.test('a route needing GDAP roles must be app+user only and name its customer', async (t) => {
  await t.rejects(start(t, (scope) => {
    scope.get('/v1/customers/:customerId/gdap-app-only', { config: { auth: { appOnly: true, partnerRoles: ['admin_agent'], gdapRoles: ['x'] } } }, async () => ({}))
  }), /declares gdapRoles: it must be app\+user only/)
  await t.rejects(start(t, (scope) => {
    scope.get('/v1/gdap-without-customer', { config: { auth: { appOnly: false, partnerRoles: ['admin_agent'], gdapRoles: ['x'] } } }, async () => ({}))
  }), /have a :customerId parameter/)
})

t.test('the auth hook runs before the onRequest hooks a route declares', async (t) => {
  const seen: Array<string | undefined> = []
  const app = await start(t, (scope) => {
    scope.get('/v1/hooked', {
      config: { auth: { appOnly: false, partnerRoles: ['admin_agent'] } },
      onRequest: (request: FastifyRequest, _reply, done) => { seen.push(request.principal?.objectId); done() }
    }, async () => ({ ok: true }))
  })

  const allowed = await call(app, await userToken(app, USERS.adminAgent), { url: '/v1/hooked' })
  t.equal(allowed.statusCode, 200)
  t.same(seen, [USERS.adminAgent.id], 'the route\'s hook sees the authenticated caller')

  const appOnly = await call(app, await mint(app, { tenantId: PARTNER.id }), { url: '/v1/hooked' })
  t.equal(appOnly.statusCode, 403, 'app-only is refused by the policy')
  const noToken = await app.inject({ url: '/v1/hooked' })
  t.equal(noToken.statusCode, 401)
  t.same(seen, [USERS.adminAgent.id], 'the route\'s hook never runs for a refused request')
})
