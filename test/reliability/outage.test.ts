// A database outage answers 503 with Retry-After in the surface's envelope, within DATABASE_TIMEOUT_MS,
// never a 500 and never a hang, and the service recovers by itself when the database comes back. A TCP
// proxy between the service and PostgreSQL cuts the connections (reset, refused) or stalls them
// (accepted, nothing answered). PostgreSQL only: the embedded database has no network to lose.
import t, { type Test } from 'tap'
import { DEMO_CLIENT_SECRET, TEST_TEST_PARTNER } from '../../src/seed/demo-data.js'
import { build, call, freshDatabaseUrl, TEST_DATABASE_URL, userToken, USERS } from '../helper.js'
import { startTcpProxy } from '../support/tcp-proxy.js'

const TIMEOUT_MS = 1000

if (!TEST_DATABASE_URL) {
  t.test('outages', { skip: 'PostgreSQL only (TEST_DATABASE_URL): the embedded database has no network to lose' }, async () => {})
} else {
  const url = new URL(await freshDatabaseUrl(t))
  const proxy = await startTcpProxy(url.hostname, Number(url.port || 5432))
  t.teardown(() => proxy.close())
  url.hostname = '127.0.0.1'
  url.port = String(proxy.port)
  const app = await build(t, { DATABASE_URL: url.toString(), DATABASE_TIMEOUT_MS: TIMEOUT_MS, ROLE_CACHE_TTL_MS: 0 })
  const admin = await userToken(app, USERS.adminAgent)
  const graph = await userToken(app, USERS.adminAgent, { audience: 'https://graph.microsoft.com' })

  /** The answers of every surface while the database is out: all 503 with Retry-After, each in its envelope, in time. */
  async function duringOutage (t: Test, what: string) {
    const started = Date.now()
    const [partnerCenter, graphApi, token, health] = await Promise.all([
      call(app, admin, { url: '/v1/customers' }),
      call(app, graph, { url: '/v1.0/tenantRelationships/delegatedAdminRelationships' }),
      app.inject({
        method: 'POST', url: `/${TEST_TEST_PARTNER.id}/oauth2/v2.0/token`, headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({ grant_type: 'client_credentials', client_id: TEST_TEST_PARTNER.app.id, client_secret: DEMO_CLIENT_SECRET, scope: 'https://api.partnercenter.microsoft.com/.default' }).toString()
      }),
      app.inject({ url: '/_emulator/health' })
    ])
    const seconds = (Date.now() - started) / 1000
    t.ok(seconds < (TIMEOUT_MS * 3) / 1000 + 1, `${what}: answered in ${seconds.toFixed(2)} s`)
    t.match({ status: partnerCenter.statusCode, retry: partnerCenter.headers['retry-after'], ...partnerCenter.json() }, { status: 503, retry: '5', code: 503, source: 'PartnerFD' }, `${what}: Partner Center`)
    t.match({ status: graphApi.statusCode, ...graphApi.json() }, { status: 503, error: { code: 'serviceNotAvailable' } }, `${what}: Graph`)
    t.equal(health.statusCode, 503, `${what}: health`)
    t.match(health.json(), { status: 'unavailable', database: { status: 'down' } })
    t.match({ status: token.statusCode, ...token.json() }, { status: 503, error: 'temporarily_unavailable', error_codes: [90033] }, `${what}: the token endpoint, in OAuth's envelope`)
  }

  async function recovered (t: Test, what: string) {
    const deadline = Date.now() + 5000
    let status = 0
    while (Date.now() < deadline && status !== 200) {
      status = (await call(app, admin, { url: '/v1/customers' })).statusCode
      if (status !== 200) await new Promise((resolve) => setTimeout(resolve, 100))
    }
    t.equal(status, 200, `${what}: recovered by itself`)
  }

  t.test('connections cut: 503 at once, then recovery; a write refused during the cut runs once when retried', async (t) => {
    t.equal((await call(app, admin, { url: '/v1/customers' })).statusCode, 200)
    proxy.cut()
    await duringOutage(t, 'cut')
    const requestId = crypto.randomUUID()
    const payload = newCustomer('outage-write')
    const write = () => call(app, admin, { method: 'POST', url: '/v1/customers', headers: { 'ms-requestid': requestId }, payload })
    const refused = await write()
    t.match({ status: refused.statusCode, retry: refused.headers['retry-after'] }, { status: 503, retry: '5' })
    proxy.restore()
    await recovered(t, 'cut')
    const created = await write()
    t.equal(created.statusCode, 201, 'the retry runs the write')
    t.equal((await write()).json().id, created.json().id, 'once')
  })

  t.test('database stalled: 503 within the timeout, health answers, then recovery', async (t) => {
    proxy.stall()
    await duringOutage(t, 'stalled')
    proxy.restore()
    await recovered(t, 'stalled')
  })
}

function newCustomer (name: string) {
  return {
    companyProfile: { domain: `${name}-${Date.now()}.onmicrosoft.com` },
    billingProfile: {
      firstName: 'Ann', lastName: 'Lee', email: 'ann@example.com', culture: 'en-US', language: 'en', companyName: 'Outage Test',
      defaultAddress: { country: 'US', city: 'Redmond', addressLine1: '1 Way', postalCode: '98052', firstName: 'Ann', lastName: 'Lee' }
    }
  }
}
