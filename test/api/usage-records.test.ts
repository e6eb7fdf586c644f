// Azure usage records and summaries, and Azure entitlements, through the real app. Contoso buys an
// Azure plan, a legacy Microsoft Azure (MS-AZR-0145P) subscription and a license-based one on the second
// day of a month (emulator clock); three whole days later every route reads the usage metered so far, and
// its numbers agree with the unbilled daily rated usage line items. Cancelling the plan's Azure
// subscription stops metering; reactivating it resumes metering without back-filling.
// Scenario: the subtests share one app and move its clock forward, so their order matters.
import t from 'tap'
import { build, call, mint, OTHER_PARTNER, PARTNER, userToken, USERS } from '../helper.js'

const app = await build(t)
const contoso = PARTNER.customers[0]!.id
const admin = await userToken(app, USERS.adminAgent)
const billingAdmin = await userToken(app, USERS.billingAdmin)
const sales = await userToken(app, USERS.salesAgent)
const helpdesk = await userToken(app, USERS.helpdeskAgent)
const appOnly = await mint(app)
const theirAdmin = await userToken(app, USERS.otherAdminAgent, { tenantId: OTHER_PARTNER.id })
const AZURE_PLAN = 'DZH318Z0BQ3Q:0001:DZH318Z0BXWC'
const E3 = 'CFQ7TTC0LFLX:0001:CFQ7TTC0LFLY'
const agreement = {
  primaryContact: { firstName: 'Ann', lastName: 'Lee', email: 'ann@example.com' },
  templateId: '117a1a3b-b1b6-4a4b-8d7c-0f0f2b8d8d5e', dateAgreed: '2026-11-01T00:00:00Z', type: 'MicrosoftCustomerAgreement'
}
const DAY = 86_400

async function buy (offerId: string, billingCycle: string, extra: Record<string, string> = {}) {
  const order = await call(app, admin, { method: 'POST', url: `/v1/customers/${contoso}/orders`, payload: { billingCycle, lineItems: [{ offerId, quantity: 1, ...extra }] } })
  if (order.statusCode !== 201) throw new Error(`order failed: ${order.body}`)
  return (await call(app, admin, { url: `/v1/customers/${contoso}/subscriptions?order_id=${order.json().id}` })).json().items[0].id as string
}
const advance = (seconds: number) => app.inject({ method: 'PUT', url: '/_emulator/clock', payload: { advanceSeconds: seconds } })

// Arranged without assertions (an assertion here would end the root test). The month starts ahead of
// real time, so every day metered below falls in the one billing period the clock is in.
const clock = new Date((await app.inject({ url: '/_emulator/clock' })).json().now)
const periodStart = new Date(Date.UTC(clock.getUTCFullYear(), clock.getUTCMonth() + 1, 1))
await app.inject({ method: 'PUT', url: '/_emulator/clock', payload: { now: new Date(periodStart.getTime() + DAY * 1000 + 3_600_000).toISOString() } })
if ((await call(app, admin, { method: 'POST', url: `/v1/customers/${contoso}/agreements`, payload: agreement })).statusCode !== 201) throw new Error('agreement')
const plan = await buy(AZURE_PLAN, 'one_time')
const legacy = await buy('MS-AZR-0145P', 'monthly')
const e3 = await buy(E3, 'annual', { termDuration: 'P1Y' })
await advance(3 * DAY)

const base = `/v1/customers/${contoso}/subscriptions`
const read = (token: string, url: string) => call(app, token, { url })
const unbilledUsage = async () => (await read(billingAdmin, '/v1/invoices/unbilled/lineitems?provider=onetime&invoicelineitemtype=usagelineitems&currencycode=USD&period=current'))
  .json().items.filter((i: { subscriptionId: string }) => i.subscriptionId === plan) as Array<{ usageDate: string, billingPreTaxTotal: number, quantity: number }>
const cents = (items: Array<{ billingPreTaxTotal: number }>) => items.reduce((sum, i) => sum + Math.round(i.billingPreTaxTotal * 100), 0) / 100

t.test('subscription usage records: one per usage-based subscription, in the customer\'s currency', async (t) => {
  const res = await read(billingAdmin, `${base}/usagerecords`)
  t.equal(res.statusCode, 200, res.body)
  const body = res.json()
  t.match(body, { totalCount: 2, attributes: { objectType: 'Collection' }, links: { self: { uri: `/customers/${contoso}/subscriptions/usagerecords` } } })
  const planRecord = body.items.find((i: { id: string }) => i.id === plan)
  t.match(planRecord, { resourceId: plan, offerId: AZURE_PLAN, status: 'active', totalCost: 7.2, currencyCode: 'USD', usdTotalCost: 7.2, attributes: { objectType: 'SubscriptionMonthlyUsageRecord' } })
  t.notOk('currencyLocale' in planRecord, 'Azure plans name a currency code, not a locale')
  t.equal(planRecord.lastModifiedDate, new Date(periodStart.getTime() + 4 * DAY * 1000).toISOString(), 'the end of the last whole day metered')
  t.match(body.items.find((i: { id: string }) => i.id === legacy), { offerId: 'MS-AZR-0145P', totalCost: 7.2, currencyLocale: 'en-US' })
  t.notOk(body.items.some((i: { id: string }) => i.id === e3), 'license-based subscriptions have no usage records')
  t.equal(cents(await unbilledUsage()), planRecord.totalCost, 'the sum of the unbilled daily rated usage line items')
})

t.test('usage summaries: the customer\'s and a subscription\'s, over the current billing period', async (t) => {
  const customer = (await read(sales, `/v1/customers/${contoso}/usagesummary`)).json()
  t.match(customer, {
    resourceId: contoso, resourceName: String, totalCost: 14.4, currencyCode: 'USD', usdTotalCost: 14.4,
    billingStartDate: periodStart.toISOString(), billingEndDate: new Date(Date.UTC(periodStart.getUTCFullYear(), periodStart.getUTCMonth() + 1, 1)).toISOString(),
    attributes: { objectType: 'CustomerUsageSummary' }
  }, 'the Azure plan and legacy Azure together')
  const summary = (await read(admin, `${base}/${plan}/usagesummary`)).json()
  t.match(summary, { resourceId: plan, totalCost: 7.2, currencyCode: 'USD', billingStartDate: periodStart.toISOString(), links: { self: { uri: `/customers/${contoso}/subscriptions/${plan}/usagesummary` } }, attributes: { objectType: 'SubscriptionUsageSummary' } })
  t.match((await read(admin, `${base}/${legacy}/usagesummary`)).json(), { totalCost: 7.2, currencyLocale: 'en-US' })
  const all = (await read(billingAdmin, '/v1/customers/usagerecords')).json()
  t.match(all, { totalCount: 1, items: [{ resourceId: contoso, totalCost: 14.4, currencyCode: 'USD', usdTotalCost: 14.4, isUpgraded: true, attributes: { objectType: 'CustomerMonthlyUsageRecord' } }] },
    'every customer with a usage-based subscription: only Contoso')
  t.equal((await read(appOnly, '/v1/customers/usagerecords')).statusCode, 403)
  const tailspin = PARTNER.customers[2]!.id
  t.match((await read(admin, `/v1/customers/${tailspin}/usagesummary`)).json(), { totalCost: 0, currencyCode: 'GBP' }, 'no usage: zero in the customer\'s currency')
})

t.test('usage by resource, by meter and by day add up to the line items', async (t) => {
  const lines = await unbilledUsage()
  const resources = (await read(admin, `${base}/${plan}/resourceusagerecords`)).json()
  t.match(resources, { totalCount: 1, items: [{ subscriptionId: plan, entitlementId: plan, resourceGroupName: 'pce-demo', resourceName: 'vm-1', totalCost: 7.2, currencyCode: 'USD', attributes: { objectType: 'ResourceUsageRecord' } }] })
  t.match(resources.items[0].resourceUri, new RegExp(`^/subscriptions/${plan}/resourceGroups/pce-demo/providers/Microsoft.Compute/virtualMachines/vm-1$`))
  const meters = (await read(admin, `${base}/${plan}/meterusagerecords`)).json()
  t.match(meters, { totalCount: 1, items: [{ subscriptionId: plan, meterName: 'D2s v5', category: 'Virtual Machines', quantityUsed: 72, unit: '1 Hour', totalCost: 7.2, usdTotalCost: 7.2, attributes: { objectType: 'MeterUsageRecord' } }] })
  t.equal(meters.items[0].quantityUsed, lines.reduce((sum, l) => sum + l.quantity, 0))
  const daily = (await read(admin, `${base}/${plan}/usagerecords/daily`)).json()
  t.equal(daily.totalCount, 3)
  t.same(daily.items.map((d: { dateUsed: string, totalCost: number }) => [d.dateUsed, d.totalCost]), lines.map((l) => [l.usageDate, l.billingPreTaxTotal]), 'one record per daily rated line')
  t.match((await read(admin, `${base}/${legacy}/meterusagerecords`)).json(), { items: [{ totalCost: 7.2, currencyLocale: 'en-US' }] })
  t.match((await read(admin, `${base}/${legacy}/usagerecords/resources`)).json(), { totalCount: 1, items: [{ name: 'D2s v5', quantityUsed: 72, totalCost: 7.2, currencyLocale: 'en-US', attributes: { objectType: 'AzureResourceMonthlyUsageRecord' } }] })
  t.match((await read(admin, `${base}/${plan}/usagerecords/resources`)).json(), { code: 800002 }, 'the legacy route serves MS-AZR-0145P only')
  t.match((await read(admin, `${base}/${legacy}/resourceusagerecords`)).json(), { code: 800002 }, 'the new route does not serve MS-AZR-0145P')
})

t.test('bad input: 400 in the Partner Center envelope; unknown, license-based and other partners\' subscriptions', async (t) => {
  for (const detail of ['usagesummary', 'resourceusagerecords', 'meterusagerecords', 'usagerecords/resources', 'usagerecords/daily']) {
    const e3Res = await read(admin, `${base}/${e3}/${detail}`)
    t.equal(e3Res.statusCode, 400, `${detail}: license-based`)
    t.match(e3Res.json(), { code: 800002, description: String, source: String })
    t.equal((await read(admin, `${base}/${crypto.randomUUID()}/${detail}`)).statusCode, 404, `${detail}: unknown subscription`)
    t.equal((await read(admin, `${base}/not-a-guid/${detail}`)).statusCode, 404, `${detail}: a malformed subscription id is unknown`)
    t.equal((await read(theirAdmin, `${base}/${plan}/${detail}`)).statusCode, 404, `${detail}: another partner's customer does not exist`)
  }
  const bad = await read(admin, '/v1/customers/not-a-guid/usagesummary')
  t.equal(bad.statusCode, 400)
  t.match(bad.json(), { code: Number, description: String })
  t.equal((await read(admin, `/v1/customers/${crypto.randomUUID()}/subscriptions/usagerecords`)).statusCode, 404)
  t.equal((await read(admin, `/v1/customers/${OTHER_PARTNER.customers[0]!.id}/usagesummary`)).statusCode, 404)
})

t.test('roles: App+User only; Admin agents, Sales agents, Billing admins and Global admins', async (t) => {
  t.equal((await read(appOnly, `${base}/usagerecords`)).statusCode, 403, 'app-only tokens are refused')
  t.equal((await read(helpdesk, `${base}/${plan}/usagesummary`)).statusCode, 403)
  t.equal((await read(await userToken(app, USERS.globalAdmin), `${base}/${plan}/meterusagerecords`)).statusCode, 200)
})

t.test('Azure entitlements: get one, cancel it (metering stops), reactivate it (metering resumes, no back-fill)', async (t) => {
  const one = `${base}/${plan}/azureEntitlements/${plan}`
  t.match((await read(appOnly, one)).json(), { id: plan, subscriptionId: plan, status: 'active', attributes: { objectType: 'AzureEntitlement' } })
  t.equal((await read(admin, `${base}/${plan}/azureEntitlements/${crypto.randomUUID()}`)).statusCode, 404, 'an entitlement the plan does not have')
  t.equal((await read(admin, `${base}/${e3}/azureEntitlements/${e3}`)).statusCode, 400, 'not an Azure plan')
  t.equal((await read(theirAdmin, one)).statusCode, 404)

  const cancel = (token: string, payload: Record<string, string> = { cancellationReason: 'compromise' }) => call(app, token, { method: 'POST', url: `${one}/cancel`, payload })
  t.equal((await cancel(sales)).statusCode, 403, 'Admin agents cancel')
  t.equal((await cancel(admin, {})).statusCode, 400, 'a cancellation reason is required')
  const requestId = crypto.randomUUID()
  const cancelled = await call(app, appOnly, { method: 'POST', url: `${one}/cancel`, payload: { cancellationReason: 'compromise' }, headers: { 'ms-requestid': requestId } })
  t.equal(cancelled.statusCode, 202, cancelled.body)
  const retried = await call(app, appOnly, { method: 'POST', url: `${one}/cancel`, payload: { cancellationReason: 'compromise' }, headers: { 'ms-requestid': requestId } })
  t.same([retried.statusCode, retried.json()], [202, cancelled.json()], 'a retry with the same MS-RequestId replays the answer')
  t.match(cancelled.json(), { id: plan, status: 'canceled' })
  t.match((await read(admin, `${base}/${plan}/azureEntitlements`)).json(), { items: [{ id: plan, status: 'canceled' }] })
  t.match((await read(admin, `${base}/${plan}`)).json(), { status: 'active' }, 'the plan itself stays active')
  t.match((await cancel(admin)).json(), { code: 800002 }, 'already cancelled')

  await advance(2 * DAY)
  t.match((await read(admin, `${base}/${plan}/usagesummary`)).json(), { totalCost: 7.2 }, 'nothing metered while cancelled')
  const reactivated = await call(app, admin, { method: 'POST', url: `${one}/reactivate` })
  t.equal(reactivated.statusCode, 202, reactivated.body)
  t.match(reactivated.json(), { status: 'active' })
  t.match((await call(app, admin, { method: 'POST', url: `${one}/reactivate` })).json(), { code: 900337 }, 'only a cancelled one is reactivated')
  await advance(DAY)
  t.match((await read(admin, `${base}/${plan}/usagesummary`)).json(), { totalCost: 9.6 }, 'the reactivation day is metered; the cancelled days are not')
  t.equal(cents(await unbilledUsage()), 9.6, 'and the line items agree')
  t.equal((await read(admin, `${base}/${plan}/usagerecords/daily`)).json().totalCount, 4)
})
