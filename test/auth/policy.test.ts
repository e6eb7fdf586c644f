// Decision table steps 8, 9 and 11 (route policy, partner roles, tenant scoping), and the journal.
// Subtests share one app, its database and its journal; each looks up only the request ids it sent and
// creates customers under domains of its own, and none depends on another.
import t from 'tap'
import { build, call, mint, OTHER_PARTNER, PARTNER, userToken, USERS } from '../helper.js'

const app = await build(t)
const [contoso] = PARTNER.customers
const [adventureWorks] = OTHER_PARTNER.customers

t.test('step 8: app-only tokens only where the operation allows them', async (t) => {
  const appOnly = await mint(app)
  t.equal((await call(app, appOnly, { url: '/v1/customers' })).statusCode, 200, 'APP+AU operation')
  const res = await call(app, appOnly, { url: `/v1/customers/${contoso!.id}/profiles/company` })
  t.equal(res.statusCode, 403, 'AU-only operation')
  t.match(res.json(), { code: 2032, description: /getCustomerCompanyProfile requires App\+User/, source: 'PartnerFD' })
  const asUser = await call(app, await userToken(app, USERS.adminAgent), { url: `/v1/customers/${contoso!.id}/profiles/company` })
  t.equal(asUser.statusCode, 200, 'the same operation with app+user')
})

t.test('step 9: partner roles', async (t) => {
  const cases: Array<[string, { id: string }, number, number]> = [
    // [who, user, GET /v1/customers, POST /v1/customers]
    ['Admin agent', USERS.adminAgent, 200, 201],
    ['Sales agent', USERS.salesAgent, 200, 201],
    ['Helpdesk agent', USERS.helpdeskAgent, 200, 403],
    ['Billing admin', USERS.billingAdmin, 403, 403],
    ['Global admin', USERS.globalAdmin, 403, 403],
    ['Security admin', USERS.securityAdmin, 403, 403],
    ['a user with no role', USERS.noRole, 403, 403]
  ]
  let n = 0
  for (const [who, user, readStatus, writeStatus] of cases) {
    t.test(who, async (t) => {
      const token = await userToken(app, user)
      const read = await call(app, token, { url: '/v1/customers' })
      t.equal(read.statusCode, readStatus, 'list customers')
      const write = await call(app, token, { method: 'POST', url: '/v1/customers', payload: newCustomer(`roles${n++}${Date.now()}`) })
      t.equal(write.statusCode, writeStatus, 'create a customer')
      for (const denied of [read, write].filter((r) => r.statusCode === 403)) {
        t.match(denied.json(), { code: 900150, description: /requires one of the partner roles .*Admin agent/ })
      }
    })
  }

  t.test('app-only tokens are not role-checked', async (t) => {
    const res = await call(app, await mint(app), { method: 'POST', url: '/v1/customers', payload: newCustomer(`apponly${Date.now()}`) })
    t.equal(res.statusCode, 201)
  })
})

t.test('step 11: another partner\'s customers do not exist for the caller', async (t) => {
  const mine = await userToken(app, USERS.adminAgent)
  for (const url of [
    `/v1/customers/${adventureWorks!.id}`,
    `/v1/customers/${adventureWorks!.id}/profiles/billing`,
    `/v1/customers/${adventureWorks!.id}/profiles/company`
  ]) {
    const res = await call(app, mine, { url })
    t.equal(res.statusCode, 404, url)
    t.equal(res.json().code, 60003)
  }
  const put = await call(app, mine, {
    method: 'PUT', url: `/v1/customers/${adventureWorks!.id}/profiles/billing`, headers: { 'if-match': '*' }, payload: billingProfile()
  })
  t.equal(put.statusCode, 404, 'update')

  const list = await call(app, mine, { url: '/v1/customers?size=500' })
  const ids = list.json().items.map((c: { id: string }) => c.id)
  t.notOk(ids.includes(adventureWorks!.id), 'the other partner\'s customers are not listed')
  const theirs = await call(app, await userToken(app, USERS.otherAdminAgent, { tenantId: OTHER_PARTNER.id }), { url: '/v1/customers' })
  t.same(theirs.json().items.map((c: { id: string }) => c.id).sort(), OTHER_PARTNER.customers.map((c) => c.id).sort())
})

t.test('every decision is journaled', async (t) => {
  const noMfa = await userToken(app, USERS.salesAgent, { amr: ['pwd'] })
  const denied = await call(app, noMfa, { url: '/v1/customers', headers: { 'ms-requestid': 'journal-denied-1', 'ms-correlationid': 'corr-1' } })
  t.equal(denied.statusCode, 401)
  const allowed = await call(app, await mint(app), { url: '/v1/customers', headers: { 'ms-requestid': 'journal-allowed-1' } })
  t.equal(allowed.statusCode, 200)
  await call(app, 'not-a-token', { url: '/v1/customers', headers: { 'ms-requestid': 'journal-bad-1' } })

  const journal = (await app.inject({ url: '/_emulator/journal?limit=1000' })).json() as Array<Record<string, unknown>>
  const byId = (id: string) => journal.find((r) => r.requestId === id)
  t.match(byId('journal-denied-1'), {
    correlationId: 'corr-1', partnerTenantId: PARTNER.id, objectId: USERS.salesAgent.id, appId: PARTNER.app.id,
    tokenKind: 'user', mfaCompliant: false, outcome: 'denied', statusCode: 401, operation: 'listCustomers', reason: /MFA required/
  })
  t.match(byId('journal-allowed-1'), { tokenKind: 'app', mfaCompliant: null, outcome: 'allowed', statusCode: 200, reason: 'allowed' })
  t.match(byId('journal-bad-1'), { partnerTenantId: null, outcome: 'denied', statusCode: 401, reason: /not a JWT/ })
  t.notMatch(JSON.stringify(journal), noMfa, 'tokens are never journaled')
})

t.test('the journal keeps what a request and its token carried, whatever the characters, and a bad row sinks no batch', async (t) => {
  // Characters that end a column or a line in a bulk load, and NUL, which PostgreSQL text cannot hold:
  // a dev token's claims are the caller's to choose (request ids and paths are checked before this).
  const upn = 'odd\tname\n\\x\r\u0000"quoted"@testtestpartner.onmicrosoft.com'
  const odd = await call(app, await userToken(app, USERS.adminAgent, { claims: { upn } }), {
    url: '/v1/customers?size=1', headers: { 'ms-requestid': 'journal-odd-1' }
  })
  t.equal(odd.statusCode, 200)
  const plain = await call(app, await mint(app), { url: '/v1/customers', headers: { 'ms-requestid': 'journal-after-odd-1' } })
  t.equal(plain.statusCode, 200)

  const journal = (await app.inject({ url: '/_emulator/journal?limit=1000' })).json() as Array<Record<string, unknown>>
  t.match(journal.find((r) => r.requestId === 'journal-odd-1'), {
    path: '/v1/customers', userPrincipalName: upn.replace('\u0000', ''), outcome: 'allowed', statusCode: 200
  })
  t.ok(journal.find((r) => r.requestId === 'journal-after-odd-1'), 'the rows written with it are kept')
})

t.test('a token seen before (served from the caches, without a promise) is judged and journaled like a new one', async (t) => {
  const noMfa = await userToken(app, USERS.adminAgent, { amr: ['pwd'] })
  const noRole = await userToken(app, USERS.billingAdmin)
  const good = await userToken(app, USERS.helpdeskAgent)
  for (const attempt of [1, 2, 3]) {
    const unverified = await call(app, noMfa, { url: '/v1/customers', headers: { 'ms-requestid': `cached-mfa-${attempt}` } })
    t.equal(unverified.statusCode, 401, `no MFA, use ${attempt}`)
    t.equal(unverified.statusMessage, 'Unauthorized - MFA required')
    const wrongRole = await call(app, noRole, { url: '/v1/customers', headers: { 'ms-requestid': `cached-role-${attempt}` } })
    t.equal(wrongRole.json().code, 900150, `wrong role, use ${attempt}`)
    const allowed = await call(app, good, { url: `/v1/customers/${contoso!.id}`, headers: { 'ms-requestid': `cached-ok-${attempt}` } })
    t.equal(allowed.statusCode, 200, `allowed, use ${attempt}`)
  }
  const journal = (await app.inject({ url: '/_emulator/journal?limit=1000' })).json() as Array<Record<string, unknown>>
  for (const attempt of [1, 2, 3]) {
    const byId = (id: string) => journal.find((r) => r.requestId === id)
    t.match(byId(`cached-mfa-${attempt}`), { outcome: 'denied', statusCode: 401, mfaCompliant: false })
    t.match(byId(`cached-role-${attempt}`), { outcome: 'denied', statusCode: 403, reason: /partner roles/ })
    t.match(byId(`cached-ok-${attempt}`), { outcome: 'allowed', statusCode: 200, operation: 'getCustomer', objectId: USERS.helpdeskAgent.id })
  }
})

t.test('each request is journaled once, with the status it was answered with', async (t) => {
  const token = await mint(app)
  const customer = `/v1/customers/${contoso!.id}`
  const requests = [
    { id: 'once-get', request: { url: customer }, status: 200, outcome: 'allowed' },
    { id: 'once-head', request: { method: 'HEAD' as const, url: customer }, status: 200, outcome: 'allowed' },
    { id: 'once-missing', request: { url: '/v1/customers/00000000-0000-4000-8000-000000000000' }, status: 404, outcome: 'allowed' },
    { id: 'once-body-token', request: { method: 'POST' as const, url: '/v1/customers', payload: { access_token: 'x' } }, status: 400, outcome: 'denied' },
    { id: 'once-create', request: { method: 'POST' as const, url: '/v1/customers', payload: newCustomer('journal-once') }, status: 201, outcome: 'allowed' }
  ]
  for (const { id, request, status } of requests) {
    const res = await call(app, token, { ...request, headers: { 'ms-requestid': id } })
    t.equal(res.statusCode, status, id)
  }
  // A retry of the create is replayed from the first answer: a request, and a decision, of its own.
  const replay = await call(app, token, { method: 'POST', url: '/v1/customers', payload: newCustomer('journal-once'), headers: { 'ms-requestid': 'once-create' } })
  t.equal(replay.statusCode, 201, 'replayed')
  const headWithoutToken = await app.inject({ method: 'HEAD', url: customer, headers: { 'ms-requestid': 'once-head-401' } })
  t.equal(headWithoutToken.statusCode, 401)

  const journal = (await app.inject({ url: '/_emulator/journal?limit=1000' })).json() as Array<Record<string, unknown>>
  const rowsOf = (id: string) => journal.filter((r) => r.requestId === id)
  for (const { id, status, outcome } of requests.filter((r) => r.id !== 'once-create')) {
    t.equal(rowsOf(id).length, 1, `${id}: one row`)
    t.match(rowsOf(id)[0], { statusCode: status, outcome }, id)
  }
  t.match(rowsOf('once-create'), [{ statusCode: 201, outcome: 'allowed' }, { statusCode: 201, outcome: 'allowed' }], 'the create and its replay')
  t.match(rowsOf('once-head-401'), [{ method: 'HEAD', statusCode: 401, outcome: 'denied' }])
})

function billingProfile () {
  return {
    firstName: 'Ann', lastName: 'Lee', email: 'ann@example.com', culture: 'en-US', language: 'en',
    companyName: 'Role Test', defaultAddress: { country: 'US', city: 'Redmond', addressLine1: '1 Way', postalCode: '98052', firstName: 'Ann', lastName: 'Lee' }
  }
}

function newCustomer (prefix: string) {
  return { companyProfile: { domain: `${prefix}.onmicrosoft.com` }, billingProfile: billingProfile() }
}

t.test('Partner Center: an app+user token needs the user_impersonation scope', async (t) => {
  const other = await userToken(app, USERS.adminAgent, { claims: { scp: 'openid profile' } })
  const res = await call(app, other, { url: '/v1/customers' })
  t.match({ status: res.statusCode, code: res.json().code }, { status: 403, code: 900150 })
  t.match(res.headers['www-authenticate'], /insufficient_scope", scope="user_impersonation"/)
  const both = await userToken(app, USERS.adminAgent, { claims: { scp: 'openid user_impersonation' } })
  t.equal((await call(app, both, { url: '/v1/customers' })).statusCode, 200)
  t.equal((await call(app, await mint(app), { url: '/v1/customers' })).statusCode, 200, 'app-only tokens carry no scope')
})
