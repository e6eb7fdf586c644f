// Audit records through the real app: every write leaves one in its own transaction (none when the
// write fails or is replayed), GET /v1/auditrecords with its date window, filter and seek paging, the
// record by id, and who may read them. Subtests share one app; each finds its own records by customer.
import t from 'tap'
import { DEMO_SKUS } from '../../src/seed/demo-data.js'
import { build, call, mint, OTHER_PARTNER, PARTNER, userToken, USERS } from '../helper.js'

const app = await build(t)
const admin = await userToken(app, USERS.adminAgent)
const DAY_MS = 86_400_000
const today = () => new Date(Date.now() - DAY_MS).toISOString()
const address = { country: 'us', city: 'Redmond', state: 'WA', addressLine1: '1 Microsoft Way', postalCode: '98052' }
const billing = (companyName: string) => ({ firstName: 'Ann', lastName: 'Lee', email: 'ann@example.com', culture: 'en-US', language: 'en', companyName, defaultAddress: address })
const createCustomer = (domain: string, companyName: string, headers: Record<string, string> = {}) =>
  call(app, admin, { method: 'POST', url: '/v1/customers', payload: { companyProfile: { domain }, billingProfile: billing(companyName) }, headers })
const list = (query: string, token = admin, headers: Record<string, string> = {}) => call(app, token, { url: `/v1/auditrecords?${query}`, headers })
const byCustomer = (id: string) => `startDate=${today()}&filter=${encodeURIComponent(JSON.stringify({ Field: 'CustomerId', Value: id, Operator: 'equals' }))}`

t.test('a customer creation leaves one add_customer record with the caller, the correlation id and no credentials', async (t) => {
  const correlationId = crypto.randomUUID()
  const created = await createCustomer('auditone.onmicrosoft.com', 'Audit One', { 'ms-correlationid': correlationId })
  t.equal(created.statusCode, 201)
  const customer = created.json()
  const res = await list(byCustomer(customer.id))
  t.equal(res.statusCode, 200, res.body)
  const body = res.json()
  t.equal(body.totalCount, 1)
  const [record] = body.items
  t.match(record, {
    id: /^[0-9a-f-]{36}$/,
    partnerId: PARTNER.id,
    customerId: customer.id,
    customerName: 'Audit One',
    userPrincipalName: USERS.adminAgent.userPrincipalName,
    applicationId: /^[0-9a-f-]{36}$/,
    resourceType: 'customer',
    operationType: 'add_customer',
    operationStatus: 'succeeded',
    originalCorrelationId: correlationId,
    customizedData: [],
    attributes: { objectType: 'AuditRecord' }
  })
  t.match(JSON.parse(record.resourceNewValue), { id: customer.id, companyProfile: { domain: 'auditone.onmicrosoft.com' } })
  t.notMatch(record.resourceNewValue, /password|userCredentials/i, 'the first admin credentials are never recorded')
  t.ok(Math.abs(Date.parse(record.operationDate) - Date.now()) < 60_000)

  for (const url of [`/v1/auditrecords/${record.id}`, `/auditactivity/v1/auditrecords/${record.id}`]) {
    const one = await call(app, admin, { url })
    t.equal(one.statusCode, 200, url)
    t.same(one.json(), record)
  }
})

t.test('a failed write leaves no record; an MS-RequestId retry replays without a second one', async (t) => {
  const before = (await list(`startDate=${today()}&size=500`)).json().totalCount
  const taken = await createCustomer(OTHER_PARTNER.customers[0]!.domain, 'Taken')
  t.equal(taken.statusCode, 400)
  t.equal((await list(`startDate=${today()}&size=500`)).json().totalCount, before, 'a refused write records nothing')

  const requestId = crypto.randomUUID()
  const first = await createCustomer('auditretry.onmicrosoft.com', 'Audit Retry', { 'ms-requestid': requestId })
  const retry = await createCustomer('auditretry.onmicrosoft.com', 'Audit Retry', { 'ms-requestid': requestId })
  t.equal(first.statusCode, 201)
  t.equal(retry.body, first.body, 'the retry replays the first answer')
  t.equal((await list(byCustomer(first.json().id))).json().totalCount, 1, 'one record for one write')
})

t.test('billing profile updates, agreements and purchases are recorded too', async (t) => {
  const customer = (await createCustomer('auditbuyer.onmicrosoft.com', 'Audit Buyer')).json()
  const profileUrl = `/v1/customers/${customer.id}/profiles/billing`
  const profile = (await call(app, admin, { url: profileUrl })).json()
  const put = await call(app, admin, { method: 'PUT', url: profileUrl, payload: { ...profile, email: 'new@example.com' }, headers: { 'if-match': '*' } })
  t.equal(put.statusCode, 200, put.body)
  const agreement = { primaryContact: { firstName: 'Ann', lastName: 'Lee', email: 'ann@example.com' }, templateId: '117a1a3b-b1b6-4a4b-8d7c-0f0f2b8d8d5e', dateAgreed: '2026-11-01T00:00:00Z', type: 'MicrosoftCustomerAgreement' }
  t.equal((await call(app, admin, { method: 'POST', url: `/v1/customers/${customer.id}/agreements`, payload: agreement })).statusCode, 201)
  const line = { id: 0, catalogItemId: 'CFQ7TTC0LFLX:0001:CFQ7TTC0LFLY', quantity: 2, billingCycle: 'annual', termDuration: 'P1Y' }
  const cart = (await call(app, admin, { method: 'POST', url: `/v1/customers/${customer.id}/carts`, payload: { lineItems: [line] } })).json()
  const checkout = await call(app, admin, { method: 'POST', url: `/v1/customers/${customer.id}/carts/${cart.id}/checkout` })
  t.equal(checkout.statusCode, 201, checkout.body)

  const records = (await list(byCustomer(customer.id))).json().items
  t.same(records.map((r: { operationType: string }) => r.operationType),
    ['add_customer', 'update_customer_billing_profile', 'create_customer_agreement', 'create_order'])
  t.equal(JSON.parse(records[1].resourceOldValue).email, 'ann@example.com')
  t.equal(JSON.parse(records[1].resourceNewValue).email, 'new@example.com')
  t.equal(JSON.parse(records[3].resourceNewValue).id, checkout.json().orders[0].id)

  const orders = await list(`startDate=${today()}&filter=${encodeURIComponent(JSON.stringify({ Field: 'ResourceType', Value: 'Order', Operator: 'equals' }))}`)
  t.ok(orders.json().items.every((r: { resourceType: string }) => r.resourceType === 'order'))
  t.ok(orders.json().items.some((r: { customerId: string }) => r.customerId === customer.id))
  const byName = await list(`startDate=${today()}&filter=${encodeURIComponent(JSON.stringify({ field: 'customername', value: 'dit buy', operator: 'substring' }))}`)
  t.same([...new Set(byName.json().items.map((r: { customerId: string }) => r.customerId))], [customer.id], 'substring, any case')
})

t.test('customer users and licenses: each write its record, never a password', async (t) => {
  const [contoso] = PARTNER.customers
  const sku = DEMO_SKUS.find((s) => s.skuPartNumber === 'O365_BUSINESS_PREMIUM' && s.customerId === contoso!.id)!
  const password = 'Str0ng!Passw0rd-audit'
  const users = `/v1/customers/${contoso!.id}/users`
  const created = await call(app, admin, {
    method: 'POST', url: users,
    payload: { userPrincipalName: `audited.${Date.now()}@${contoso!.domain}`, displayName: 'Audited', usageLocation: 'us', passwordProfile: { password, forceChangePassword: true } }
  })
  t.equal(created.statusCode, 200, created.body)
  const user = created.json()
  const licensed = await call(app, admin, { method: 'POST', url: `${users}/${user.id}/licenseupdates`, payload: { licensesToAssign: [{ skuId: sku.skuId }] } })
  t.equal(licensed.statusCode, 201, licensed.body)
  t.equal((await call(app, admin, { method: 'PATCH', url: `${users}/${user.id}`, payload: { passwordProfile: { password: `${password}2`, forceChangePassword: false } } })).statusCode, 200)
  t.equal((await call(app, admin, { method: 'DELETE', url: `${users}/${user.id}` })).statusCode, 204)

  const records = (await list(byCustomer(contoso!.id))).json().items.filter((r: unknown) => JSON.stringify(r).includes(user.id))
  t.same(records.map((r: { resourceType: string, operationType: string }) => `${r.resourceType}/${r.operationType}`),
    ['customer_user/create_customer_user', 'license/update_customer_user_licenses', 'customer_user/reset_customer_user_password', 'customer_user/delete_customer_user'])
  t.match(records[1].customizedData, [{ key: 'UserId', value: user.id }, { key: 'UserPrincipalName', value: user.userPrincipalName }])
  t.ok(records.every((r: { customerName: string }) => r.customerName === contoso!.companyName))
  t.notOk(JSON.stringify(records).includes(password), 'no password in any record')
})

t.test('seek paging walks every record once, oldest first', async (t) => {
  for (const n of [1, 2, 3]) await createCustomer(`auditpage${n}.onmicrosoft.com`, `Audit Page ${n}`)
  const all = (await list(`startDate=${today()}&size=500`)).json().items.map((r: { id: string }) => r.id)
  t.ok(all.length >= 3)
  const seen: string[] = []
  let page = (await list(`startDate=${today()}&size=2`)).json()
  seen.push(...page.items.map((r: { id: string }) => r.id))
  while (page.continuationToken) {
    t.match(page.links.next, { uri: /^\/auditrecords\?startDate=.*&size=2&seekOperation=Next$/, headers: [{ key: 'MS-ContinuationToken', value: page.continuationToken }] })
    const next = await call(app, admin, { url: `/v1${page.links.next.uri}`, headers: { 'ms-continuationtoken': page.continuationToken } })
    t.equal(next.statusCode, 200, next.body)
    page = next.json()
    seen.push(...page.items.map((r: { id: string }) => r.id))
  }
  t.same(seen, all)
  const dates = (await list(`startDate=${today()}&size=500`)).json().items.map((r: { operationDate: string }) => r.operationDate)
  t.same(dates, [...dates].sort())
})

t.test('bad input is a 400 in the Partner Center envelope, never a 500', async (t) => {
  const now = Date.now()
  for (const [name, query] of [
    ['no startDate', ''],
    ['an empty startDate', 'startDate='],
    ['a startDate that is no date', 'startDate=yesterday'],
    ['a startDate of 13th month', 'startDate=2026-13-01'],
    ['a startDate older than 90 days', `startDate=${new Date(now - 91 * DAY_MS).toISOString()}`],
    ['a window over 30 days', `startDate=${new Date(now - 40 * DAY_MS).toISOString()}&endDate=${new Date(now - 5 * DAY_MS).toISOString()}`],
    ['no endDate with a start 31 days ago', `startDate=${new Date(now - 31 * DAY_MS).toISOString()}`],
    ['an endDate before the startDate', `startDate=${today()}&endDate=${new Date(now - 3 * DAY_MS).toISOString()}`],
    ['an endDate that is no date', `startDate=${today()}&endDate=soon`],
    ['a size too large', `startDate=${today()}&size=100000`],
    ['a filter that is not JSON', `startDate=${today()}&filter=nope`],
    ['a filter on an unknown field', `startDate=${today()}&filter=${encodeURIComponent('{"Field":"Domain","Value":"x","Operator":"equals"}')}`],
    ['a filter with an unknown operator', `startDate=${today()}&filter=${encodeURIComponent('{"Field":"CustomerName","Value":"x","Operator":"starts_with"}')}`],
    ['Next without a token', `startDate=${today()}&seekOperation=Next`]
  ] as const) {
    const res = await list(query)
    t.equal(res.statusCode, 400, `${name}: ${res.body}`)
    t.match(res.json(), { code: 800002, description: String, source: 'PartnerFD' }, name)
  }
  const badToken = await list(`startDate=${today()}&seekOperation=Next`, admin, { 'ms-continuationtoken': 'bm9wZQ' })
  t.equal(badToken.statusCode, 400)
  t.equal((await list(`startDate=${today().slice(0, 10)}&endDate=${new Date(now + DAY_MS).toISOString().slice(0, 10)}`)).statusCode, 200, 'dates without times')
  t.equal((await call(app, admin, { url: '/v1/auditrecords/not-a-guid' })).statusCode, 400)
  t.equal((await call(app, admin, { url: `/v1/auditrecords/${crypto.randomUUID()}` })).statusCode, 404)
})

t.test('who may read: app-only and the partner roles; never another partner\'s records', async (t) => {
  const query = `startDate=${today()}`
  t.equal((await list(query, await mint(app))).statusCode, 200, 'app-only (App and App+User are supported)')
  for (const user of [USERS.salesAgent, USERS.helpdeskAgent, USERS.billingAdmin, USERS.globalAdmin]) {
    t.equal((await list(query, await userToken(app, user))).statusCode, 200, user.displayName)
  }
  for (const user of [USERS.securityAdmin, USERS.noRole]) {
    const res = await list(query, await userToken(app, user))
    t.equal(res.statusCode, 403, user.displayName)
    t.equal(res.json().code, 900150)
  }
  t.equal((await app.inject({ url: `/v1/auditrecords?${query}` })).statusCode, 401)

  const mine = (await list(query)).json().items
  t.ok(mine.length > 0)
  const other = await userToken(app, USERS.otherAdminAgent, { tenantId: OTHER_PARTNER.id })
  const theirs = await list(query, other)
  t.equal(theirs.statusCode, 200)
  t.notOk(theirs.json().items.some((r: { partnerId: string }) => r.partnerId === PARTNER.id))
  t.equal((await call(app, other, { url: `/v1/auditrecords/${mine[0].id}` })).statusCode, 404)
})

t.test('consents, the end of a reseller relationship and a sandbox deletion are recorded too', async (t) => {
  const customer = (await createCustomer('auditconsent.onmicrosoft.com', 'Audit Consent')).json()
  const consents = `/v1/customers/${customer.id}/applicationconsents`
  const grant = { applicationId: PARTNER.app.id, displayName: 'CPV', applicationGrants: [{ enterpriseApplicationId: '00000003-0000-0000-c000-000000000000', scope: 'User.Read.All' }] }
  t.equal((await call(app, admin, { method: 'POST', url: consents, payload: grant })).statusCode, 201)
  t.equal((await call(app, admin, { method: 'DELETE', url: `${consents}/${PARTNER.app.id}` })).statusCode, 204)
  t.equal((await call(app, admin, { method: 'PATCH', url: `/v1/customers/${customer.id}`, payload: { relationshipToPartner: 'none' } })).statusCode, 200)
  const records = (await list(byCustomer(customer.id))).json().items
  t.same(records.map((r: { resourceType: string, operationType: string }) => `${r.resourceType}/${r.operationType}`), [
    'customer/add_customer', 'application_consent/create_application_consent', 'application_consent/delete_application_consent',
    'customer/remove_partner_customer_relationship'
  ])
  t.ok(records.every((r: { customerName: string }) => r.customerName === 'Audit Consent'), 'the name stays after the relationship ended')

  const sandboxed = (await createCustomer('auditdelete.onmicrosoft.com', 'Audit Delete')).json()
  t.equal((await call(app, admin, { method: 'DELETE', url: `/v1/customers/${sandboxed.id}` })).statusCode, 204)
  t.match((await list(byCustomer(sandboxed.id))).json().items.map((r: { operationType: string }) => r.operationType), ['add_customer', 'delete_customer'])
})
