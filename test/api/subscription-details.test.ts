// A subscription's details through the real app: support contact (an indirect reseller, legacy
// subscriptions only), provisioning status, registration for Azure reservations and the Azure
// entitlements of an Azure plan. Bad input answers in the Partner Center envelope, another partner's
// customer does not exist, roles and app-only tokens follow each page, writes replay on MS-RequestId.
import t from 'tap'
import { build, call, mint, OTHER_PARTNER, PARTNER, userToken, USERS } from '../helper.js'

const app = await build(t)
const contoso = PARTNER.customers[0]!.id
const admin = await userToken(app, USERS.adminAgent)
const appOnly = await mint(app)
const AZURE_PLAN = 'DZH318Z0BQ3Q:0001:DZH318Z0BXWC'
const E3 = 'CFQ7TTC0LFLX:0001:CFQ7TTC0LFLY'
const O365_E3_LEGACY = '796B6B5F-613C-4E24-A17C-EBA730D49C02'
const SAAS = 'DZH318Z0C2SA:0001:DZH318Z0C2SB'
const FIRST_UP = { supportTenantId: '484e548c-f5f3-4528-93a9-c16c6373cb59', supportMpnId: '4847383', name: 'First Up Consultants' }
const agreement = {
  primaryContact: { firstName: 'Ann', lastName: 'Lee', email: 'ann@example.com' },
  templateId: '117a1a3b-b1b6-4a4b-8d7c-0f0f2b8d8d5e', dateAgreed: '2026-11-01T00:00:00Z', type: 'MicrosoftCustomerAgreement'
}

/** Buys one line by a direct order and answers its subscription. */
async function buy (offerId: string, quantity: number, billingCycle: string, extra: Record<string, string> = {}, customerId = contoso, token = admin) {
  const order = await call(app, token, { method: 'POST', url: `/v1/customers/${customerId}/orders`, payload: { billingCycle, lineItems: [{ offerId, quantity, ...extra }] } })
  if (order.statusCode !== 201) throw new Error(`order failed: ${order.body}`)
  const subs = (await call(app, token, { url: `/v1/customers/${customerId}/subscriptions?order_id=${order.json().id}` })).json()
  return { ...subs.items[0], orderId: order.json().id } as { id: string, orderId: string }
}

// Arranged without assertions: an assertion here would end the root test, and its teardown closes the app.
if ((await call(app, admin, { method: 'POST', url: `/v1/customers/${contoso}/agreements`, payload: agreement })).statusCode !== 201) throw new Error('agreement')
const legacy = await buy(O365_E3_LEGACY, 5, 'monthly')
const e3 = await buy(E3, 3, 'annual', { termDuration: 'P1Y' })
const plan = await buy(AZURE_PLAN, 1, 'one_time')
const saas = await buy(SAAS, 10, 'monthly', { termDuration: 'P1M' })
const url = (subscriptionId: string, detail: string, customerId = contoso) => `/v1/customers/${customerId}/subscriptions/${subscriptionId}/${detail}`
const updateRecords = async () => {
  const since = new Date(Date.now() - 86_400_000).toISOString()
  const filter = encodeURIComponent(JSON.stringify({ Field: 'CustomerId', Value: contoso, Operator: 'equals' }))
  const page = (await call(app, admin, { url: `/v1/auditrecords?startDate=${since}&filter=${filter}` })).json()
  return page.items.filter((r: { operationType: string }) => r.operationType === 'update_subscription')
}

t.test('support contact: none at first, then one of the partner\'s indirect resellers, recorded once', async (t) => {
  const none = await call(app, admin, { url: url(legacy.id, 'supportcontact') })
  t.match({ status: none.statusCode, ...none.json() }, { status: 404, code: 1000, source: 'PartnerFD' })
  const before = (await updateRecords()).length
  const headers = { 'ms-requestid': crypto.randomUUID() }
  const put = await call(app, admin, { method: 'PUT', url: url(legacy.id, 'supportcontact'), payload: { ...FIRST_UP, name: 'first up consultants' }, headers })
  t.equal(put.statusCode, 200, put.body)
  t.match(put.json(), { ...FIRST_UP, links: { self: { uri: `/customers/${contoso}/subscriptions/${legacy.id}/supportcontact` } }, attributes: { objectType: 'SupportContact' } })
  const replay = await call(app, admin, { method: 'PUT', url: url(legacy.id, 'supportcontact'), payload: FIRST_UP, headers })
  t.same(replay.json(), put.json(), 'a replay answers as the first did')
  t.equal((await call(app, admin, { method: 'PUT', url: url(legacy.id, 'supportcontact'), payload: FIRST_UP })).statusCode, 200, 'the same contact again')
  const records = await updateRecords()
  t.equal(records.length, before + 1, 'one update_subscription record: neither the replay nor an unchanged PUT writes')
  t.match(JSON.parse(records[0].resourceNewValue), { id: legacy.id })
  const helpdesk = await userToken(app, USERS.helpdeskAgent)
  t.match((await call(app, helpdesk, { url: url(legacy.id, 'supportcontact') })).json(), FIRST_UP, 'a Helpdesk agent reads it')
})

t.test('support contact: bad input in the envelope, never a 500', async (t) => {
  const cases: Array<[string, Record<string, string> | undefined, number]> = [
    ['an MPN id of another reseller', { ...FIRST_UP, supportMpnId: '4847433' }, 800002],
    ['a tenant that is no reseller of the partner', { ...FIRST_UP, supportTenantId: crypto.randomUUID() }, 800002],
    ['another name', { ...FIRST_UP, name: 'ReleCloud' }, 800002],
    ['a tenant id that is no GUID', { ...FIRST_UP, supportTenantId: 'nope' }, 0],
    ['no MPN id', { supportTenantId: FIRST_UP.supportTenantId, name: FIRST_UP.name }, 0],
    ['no body', undefined, 0]
  ]
  for (const [what, payload, code] of cases) {
    const res = await call(app, admin, { method: 'PUT', url: url(legacy.id, 'supportcontact'), ...(payload === undefined ? {} : { payload }) })
    t.equal(res.statusCode, 400, what)
    t.match(res.json(), { code: code || Number, description: String, source: 'PartnerFD' }, what)
  }
  const nce = await call(app, admin, { method: 'PUT', url: url(e3.id, 'supportcontact'), payload: FIRST_UP })
  t.match({ status: nce.statusCode, ...nce.json() }, { status: 400, code: 800002, description: /new commerce/ }, 'new commerce has no designated support contact')
  t.equal((await call(app, admin, { url: url('not-a-guid', 'supportcontact') })).statusCode, 404)
  t.equal((await call(app, admin, { url: url(crypto.randomUUID(), 'provisioningstatus') })).json().code, 20003)
})

t.test('provisioning status: the subscription is provisioned', async (t) => {
  const res = await call(app, admin, { url: url(e3.id, 'provisioningstatus') })
  t.equal(res.statusCode, 200, res.body)
  t.match(res.json(), { skuId: '0001', status: 'success', quantity: 3, endDate: /T00:00:00\.000Z$/, attributes: { objectType: 'SubscriptionProvisioningStatus' } })
  t.match((await call(app, admin, { url: url(plan.id, 'provisioningstatus') })).json(), { status: 'success', quantity: 1, endDate: null })
})

t.test('registration: Azure subscriptions only, 202 with the status\'s Location, then registered', async (t) => {
  t.match((await call(app, appOnly, { url: url(plan.id, 'registrationstatus') })).json(),
    { subscriptionId: plan.id, status: 'notregistered', attributes: { objectType: 'SubscriptionRegistrationStatus' } }, 'app-only reads it')
  const headers = { 'ms-requestid': crypto.randomUUID() }
  const registered = await call(app, appOnly, { method: 'POST', url: url(plan.id, 'registrations'), headers })
  t.equal(registered.statusCode, 202, registered.body)
  t.equal(registered.headers.location, `/customers/${contoso}/subscriptions/${plan.id}/registrationstatus`)
  t.equal((await call(app, appOnly, { method: 'POST', url: url(plan.id, 'registrations'), headers })).statusCode, 202, 'a replay')
  t.equal((await call(app, admin, { method: 'POST', url: url(plan.id, 'registrations') })).statusCode, 202, 'registering again changes nothing')
  t.match((await call(app, admin, { url: url(plan.id, 'registrationstatus') })).json(), { status: 'registered' })
  for (const sub of [e3, legacy]) {
    t.match((await call(app, admin, { method: 'POST', url: url(sub.id, 'registrations') })).json(), { code: 800002 }, 'not an Azure subscription')
    t.equal((await call(app, admin, { url: url(sub.id, 'registrationstatus') })).statusCode, 400)
  }
})

t.test('Azure entitlements: the Azure plan\'s Azure subscription', async (t) => {
  const res = await call(app, appOnly, { url: url(plan.id, 'azureEntitlements') })
  t.equal(res.statusCode, 200, res.body)
  t.match(res.json(), { totalCount: 1, items: [{ id: plan.id, subscriptionId: plan.id, status: 'active', friendlyName: String, attributes: { objectType: 'AzureEntitlement' } }], attributes: { objectType: 'Collection' } })
  t.match((await call(app, admin, { url: url(e3.id, 'azureEntitlements') })).json(), { code: 800002 }, 'not an Azure plan')
})

t.test('activation: a third-party SaaS subscription, from an integration sandbox; its order line\'s activation link', async (t) => {
  t.match((await call(app, admin, { url: `/v1/customers/${contoso}/subscriptions/${saas.id}` })).json(), { isMicrosoftProduct: false, publisherName: 'Fabrikam Software' })
  const links = await call(app, appOnly, { url: `/v1/customers/${contoso}/orders/${saas.orderId}/lineitems/0/activationlinks` })
  t.equal(links.statusCode, 200, links.body)
  t.match(links.json(), { totalCount: 1, items: [{ lineItemNumber: 0, link: { uri: `https://backup.fabrikam.example/activate?subscriptionId=${saas.id}`, method: 'GET' } }] })
  t.match((await call(app, admin, { url: `/v1/customers/${contoso}/orders/${plan.orderId}/lineitems/0/activationlinks` })).json(), { totalCount: 0 }, 'no link for a product without activation')
  t.match((await call(app, admin, { url: `/v1/customers/${contoso}/orders/${saas.orderId}/lineitems/7/activationlinks` })).json(), { code: 1000 }, 'no such line')
  t.match((await call(app, admin, { url: `/v1/customers/${contoso}/orders/${saas.orderId}/lineitems/x/activationlinks` })).json(), { source: 'PartnerFD' })
  t.equal((await call(app, admin, { url: `/v1/customers/${contoso}/orders/nope/lineitems/0/activationlinks` })).statusCode, 404)
  const headers = { 'ms-requestid': crypto.randomUUID() }
  const activated = await call(app, appOnly, { method: 'POST', url: url(saas.id, 'activate'), headers })
  t.equal(activated.statusCode, 200, activated.body)
  t.same(activated.json(), { subscriptionId: saas.id, status: 'success' })
  t.same((await call(app, appOnly, { method: 'POST', url: url(saas.id, 'activate'), headers })).json(), activated.json(), 'a replay')
  t.equal((await call(app, admin, { method: 'POST', url: url(saas.id, 'activate') })).statusCode, 200, 'activating again')
  t.match((await call(app, admin, { method: 'POST', url: url(e3.id, 'activate') })).json(), { code: 800002 }, 'no activation for Microsoft products')
  t.match((await call(app, await userToken(app, USERS.salesAgent), { method: 'POST', url: url(saas.id, 'activate') })).json(), { code: 900150 }, 'Admin agents only')
  const theirs = OTHER_PARTNER.customers[0]!.id
  const theirAdmin = await userToken(app, USERS.otherAdminAgent, { tenantId: OTHER_PARTNER.id })
  const theirSaas = await buy(SAAS, 1, 'monthly', { termDuration: 'P1M' }, theirs, theirAdmin)
  t.match((await call(app, theirAdmin, { method: 'POST', url: url(theirSaas.id, 'activate', theirs) })).json(), { code: 2032 }, 'not from a production account')
  t.equal((await call(app, admin, { url: `/v1/customers/${theirs}/orders/${theirSaas.orderId}/lineitems/0/activationlinks` })).statusCode, 404, 'another partner\'s order')
  t.equal((await call(app, admin, { method: 'POST', url: url(theirSaas.id, 'activate', theirs) })).statusCode, 404, 'another partner\'s subscription')
})

t.test('App+User only for support contact and provisioning status; the agents\' roles', async (t) => {
  t.match((await call(app, appOnly, { url: url(legacy.id, 'supportcontact') })).json(), { code: 2032 })
  t.match((await call(app, appOnly, { method: 'PUT', url: url(legacy.id, 'supportcontact'), payload: FIRST_UP })).json(), { code: 2032 })
  t.match((await call(app, appOnly, { url: url(e3.id, 'provisioningstatus') })).json(), { code: 2032 })
  const helpdesk = await userToken(app, USERS.helpdeskAgent)
  const sales = await userToken(app, USERS.salesAgent)
  const billing = await userToken(app, USERS.billingAdmin)
  t.match((await call(app, helpdesk, { method: 'PUT', url: url(legacy.id, 'supportcontact'), payload: FIRST_UP })).json(), { code: 900150 }, 'a Helpdesk agent does not write')
  t.equal((await call(app, sales, { method: 'PUT', url: url(legacy.id, 'supportcontact'), payload: FIRST_UP })).statusCode, 200, 'a Sales agent does')
  t.match((await call(app, helpdesk, { method: 'POST', url: url(plan.id, 'registrations') })).json(), { code: 900150 })
  t.equal((await call(app, helpdesk, { url: url(e3.id, 'provisioningstatus') })).statusCode, 200)
  for (const detail of ['supportcontact', 'provisioningstatus', 'registrationstatus', 'azureEntitlements']) {
    t.equal((await call(app, billing, { url: url(plan.id, detail) })).statusCode, 403, `a Billing admin: ${detail}`)
  }
})

t.test('another partner\'s customer does not exist for the caller', async (t) => {
  const theirs = OTHER_PARTNER.customers[0]!.id
  for (const detail of ['supportcontact', 'provisioningstatus', 'registrationstatus', 'azureEntitlements']) {
    t.equal((await call(app, admin, { url: url(plan.id, detail, theirs) })).statusCode, 404, detail)
  }
  const theirAdmin = await userToken(app, USERS.otherAdminAgent, { tenantId: OTHER_PARTNER.id })
  t.equal((await call(app, theirAdmin, { url: url(plan.id, 'azureEntitlements') })).statusCode, 404, 'nor its subscriptions for the other partner')
  t.equal((await call(app, theirAdmin, { method: 'PUT', url: url(legacy.id, 'supportcontact'), payload: FIRST_UP })).statusCode, 404)
  t.equal((await call(app, theirAdmin, { method: 'POST', url: url(plan.id, 'registrations') })).statusCode, 404)
})
