// Application consents through the real app: create, list, delete; bad input in the Partner Center
// envelope; roles and app-only tokens; another partner's customer; MS-RequestId replays. What the
// identity provider does with a consent is in test/idp/consents.test.ts.
// Subtests share one app; each works in a customer of its own, or undoes what it creates.
import t from 'tap'
import { build, call, mint, OTHER_PARTNER, PARTNER, userToken, USERS } from '../helper.js'

const app = await build(t)
const admin = await userToken(app, USERS.adminAgent)
const [contoso, northwind, tailspin, wingtip] = PARTNER.customers
const GRAPH = '00000003-0000-0000-c000-000000000000'
const EXCHANGE = '00000002-0000-0ff1-ce00-000000000000'
const consent = {
  applicationId: PARTNER.app.id,
  displayName: 'CPV Web App',
  applicationGrants: [{ enterpriseApplicationId: GRAPH, scope: 'Domain.ReadWrite.All,User.ReadWrite.All,Directory.Read.All' }]
}
const url = (customerId: string) => `/v1/customers/${customerId}/applicationconsents`
const create = (customerId: string, payload: unknown, token = admin, headers: Record<string, string> = {}) =>
  call(app, token, { method: 'POST', url: url(customerId), payload: payload as object, headers })

t.test('create, list and delete a consent', async (t) => {
  const created = await create(contoso!.id, { ...consent, applicationGrants: [...consent.applicationGrants, { enterpriseApplicationId: EXCHANGE, scope: ' Exchange.Manage , Exchange.Manage' }] })
  t.equal(created.statusCode, 201)
  t.same(created.json(), {
    applicationId: PARTNER.app.id,
    displayName: 'CPV Web App',
    applicationGrants: [
      { enterpriseApplicationId: GRAPH, scope: 'Domain.ReadWrite.All,User.ReadWrite.All,Directory.Read.All' },
      { enterpriseApplicationId: EXCHANGE, scope: 'Exchange.Manage' }
    ],
    attributes: { objectType: 'ApplicationConsent' }
  }, 'the grants are kept trimmed, without repeats')

  const list = await call(app, admin, { url: url(contoso!.id.toUpperCase()) })
  t.equal(list.statusCode, 200)
  t.match(list.json(), { totalCount: 1, items: [{ applicationId: PARTNER.app.id, displayName: 'CPV Web App' }], attributes: { objectType: 'Collection' } })

  const again = await create(contoso!.id, consent)
  t.match({ status: again.statusCode, ...again.json() }, { status: 409, code: 1000, description: /already/, source: 'PartnerFD' }, 'a second consent of the same app')

  const removed = await call(app, admin, { method: 'DELETE', url: `${url(contoso!.id)}/${PARTNER.app.id.toUpperCase()}` })
  t.equal(removed.statusCode, 204)
  t.equal(removed.body, '')
  t.match((await call(app, admin, { url: url(contoso!.id) })).json(), { totalCount: 0, items: [] })
  const gone = await call(app, admin, { method: 'DELETE', url: `${url(contoso!.id)}/${PARTNER.app.id}` })
  t.match({ status: gone.statusCode, ...gone.json() }, { status: 404, code: 1000 }, 'deleting it twice')
})

t.test('bad input is a 400 in the Partner Center envelope', async (t) => {
  const cases: Array<[string, unknown, RegExp]> = [
    ['no grants', { ...consent, applicationGrants: [] }, /applicationGrants/],
    ['no applicationId', { displayName: 'x', applicationGrants: consent.applicationGrants }, /applicationId/],
    ['a malformed applicationId', { ...consent, applicationId: 'not-a-guid' }, /applicationId/],
    ['an application of no partner', { ...consent, applicationId: crypto.randomUUID() }, /not an application registered in your partner tenant/],
    ['another partner\'s application', { ...consent, applicationId: OTHER_PARTNER.app.id }, /not an application registered/],
    ['an empty scope', { ...consent, applicationGrants: [{ enterpriseApplicationId: GRAPH, scope: ' , ' }] }, /scope must list permission names/],
    ['a scope that is no permission', { ...consent, applicationGrants: [{ enterpriseApplicationId: GRAPH, scope: 'User.Read,<script>' }] }, /'<script>' is not one/],
    ['a grant without its resource', { ...consent, applicationGrants: [{ scope: 'User.Read.All' }] }, /enterpriseApplicationId/],
    ['a resource named twice', { ...consent, applicationGrants: [{ enterpriseApplicationId: GRAPH, scope: 'User.Read.All' }, { enterpriseApplicationId: GRAPH.toUpperCase(), scope: 'Mail.Read' }] }, /again/],
    ['an empty displayName', { ...consent, displayName: '' }, /displayName/],
    ['not an object', [1, 2], /body/]
  ]
  for (const [name, payload, description] of cases) {
    const res = await create(northwind!.id, payload)
    t.match({ status: res.statusCode, ...res.json() }, { status: 400, code: 800002, description, source: 'PartnerFD' }, name)
  }
  const badId = await call(app, admin, { method: 'DELETE', url: `${url(northwind!.id)}/not-a-guid` })
  t.equal(badId.statusCode, 400, 'a malformed application id in the path')
  t.match((await call(app, admin, { url: url(northwind!.id) })).json(), { totalCount: 0 }, 'nothing was written')
})

t.test('a PascalCase body (the .NET SDK) is read as well', async (t) => {
  const res = await create(wingtip!.id, { ApplicationId: PARTNER.app.id, DisplayName: 'Pascal', ApplicationGrants: [{ EnterpriseApplicationId: GRAPH, Scope: 'User.Read.All' }] })
  t.equal(res.statusCode, 201)
  t.match(res.json(), { displayName: 'Pascal', applicationGrants: [{ scope: 'User.Read.All' }] })
  t.equal((await call(app, admin, { method: 'DELETE', url: `${url(wingtip!.id)}/${PARTNER.app.id}` })).statusCode, 204)
})

t.test('App+User only; Admin agents write, the other agents read', async (t) => {
  const appOnly = await mint(app)
  t.match((await create(tailspin!.id, consent, appOnly)).json(), { code: 2032 }, 'app-only create')
  t.equal((await call(app, appOnly, { url: url(tailspin!.id) })).statusCode, 403, 'app-only list')
  const sales = await userToken(app, USERS.salesAgent)
  const helpdesk = await userToken(app, USERS.helpdeskAgent)
  t.match({ status: (await create(tailspin!.id, consent, sales)).statusCode }, { status: 403 }, 'a Sales agent cannot consent')
  t.match((await create(tailspin!.id, consent, helpdesk)).json(), { code: 900150 }, 'nor a Helpdesk agent')
  t.equal((await call(app, helpdesk, { url: url(tailspin!.id) })).statusCode, 200, 'a Helpdesk agent reads')
  t.equal((await call(app, await userToken(app, USERS.billingAdmin), { url: url(tailspin!.id) })).statusCode, 403, 'a Billing admin does not')
  const noMfa = await userToken(app, USERS.adminAgent, { amr: ['pwd'] })
  t.equal((await create(tailspin!.id, consent, noMfa)).statusCode, 401, 'an app+user token without MFA')
  t.match((await call(app, admin, { method: 'DELETE', url: `${url(tailspin!.id)}/${PARTNER.app.id}` })).json(), { code: 1000 }, 'nothing was created')
})

t.test('another partner\'s customer does not exist for the caller', async (t) => {
  const theirs = OTHER_PARTNER.customers[0]!.id
  const theirAdmin = await userToken(app, USERS.otherAdminAgent, { tenantId: OTHER_PARTNER.id })
  t.equal((await create(theirs, { ...consent, applicationId: OTHER_PARTNER.app.id }, theirAdmin)).statusCode, 201, 'its own partner consents')
  const refused = await create(theirs, consent)
  t.match({ status: refused.statusCode, ...refused.json() }, { status: 404, code: 60003 }, 'no consent in it')
  t.match((await call(app, admin, { url: url(theirs) })).json(), { code: 60003 }, 'its consents are not listed')
  t.equal((await call(app, admin, { method: 'DELETE', url: `${url(theirs)}/${OTHER_PARTNER.app.id}` })).statusCode, 404, 'nor deleted')
  t.match((await call(app, theirAdmin, { url: url(theirs) })).json(), { totalCount: 1 }, 'the consent is still there')
  t.equal((await create(crypto.randomUUID(), consent)).statusCode, 404, 'an unknown customer')
})

t.test('MS-RequestId: a replayed create or delete answers as the first did, once', async (t) => {
  const headers = { 'ms-requestid': crypto.randomUUID() }
  const first = await create(tailspin!.id, consent, admin, headers)
  const replay = await create(tailspin!.id, consent, admin, headers)
  t.equal(first.statusCode, 201)
  t.equal(replay.statusCode, 201, 'the retry replays the first answer, not a 409')
  t.same(replay.json(), first.json())
  t.match((await create(tailspin!.id, consent, admin, { 'ms-requestid': crypto.randomUUID() })).json(), { code: 1000 }, 'a new request id is a new write: 409')

  const deleteId = { 'ms-requestid': crypto.randomUUID() }
  const deletion = () => call(app, admin, { method: 'DELETE', url: `${url(tailspin!.id)}/${PARTNER.app.id}`, headers: deleteId })
  t.equal((await deletion()).statusCode, 204)
  t.equal((await deletion()).statusCode, 204, 'the retried delete replays its 204')
  t.match((await call(app, admin, { url: url(tailspin!.id) })).json(), { totalCount: 0 })
})
