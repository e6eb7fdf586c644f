// Webhooks through the real app and a real receiver (an HTTP server on 127.0.0.1): registration, the
// event names, test events and their delivery status, the events of a customer creation and of a
// purchase, signatures checked with the published certificate, retries, giving up, a clean stop, and
// an event written before a restart delivered after it. Subtests share one app and one registration.
import { once } from 'node:events'
import { mkdtemp, rm } from 'node:fs/promises'
import { createServer, type IncomingHttpHeaders } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { verify, X509Certificate } from 'node:crypto'
import t, { type Test } from 'tap'
import { BACKEND, build, call, freshDatabaseUrl, mint, PARTNER, userToken, USERS } from '../helper.js'

interface Received { headers: IncomingHttpHeaders, body: string, json: Record<string, unknown> }

/** A webhook receiver: records every POST; `failNext` answers that many with 500 first, `hang` never answers. */
async function receiver (t: { teardown: (fn: () => unknown) => void }) {
  const received: Received[] = []
  const state = { failNext: 0, hang: false }
  const waiters: Array<() => void> = []
  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      if (state.hang) return
      const body = Buffer.concat(chunks).toString('utf8')
      if (state.failNext > 0) {
        state.failNext--
        res.writeHead(500).end('not now')
      } else {
        received.push({ headers: req.headers, body, json: JSON.parse(body) })
        res.writeHead(200).end()
      }
      waiters.splice(0).forEach((w) => w())
    })
  })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  t.teardown(() => { server.closeAllConnections(); server.close() })
  /** Waits until `match` finds a received event (at most 10 s). */
  async function event (match: (r: Received) => boolean): Promise<Received> {
    const deadline = Date.now() + 10_000
    for (;;) {
      const found = received.find(match)
      if (found) return found
      if (Date.now() > deadline) throw new Error(`no matching event among ${received.map((r) => r.body).join(', ')}`)
      await new Promise<void>((resolve) => { waiters.push(resolve); setTimeout(resolve, 100) })
    }
  }
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/callback`, received, state, event }
}

const FAST = { WEBHOOK_POLL_MS: 20, WEBHOOK_RETRY_BASE_MS: 20, WEBHOOK_MAX_ATTEMPTS: 3, WEBHOOK_TIMEOUT_MS: 2000 }
const app = await build(t, FAST)
const admin = await userToken(app, USERS.adminAgent)
const hook = await receiver(t)
const REGISTRATION = '/webhooks/v1/registration'
const address = { country: 'us', city: 'Redmond', state: 'WA', addressLine1: '1 Microsoft Way', postalCode: '98052' }
const newCustomer = (domain: string) => ({ companyProfile: { domain }, billingProfile: { email: 'a@example.com', culture: 'en-US', language: 'en', companyName: domain.split('.')[0], defaultAddress: address } })

/** Checks an event's signature as a receiver would: RSA-SHA256 over the body with the published certificate. */
async function verifySignature (t: Test, event: Received) {
  t.equal(event.headers['x-ms-signature-algorithm'], 'rsa-sha256')
  const certificateUrl = new URL(event.headers['x-ms-certificate-url'] as string)
  const pem = await app.inject({ url: certificateUrl.pathname })
  t.equal(pem.statusCode, 200)
  const [scheme, signature] = (event.headers.authorization ?? '').split(' ')
  t.equal(scheme, 'Signature')
  const key = new X509Certificate(pem.body).publicKey
  t.ok(verify('sha256', Buffer.from(event.body, 'utf8'), key, Buffer.from(signature!, 'base64')), 'the signature verifies')
  t.notOk(verify('sha256', Buffer.from(event.body + ' ', 'utf8'), key, Buffer.from(signature!, 'base64')), 'and only for these bytes')
}

/** A test event's status once its delivery is no longer pending (the receiver sees it before it is recorded). */
async function settled (correlationId: string) {
  for (let i = 0; ; i++) {
    const res = await call(app, admin, { url: `${REGISTRATION}/validationEvents/${correlationId}` })
    if (res.json().status !== 'pending' || i > 200) return res
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
}

t.test('GET /webhooks/v1/registration/events lists the documented names', async (t) => {
  const res = await call(app, admin, { url: `${REGISTRATION}/events` })
  t.equal(res.statusCode, 200)
  for (const name of ['test-created', 'subscription-updated', 'subscription-active', 'granular-admin-relationship-approved', 'customer-created']) {
    t.ok(res.json().includes(name), name)
  }
})

t.test('registration: create (any case, the SDK\'s PascalCase), 409 twice, read, update', async (t) => {
  t.equal((await call(app, admin, { url: REGISTRATION })).statusCode, 404, 'none yet')
  const requestId = crypto.randomUUID()
  const register = () => call(app, admin, { method: 'POST', url: REGISTRATION, payload: { WebhookUrl: hook.url, WebhookEvents: ['Test-Created', 'customer-created'] }, headers: { 'ms-requestid': requestId } })
  const created = await register()
  t.equal(created.statusCode, 200, created.body)
  t.equal((await register()).body, created.body, 'an MS-RequestId retry replays the answer')
  t.match(created.json(), { subscriberId: /^[0-9a-f-]{36}$/, webhookUrl: hook.url, webhookEvents: ['test-created', 'customer-created'], signatureTokenToMsSignatureHeader: false })
  const again = await call(app, admin, { method: 'POST', url: REGISTRATION, payload: { webhookUrl: hook.url, webhookEvents: ['test-created'] } })
  t.equal(again.statusCode, 409)
  t.match(again.json(), { code: Number, source: 'PartnerFD' })
  const updated = await call(app, admin, { method: 'PUT', url: REGISTRATION, payload: { webhookUrl: hook.url, webhookEvents: ['test-created', 'customer-created', 'subscription-active', 'subscription-active'] } })
  t.equal(updated.statusCode, 200, updated.body)
  t.same(updated.json().webhookEvents, ['test-created', 'customer-created', 'subscription-active'])
  t.same((await call(app, admin, { url: REGISTRATION })).json(), updated.json())
})

t.test('bad registrations are 400s in the Partner Center envelope', async (t) => {
  for (const [name, payload] of [
    ['a URL that is no URL', { webhookUrl: 'not a url', webhookEvents: ['test-created'] }],
    ['an ftp URL', { webhookUrl: 'ftp://127.0.0.1/x', webhookEvents: ['test-created'] }],
    ['a javascript: URL', { webhookUrl: 'javascript:alert(1)', webhookEvents: ['test-created'] }],
    ['a URL with credentials', { webhookUrl: 'http://user:pw@127.0.0.1/x', webhookEvents: ['test-created'] }],
    ['an unknown event', { webhookUrl: hook.url, webhookEvents: ['test-created', 'customer-exploded'] }],
    ['no events', { webhookUrl: hook.url, webhookEvents: [] }],
    ['no URL', { webhookEvents: ['test-created'] }],
    ['events that are not strings', { webhookUrl: hook.url, webhookEvents: [1] }]
  ] as const) {
    const res = await call(app, admin, { method: 'PUT', url: REGISTRATION, payload })
    t.equal(res.statusCode, 400, `${name}: ${res.body}`)
    t.match(res.json(), { code: 800002, description: String, source: 'PartnerFD' }, name)
  }
  const none = await call(app, admin, { method: 'PUT', url: REGISTRATION })
  t.equal(none.statusCode, 400, 'no body')
  t.equal((await call(app, admin, { url: REGISTRATION })).json().webhookUrl, hook.url, 'the registration is unchanged')
})

t.test('a test event is delivered, signed, and its status shows the attempt', async (t) => {
  const res = await call(app, admin, { method: 'POST', url: `${REGISTRATION}/validationEvents` })
  t.equal(res.statusCode, 200, res.body)
  const { correlationId } = res.json()
  const event = await hook.event((r) => r.json.EventName === 'test-created' && String(r.json.ResourceUri).endsWith(correlationId))
  t.match(event.json, { EventName: 'test-created', ResourceName: 'test', AuditUri: null, ResourceChangeUtcDate: String })
  t.equal(event.headers['content-type'], 'application/json')
  await verifySignature(t, event)
  const status = await settled(correlationId)
  t.equal(status.statusCode, 200)
  t.match(status.json(), { correlationId, partnerId: PARTNER.id, status: 'completed', callbackUrl: hook.url, results: [{ responseCode: 'OK', systemError: false }] })
  t.equal((await call(app, admin, { url: `${REGISTRATION}/validationEvents/${crypto.randomUUID()}` })).statusCode, 404)
})

t.test('a failed attempt is retried with backoff until the receiver takes it', async (t) => {
  hook.state.failNext = 1
  const { correlationId } = (await call(app, admin, { method: 'POST', url: `${REGISTRATION}/validationEvents` })).json()
  await hook.event((r) => String(r.json.ResourceUri).endsWith(correlationId))
  const status = (await settled(correlationId)).json()
  t.match(status, { status: 'completed', results: [{ responseCode: 'InternalServerError', responseMessage: 'not now', systemError: false }, { responseCode: 'OK' }] })
  const third = await call(app, admin, { method: 'POST', url: `${REGISTRATION}/validationEvents` })
  t.equal(third.statusCode, 429, 'at most 2 test events a minute')
  t.match(third.json(), { code: 429, source: 'PartnerFD' })
})

t.test('a customer creation and a purchase reach the receiver, with the audit record as AuditUri', async (t) => {
  const created = await call(app, admin, { method: 'POST', url: '/v1/customers', payload: newCustomer('hooked.onmicrosoft.com') })
  t.equal(created.statusCode, 201)
  const customerId = created.json().id
  const event = await hook.event((r) => r.json.EventName === 'customer-created' && String(r.json.ResourceUri).endsWith(customerId))
  t.match(event.json, { ResourceName: 'customer', ResourceUri: `http://127.0.0.1:8080/v1/customers/${customerId}` })
  await verifySignature(t, event)
  const audit = await call(app, admin, { url: new URL(event.json.AuditUri as string).pathname })
  t.equal(audit.statusCode, 200, 'AuditUri names the audit record')
  t.match(audit.json(), { operationType: 'add_customer', customerId })

  const agreement = { primaryContact: { firstName: 'A', lastName: 'B', email: 'a@example.com' }, templateId: '117a1a3b-b1b6-4a4b-8d7c-0f0f2b8d8d5e', dateAgreed: '2026-11-01T00:00:00Z', type: 'MicrosoftCustomerAgreement' }
  t.equal((await call(app, admin, { method: 'POST', url: `/v1/customers/${customerId}/agreements`, payload: agreement })).statusCode, 201)
  const lineItems = [{ id: 0, catalogItemId: 'CFQ7TTC0LFLX:0001:CFQ7TTC0LFLY', quantity: 3, billingCycle: 'annual', termDuration: 'P1Y' }]
  const cart = (await call(app, admin, { method: 'POST', url: `/v1/customers/${customerId}/carts`, payload: { lineItems } })).json()
  const checkout = await call(app, admin, { method: 'POST', url: `/v1/customers/${customerId}/carts/${cart.id}/checkout` })
  t.equal(checkout.statusCode, 201, checkout.body)
  const subscriptionId = checkout.json().orders[0].lineItems[0].subscriptionId
  const bought = await hook.event((r) => r.json.EventName === 'subscription-active' && String(r.json.ResourceUri).endsWith(subscriptionId))
  t.match(bought.json, { ResourceName: 'subscription', ResourceUri: `http://127.0.0.1:8080/v1/customers/${customerId}/subscriptions/${subscriptionId}` })
  t.match((await call(app, admin, { url: new URL(bought.json.AuditUri as string).pathname })).json(), { operationType: 'create_order', resourceType: 'order' })
  t.notOk(hook.received.some((r) => r.json.EventName === 'subscription-updated'), 'events the registration does not ask for are not sent')
})

t.test('a GDAP approval raises granular-admin-relationship-approved, whose audit record holds the relationship', async (t) => {
  t.equal((await call(app, admin, { method: 'PUT', url: REGISTRATION, payload: { webhookUrl: hook.url, webhookEvents: ['granular-admin-relationship-approved', 'granular-admin-relationship-created'] } })).statusCode, 200)
  const graph = await userToken(app, USERS.adminAgent, { audience: 'https://graph.microsoft.com' })
  const base = '/v1.0/tenantRelationships/delegatedAdminRelationships'
  const northwind = PARTNER.customers[1]!
  const created = await call(app, graph, {
    method: 'POST', url: base,
    payload: { displayName: `hooked ${Date.now()}`, duration: 'P60D', customer: { tenantId: northwind.id }, accessDetails: { unifiedRoles: [{ roleDefinitionId: 'fe930be7-5e62-47db-91af-98c3a49a38b1' }] } }
  })
  t.equal(created.statusCode, 201, created.body)
  const id = created.json().id
  await hook.event((r) => r.json.EventName === 'granular-admin-relationship-created' && String(r.json.ResourceUri).endsWith(id))
  t.equal((await call(app, graph, { method: 'POST', url: `${base}/${id}/requests`, payload: { action: 'lockForApproval' } })).statusCode, 201)
  t.equal((await app.inject({ method: 'POST', url: `/_emulator/customers/${northwind.id}/delegatedAdminRelationships/${id}/approve` })).statusCode, 200)
  const approved = await hook.event((r) => r.json.EventName === 'granular-admin-relationship-approved' && String(r.json.ResourceUri).endsWith(id))
  t.equal(approved.json.ResourceName, 'delegatedAdminRelationship')
  const audit = (await call(app, admin, { url: new URL(approved.json.AuditUri as string).pathname })).json()
  t.match(audit, { resourceType: 'gdap_relationship', operationType: 'update_gdap_relationship', customerId: northwind.id })
  t.match(JSON.parse(audit.resourceNewValue), { id, status: 'active' })
})

t.test('an unreachable URL: attempts until WEBHOOK_MAX_ATTEMPTS, then the event is given up', async (t) => {
  const closed = createServer()
  closed.listen(0, '127.0.0.1')
  await once(closed, 'listening')
  const deadUrl = `http://127.0.0.1:${(closed.address() as AddressInfo).port}/gone`
  closed.close()
  t.equal((await call(app, admin, { method: 'PUT', url: REGISTRATION, payload: { webhookUrl: deadUrl, webhookEvents: ['customer-created'] } })).statusCode, 200)
  const created = (await call(app, admin, { method: 'POST', url: '/v1/customers', payload: newCustomer('unheard.onmicrosoft.com') })).json()
  const deadline = Date.now() + 10_000
  let row
  do {
    await new Promise((resolve) => setTimeout(resolve, 50))
    row = await app.db.selectFrom('webhook_deliveries').selectAll().where('resource_path', '=', `/v1/customers/${created.id}`).executeTakeFirst()
  } while (row?.status === 'pending' && Date.now() < deadline)
  t.equal(row?.status, 'failed')
  t.equal(row?.attempts, FAST.WEBHOOK_MAX_ATTEMPTS)
  t.ok(row?.results.every((r) => r.systemError && r.responseCode === 'None'))
  t.equal((await call(app, admin, { method: 'PUT', url: REGISTRATION, payload: { webhookUrl: hook.url, webhookEvents: ['customer-created'] } })).statusCode, 200)
})

t.test('who may manage webhooks: app-only and the documented roles', async (t) => {
  t.equal((await call(app, await mint(app), { url: REGISTRATION })).statusCode, 200, 'app-only')
  for (const user of [USERS.salesAgent, USERS.helpdeskAgent, USERS.billingAdmin, USERS.globalAdmin]) {
    t.equal((await call(app, await userToken(app, user), { url: REGISTRATION })).statusCode, 200, user.displayName)
  }
  for (const user of [USERS.securityAdmin, USERS.noRole]) {
    const res = await call(app, await userToken(app, user), { method: 'PUT', url: REGISTRATION, payload: { webhookUrl: hook.url, webhookEvents: ['test-created'] } })
    t.equal(res.statusCode, 403, user.displayName)
    t.equal(res.json().code, 900150)
  }
  t.equal((await app.inject({ url: REGISTRATION })).statusCode, 401)
  t.equal((await app.inject({ url: '/webhooks/v1/certificate' })).statusCode, 200, 'the certificate is public')
  t.equal((await call(app, admin, { method: 'DELETE', url: REGISTRATION })).statusCode, 204)
  t.equal((await call(app, admin, { method: 'DELETE', url: REGISTRATION })).statusCode, 404)
  t.equal((await call(app, admin, { method: 'POST', url: `${REGISTRATION}/validationEvents` })).statusCode, 404, 'no registration, no test event')
})

t.test('an event committed before a stop is delivered after the restart; close does not wait for a hanging receiver', async (t) => {
  // One database for two apps in turn: PostgreSQL, or PGlite in a directory of its own.
  const dir = await mkdtemp(path.join(tmpdir(), 'pce-webhooks-'))
  t.teardown(() => rm(dir, { recursive: true, force: true }))
  const storage = BACKEND === 'postgres' ? { DATABASE_URL: await freshDatabaseUrl(t) } : { PGLITE_DATA_DIR: dir }
  const slow = await receiver(t)
  slow.state.hang = true
  const first = await build(t, { ...FAST, ...storage, WEBHOOK_TIMEOUT_MS: 60_000 })
  const token = await userToken(first, USERS.adminAgent)
  t.equal((await call(first, token, { method: 'POST', url: REGISTRATION, payload: { webhookUrl: slow.url, webhookEvents: ['customer-created'] } })).statusCode, 200)
  const created = (await call(first, token, { method: 'POST', url: '/v1/customers', payload: newCustomer('survivor.onmicrosoft.com') })).json()
  await new Promise((resolve) => setTimeout(resolve, 300)) // the POST is in flight, and hangs
  const started = Date.now()
  await first.close()
  t.ok(Date.now() - started < 5_000, 'close aborts the POST in flight')

  slow.state.hang = false
  // The lease of the aborted attempt must end before another instance takes the event: the restart waits it out.
  const second = await build(t, { ...FAST, ...storage, WEBHOOK_TIMEOUT_MS: 100 })
  await second.db.updateTable('webhook_deliveries').set({ next_attempt_at: new Date() }).where('status', '=', 'pending').execute()
  const event = await slow.event((r) => String(r.json.ResourceUri).endsWith(created.id))
  t.equal(event.json.EventName, 'customer-created')
})
