// Throttling through the real app: limits lowered through the control plane, 429 with Retry-After in
// each surface's envelope, counters per partner and per customer, windows that close, counters in
// process and in Redis shared by two instances, and a client that honours Retry-After.
import type { FastifyInstance, LightMyRequestResponse } from 'fastify'
import t from 'tap'
import { build, call, OTHER_PARTNER, PARTNER, userToken, USERS } from '../helper.js'

// Redis runs beside PostgreSQL on the development machines and in CI.
const REDIS_URL = process.env.TEST_REDIS_URL || 'redis://127.0.0.1:6379'
const GRAPH = 'https://graph.microsoft.com'
const [contoso, northwind] = PARTNER.customers
const ordersOf = (customerId: string) => ({ method: 'GET' as const, url: `/v1/customers/${customerId}/orders` })

const app = await build(t)
const admin = await userToken(app, USERS.adminAgent)
const otherAdmin = await userToken(app, USERS.otherAdminAgent, { tenantId: OTHER_PARTNER.id })

const setLimits = async (target: FastifyInstance, limits: object[]) => {
  const res = await target.inject({ method: 'PUT', url: '/_emulator/throttling', payload: { limits } })
  if (res.statusCode !== 200) throw new Error(`setting limits failed: ${res.statusCode} ${res.body}`)
}
const retryAfterOf = (res: LightMyRequestResponse) => Number(res.headers['retry-after'])
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

t.afterEach(async () => { await app.inject({ method: 'POST', url: '/_emulator/reset' }) })

t.test('a lowered limit answers 429 with Retry-After in the Partner Center envelope', async (t) => {
  await setLimits(app, [{ operation: 'listOrders', requests: 2, windowSeconds: 60 }])
  for (let i = 0; i < 2; i++) t.equal((await call(app, admin, ordersOf(contoso!.id))).statusCode, 200)
  const res = await call(app, admin, ordersOf(contoso!.id))
  t.equal(res.statusCode, 429)
  t.ok(retryAfterOf(res) >= 1 && retryAfterOf(res) <= 60, `Retry-After ${res.headers['retry-after']} is within the window`)
  t.match(res.json(), { code: 429, description: `Rate limit is exceeded. Try again in ${retryAfterOf(res)} seconds.`, data: [], source: 'PartnerFD' })
  t.ok(res.headers['ms-requestid'] ?? res.headers['ms-correlationid'], 'the wire headers are still there')
})

t.test('Graph answers 429 in its envelope, with its code', async (t) => {
  const graphAdmin = await userToken(app, USERS.adminAgent, { audience: GRAPH })
  await setLimits(app, [{ operation: 'listDelegatedAdminRelationships', requests: 1, windowSeconds: 60 }])
  const url = '/v1.0/tenantRelationships/delegatedAdminRelationships'
  t.equal((await call(app, graphAdmin, { method: 'GET', url })).statusCode, 200)
  const res = await call(app, graphAdmin, { method: 'GET', url, headers: { 'client-request-id': 'b5f5f9d4-7d0b-4b8e-9f43-1f4f3f0f2a11' } })
  t.equal(res.statusCode, 429)
  t.ok(retryAfterOf(res) >= 1)
  t.match(res.json(), {
    error: { code: 'TooManyRequests', message: /Rate limit is exceeded/, innerError: { 'client-request-id': 'b5f5f9d4-7d0b-4b8e-9f43-1f4f3f0f2a11' } }
  })
})

t.test('another partner is not affected', async (t) => {
  await setLimits(app, [{ operation: 'listOrders', requests: 1, windowSeconds: 60, scope: 'partner' }])
  t.equal((await call(app, admin, ordersOf(contoso!.id))).statusCode, 200)
  t.equal((await call(app, admin, ordersOf(contoso!.id))).statusCode, 429)
  t.equal((await call(app, otherAdmin, ordersOf(OTHER_PARTNER.customers[0]!.id))).statusCode, 200)
})

t.test('a per-customer limit separates customers; a per-partner one does not', async (t) => {
  await setLimits(app, [{ pathPattern: '/v1/customers/{id}/orders', requests: 1, windowSeconds: 60 }])
  t.equal((await call(app, admin, ordersOf(contoso!.id))).statusCode, 200)
  t.equal((await call(app, admin, ordersOf(contoso!.id.toUpperCase()))).statusCode, 429, 'the id\'s case opens no second counter')
  t.equal((await call(app, admin, ordersOf(northwind!.id))).statusCode, 200)

  await setLimits(app, [{ operation: 'listOrders', requests: 1, windowSeconds: 60, scope: 'partner' }])
  t.equal((await call(app, admin, ordersOf(contoso!.id))).statusCode, 200)
  t.equal((await call(app, admin, ordersOf(northwind!.id))).statusCode, 429)
})

t.test('unauthenticated requests count against nobody; other operations are not limited', async (t) => {
  await setLimits(app, [{ operation: 'listOrders', requests: 1, windowSeconds: 60 }])
  for (let i = 0; i < 3; i++) t.equal((await app.inject(ordersOf(contoso!.id))).statusCode, 401)
  t.equal((await call(app, admin, ordersOf(contoso!.id))).statusCode, 200)
  for (let i = 0; i < 3; i++) t.equal((await call(app, admin, { method: 'GET', url: `/v1/customers/${contoso!.id}` })).statusCode, 200)
})

t.test('the window closes: after Retry-After seconds the caller is served again', async (t) => {
  await setLimits(app, [{ operation: 'listOrders', requests: 1, windowSeconds: 1 }])
  // Until a 429: on a slow machine a window may close between two requests.
  let refused: LightMyRequestResponse | undefined
  for (let i = 0; i < 20 && !refused; i++) {
    const res = await call(app, admin, ordersOf(contoso!.id))
    if (res.statusCode === 429) refused = res
  }
  t.ok(refused, 'refused within the window')
  t.equal(retryAfterOf(refused!), 1)
  await sleep(retryAfterOf(refused!) * 1000 + 50)
  t.equal((await call(app, admin, ordersOf(contoso!.id))).statusCode, 200)
})

t.test('an SDK-like client that honours Retry-After gets through', async (t) => {
  await setLimits(app, [{ operation: 'listOrders', requests: 2, windowSeconds: 1 }])
  let retries = 0
  // What Microsoft's guidance asks of a client: wait Retry-After seconds, retry, until it succeeds.
  const send = async () => {
    for (let attempt = 1; ; attempt++) {
      const res = await call(app, admin, ordersOf(contoso!.id))
      if (res.statusCode !== 429 || attempt === 10) return res
      retries++
      await sleep(retryAfterOf(res) * 1000)
    }
  }
  for (let i = 0; i < 5; i++) t.equal((await send()).statusCode, 200)
  t.ok(retries > 0, `the client was throttled and retried (${retries} times)`)
})

t.test('the control plane reads, checks and resets the limits', async (t) => {
  const documented = (await app.inject({ method: 'GET', url: '/_emulator/throttling' })).json()
  t.match(documented, { overrides: [] })
  t.ok(documented.limits.some((l: { operation?: string }) => l.operation === 'createOrder'), 'the documented limits are listed')

  const bad = await app.inject({ method: 'PUT', url: '/_emulator/throttling', payload: { limits: [{ requests: 1, windowSeconds: 1 }] } })
  t.equal(bad.statusCode, 400)
  t.equal(bad.json().code, 800002)

  await setLimits(app, [{ operation: 'listOrders', requests: 0, windowSeconds: 60 }])
  t.equal((await call(app, admin, ordersOf(contoso!.id))).statusCode, 429)
  t.match((await app.inject({ method: 'GET', url: '/_emulator/throttling' })).json(), { overrides: [{ operation: 'listOrders', requests: 0 }] })
  await app.inject({ method: 'POST', url: '/_emulator/reset' })
  t.match((await app.inject({ method: 'GET', url: '/_emulator/throttling' })).json(), { overrides: [] })
  t.equal((await call(app, admin, ordersOf(contoso!.id))).statusCode, 200)
})

t.test('two instances on one Redis throttle together', async (t) => {
  const redis = { REDIS_URL, REDIS_KEY_PREFIX: `pce-test:${crypto.randomUUID()}:` }
  const [a, b] = [await build(t, redis), await build(t, redis)]
  // Limits set through the control plane belong to the instance: set them on both.
  for (const instance of [a, b]) await setLimits(instance, [{ operation: 'listOrders', requests: 2, windowSeconds: 60 }])
  const [tokenA, tokenB] = [await userToken(a, USERS.adminAgent), await userToken(b, USERS.adminAgent)]
  t.equal((await call(a, tokenA, ordersOf(contoso!.id))).statusCode, 200)
  t.equal((await call(b, tokenB, ordersOf(contoso!.id))).statusCode, 200)
  const refusedA = await call(a, tokenA, ordersOf(contoso!.id))
  t.equal(refusedA.statusCode, 429, 'the first instance counts the second one\'s request')
  t.ok(retryAfterOf(refusedA) >= 1)
  t.equal((await call(b, tokenB, ordersOf(contoso!.id))).statusCode, 429)
  t.equal((await call(a, tokenA, ordersOf(northwind!.id))).statusCode, 200, 'another customer has its own counter')
  await a.inject({ method: 'POST', url: '/_emulator/reset' })
  t.equal((await call(b, tokenB, ordersOf(contoso!.id))).statusCode, 200, 'a reset clears the shared counters')
})
