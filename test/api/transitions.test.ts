// Upgrades (legacy offers) and transitions (new commerce) through the real app: what the catalog lets a
// subscription move to, eligible or with the documented reasons; the move's effect on seats, charges and
// the source; reconciliation afterwards; the history; roles, 404s, bad input and MS-RequestId replay.
// Subtests share one app; the last one moves the clock.
import t from 'tap'
import { build, call, mint, OTHER_PARTNER, PARTNER, userToken, USERS } from '../helper.js'

const app = await build(t)
const contoso = PARTNER.customers[0]!.id
const admin = await userToken(app, USERS.adminAgent)
const sales = await userToken(app, USERS.salesAgent)
const helpdesk = await userToken(app, USERS.helpdeskAgent)
const billingAdmin = await userToken(app, USERS.billingAdmin)
const appOnly = await mint(app)
const BASIC = 'CFQ7TTC0LH18:0001:CFQ7TTC0LH0R'
const BASIC_TRIAL = 'CFQ7TTC0LH18:0002:CFQ7TTC0LH1T'
const STANDARD = 'CFQ7TTC0LDPB:0001:CFQ7TTC0LDPC'
const PREMIUM = 'CFQ7TTC0LCHC:0002:CFQ7TTC0LCHD'
const BP_LEGACY = '031C9E47-4802-4248-838E-778FB1D2CC05'
const E3_LEGACY = '796B6B5F-613C-4E24-A17C-EBA730D49C02'
const agreement = {
  primaryContact: { firstName: 'Ann', lastName: 'Lee', email: 'ann@example.com' },
  templateId: '117a1a3b-b1b6-4a4b-8d7c-0f0f2b8d8d5e', dateAgreed: '2026-11-01T00:00:00Z', type: 'MicrosoftCustomerAgreement'
}
interface Sub { id: string, offerId: string, quantity: number, status: string, termDuration: string, billingCycle: string }

/** Buys one line by a direct order and answers its subscription. */
async function buy (offerId: string, quantity: number, billingCycle: string, termDuration?: string) {
  const line = { offerId, quantity, ...(termDuration ? { termDuration } : {}) }
  const order = await call(app, admin, { method: 'POST', url: `/v1/customers/${contoso}/orders`, payload: { billingCycle, lineItems: [line] } })
  if (order.statusCode !== 201) throw new Error(`order failed: ${order.body}`)
  return (await call(app, admin, { url: `/v1/customers/${contoso}/subscriptions?order_id=${order.json().id}` })).json().items[0] as Sub
}
const url = (subscriptionId: string, what: string, customerId = contoso) => `/v1/customers/${customerId}/subscriptions/${subscriptionId}/${what}`
const get = async (id: string) => (await call(app, admin, { url: `/v1/customers/${contoso}/subscriptions/${id}` })).json() as Sub
const transition = (id: string, payload: unknown, token = admin, headers: Record<string, string> = {}) =>
  call(app, token, { method: 'POST', url: url(id, 'transitions'), payload: payload as Record<string, unknown>, headers })
const eligibilities = async (id: string, query = '') => (await call(app, admin, { url: url(id, `transitionEligibilities${query}`) })).json()

// Arranged without assertions: an assertion here would end the root test, and its teardown closes the app.
if ((await call(app, admin, { method: 'POST', url: `/v1/customers/${contoso}/agreements`, payload: agreement })).statusCode !== 201) throw new Error('agreement')

t.test('legacy upgrades: the catalog\'s target offer, seats moved into one target subscription, the source suspended', async (t) => {
  const source = await buy(BP_LEGACY, 5, 'monthly')
  const list = await call(app, admin, { url: url(source.id, 'upgrades') })
  t.equal(list.statusCode, 200, list.body)
  t.match(list.json(), {
    totalCount: 1,
    items: [{ targetOffer: { id: E3_LEGACY, attributes: { objectType: 'Offer' } }, upgradeType: 'upgrade_with_license_transfer', isEligible: true, quantity: 5, upgradeErrors: [], attributes: { objectType: 'Upgrade' } }],
    attributes: { objectType: 'Collection' }
  })

  const headers = { 'ms-requestid': crypto.randomUUID() }
  const first = await call(app, sales, { method: 'POST', url: url(source.id, 'upgrades'), payload: { ...list.json().items[0], quantity: 2 }, headers })
  t.equal(first.statusCode, 200, first.body)
  const result = first.json()
  t.match(result, { sourceSubscriptionId: source.id, targetSubscriptionId: String, upgradeType: 'upgrade_with_license_transfer', upgradeErrors: [], licenseErrors: [], attributes: { objectType: 'UpgradeResult' } })
  const replay = await call(app, sales, { method: 'POST', url: url(source.id, 'upgrades'), payload: { ...list.json().items[0], quantity: 2 }, headers })
  t.same(replay.json(), result, 'a replay answers as the first did')
  t.match(await get(result.targetSubscriptionId), { offerId: E3_LEGACY, quantity: 2, status: 'active', billingCycle: 'monthly' }, 'moved once, not twice')
  t.match(await get(source.id), { quantity: 3, status: 'active' }, 'a partial upgrade reduces the source')

  // PascalCase and the SDK's enum number, as the .NET SDK sends it; the rest goes into the same target.
  const rest = await call(app, admin, { method: 'POST', url: url(source.id, 'upgrades'), payload: { TargetOffer: { Id: E3_LEGACY.toLowerCase() }, UpgradeType: 1 } })
  t.equal(rest.statusCode, 200, rest.body)
  t.match(rest.json(), { targetSubscriptionId: result.targetSubscriptionId, upgradeType: 'upgrade_only' })
  t.match(await get(result.targetSubscriptionId), { quantity: 5 })
  t.match(await get(source.id), { quantity: 3, status: 'suspended' }, 'all seats moved: the source is suspended')

  const after = (await call(app, admin, { url: url(source.id, 'upgrades') })).json().items[0]
  t.match(after, { isEligible: false, upgradeErrors: [{ code: 2, additionalDetails: 'suspended', attributes: { objectType: 'UpgradeError' } }] })
  const refused = await call(app, admin, { method: 'POST', url: url(source.id, 'upgrades'), payload: after })
  t.match({ status: refused.statusCode, ...refused.json() }, { status: 400, code: 800002, data: [{ code: 2 }] })
  const newCommerce = await buy(BASIC, 1, 'monthly', 'P1M')
  t.same((await call(app, appOnly, { url: url(newCommerce.id, 'upgrades') })).json().items, [], 'new commerce: no upgrades (app-only reads them)')
})

t.test('legacy upgrades: refusals in the envelope, never a 500', async (t) => {
  const source = await buy(BP_LEGACY, 2, 'annual')
  const cases: Array<[string, unknown, number]> = [
    ['an offer that is no upgrade path', { targetOffer: { id: BP_LEGACY } }, 800002],
    ['more seats than the source has', { targetOffer: { id: E3_LEGACY }, quantity: 3 }, 800002],
    ['an unknown upgrade type', { targetOffer: { id: E3_LEGACY }, upgradeType: 'sideways' }, 800002],
    ['no target offer', { quantity: 1 }, 0],
    ['a quantity of 0', { targetOffer: { id: E3_LEGACY }, quantity: 0 }, 0]
  ]
  for (const [what, payload, code] of cases) {
    const res = await call(app, admin, { method: 'POST', url: url(source.id, 'upgrades'), payload: payload as Record<string, unknown> })
    t.equal(res.statusCode, 400, what)
    t.match(res.json(), { code: code || Number, description: String }, what)
  }
  t.equal((await call(app, helpdesk, { url: url(source.id, 'upgrades') })).statusCode, 403, 'a Helpdesk agent is refused')
  t.match((await call(app, admin, { url: url(crypto.randomUUID(), 'upgrades') })).json(), { code: 20003 })
  t.equal((await call(app, admin, { url: url('nope', 'upgrades') })).statusCode, 404)
  const other = await userToken(app, USERS.otherAdminAgent, { tenantId: OTHER_PARTNER.id })
  t.equal((await call(app, other, { url: url(source.id, 'upgrades', OTHER_PARTNER.customers[0]!.id) })).statusCode, 404, 'another partner sees nothing')
  t.equal((await call(app, other, { url: url(source.id, 'upgrades') })).statusCode, 404, 'nor this partner\'s customer')
})

t.test('transitions: eligibilities from the catalog, a partial then a full transition, history, reconciliation', async (t) => {
  const source = await buy(BASIC, 10, 'annual', 'P1Y')
  const listed = await eligibilities(source.id)
  t.same(listed.items.map((i: { catalogItemId: string }) => i.catalogItemId), [STANDARD, PREMIUM])
  t.match(listed.items[0], {
    title: 'Microsoft 365 Business Standard', quantity: 10, subscriptionEligibilities: [],
    eligibilities: [{ isEligible: true, transitionType: 'transition_only', errors: [] }, { isEligible: true, transitionType: 'transition_with_license_transfer', errors: [] }],
    attributes: { objectType: 'TransitionEligibility' }
  })

  const headers = { 'ms-requestid': crypto.randomUUID() }
  const partial = await transition(source.id, { toCatalogItemId: STANDARD, quantity: 4, transitionType: 'transition_only', fromSubscriptionId: source.id }, admin, headers)
  t.equal(partial.statusCode, 200, partial.body)
  const moved = partial.json()
  t.match(moved, {
    operationId: String, fromSubscriptionId: source.id, fromCatalogItemId: BASIC, toCatalogItemId: STANDARD, toSubscriptionId: String, quantity: 4,
    termDuration: 'P1Y', billingCycle: 'annual', transitionType: 'transition_only', status: 'completed',
    events: [{ name: 'Conversion', status: 'Completed', attributes: { objectType: 'TransitionEvent' } }], attributes: { objectType: 'Transition' }
  })
  t.same((await transition(source.id, { toCatalogItemId: STANDARD, quantity: 4, transitionType: 'transition_only' }, admin, headers)).json(), moved, 'replayed')
  t.match(await get(moved.toSubscriptionId), { offerId: STANDARD, quantity: 4, status: 'active', termDuration: 'P1Y', billingCycle: 'annual' })
  t.match(await get(source.id), { quantity: 6, status: 'active' })

  const full = await transition(source.id, { ToCatalogItemId: 'CFQ7TTC0LCHC:0002', Quantity: 6, TransitionType: 'transition_with_license_transfer' }, appOnly)
  t.equal(full.statusCode, 200, full.body)
  t.match(full.json(), { toCatalogItemId: PREMIUM, quantity: 6, events: [{ name: 'Conversion' }, { name: 'LicenseReassignment' }] })
  t.match(await get(source.id), { status: 'deleted' }, 'all seats moved: the source is cancelled')
  t.match((await eligibilities(source.id)).items[0].eligibilities[0], { isEligible: false, errors: [{ code: 2 }] })
  t.match((await transition(source.id, { toCatalogItemId: STANDARD, quantity: 1, transitionType: 'transition_only' })).json(), { code: 800002, data: [{ code: 2 }] })

  const history = (await call(app, admin, { url: url(source.id, 'transitions') })).json()
  t.same(history.items.map((i: { operationId: string }) => i.operationId), [moved.operationId, full.json().operationId])
  t.same((await call(app, admin, { url: url(moved.toSubscriptionId, 'transitions') })).json().items, [moved], 'the target\'s history too')
  t.same((await call(app, admin, { url: url(source.id, `transitions?operationId=${moved.operationId}`) })).json().items, [moved])

  const unbilled = (await call(app, billingAdmin, { url: '/v1/invoices/unbilled/lineitems?provider=onetime&invoicelineitemtype=billinglineitems&currencycode=USD&period=current' })).json()
  const lines = (id: string) => unbilled.items.filter((l: { subscriptionId: string }) => l.subscriptionId === id).map((l: { chargeType: string, quantity: number, subtotal: number }) => [l.chargeType, l.quantity, l.subtotal])
  t.same(lines(source.id), [['New', 10, 720], ['RemoveQuantity', -4, -288], ['Cancel', -6, -432]], 'the source: bought, reduced, cancelled')
  t.same(lines(moved.toSubscriptionId), [['New', 4, 600]], 'the target: bought at its own price')
  t.same(lines(full.json().toSubscriptionId), [['New', 6, 1584]])

  const since = new Date(Date.now() - 86_400_000).toISOString()
  const filter = encodeURIComponent(JSON.stringify({ Field: 'CustomerId', Value: contoso, Operator: 'equals' }))
  const audit = await call(app, admin, { url: `/v1/auditrecords?startDate=${since}&filter=${filter}` })
  t.equal(audit.statusCode, 200, audit.body)
  const records = audit.json().items
  t.equal(records.filter((r: { operationType: string }) => r.operationType === 'transition_subscription').length, 2, 'one record per transition, none for the replay')
})

t.test('transitions: a trial converts to a paid subscription; refusals in the envelope, never a 500', async (t) => {
  const trial = await buy(BASIC_TRIAL, 5, 'none', 'P1M')
  t.same((await eligibilities(trial.id)).items.map((i: { catalogItemId: string }) => i.catalogItemId), [BASIC, STANDARD, PREMIUM])
  const converted = await transition(trial.id, { toCatalogItemId: BASIC, quantity: 5, transitionType: 'transition_only' })
  t.equal(converted.statusCode, 200, converted.body)
  t.match(await get(converted.json().toSubscriptionId), { offerId: BASIC, quantity: 5, termDuration: 'P1M', billingCycle: 'monthly' }, 'the target\'s first paid term')
  t.match(await get(trial.id), { status: 'deleted' })

  const source = await buy(STANDARD, 3, 'annual', 'P1Y')
  const cases: Array<[string, unknown, number]> = [
    ['a catalog item that is no transition', { toCatalogItemId: BASIC, quantity: 1, transitionType: 'transition_only' }, 800002],
    ['more seats than the source has', { toCatalogItemId: PREMIUM, quantity: 4, transitionType: 'transition_only' }, 800002],
    ['an unknown transition type', { toCatalogItemId: PREMIUM, quantity: 1, transitionType: 'everything' }, 800002],
    ['another source subscription', { toCatalogItemId: PREMIUM, quantity: 1, transitionType: 'transition_only', fromSubscriptionId: crypto.randomUUID() }, 800002],
    ['a shorter term', { toCatalogItemId: PREMIUM, quantity: 1, transitionType: 'transition_only', termDuration: 'P1M', billingCycle: 'monthly' }, 800002],
    ['a term the target is not sold with', { toCatalogItemId: PREMIUM, quantity: 1, transitionType: 'transition_only', termDuration: 'P3Y', billingCycle: 'triennial' }, 800002],
    ['a target subscription id that is no GUID', { toCatalogItemId: PREMIUM, quantity: 1, transitionType: 'transition_only', toSubscriptionId: 'nope' }, -404],
    ['no quantity', { toCatalogItemId: PREMIUM, transitionType: 'transition_only' }, 0],
    ['no body', undefined, 0]
  ]
  for (const [what, payload, code] of cases) {
    const res = await transition(source.id, payload)
    t.equal(res.statusCode, code === -404 ? 404 : 400, what)
    t.match(res.json(), { code: code > 0 ? code : Number, description: String }, what)
  }
  t.equal((await call(app, admin, { url: url(source.id, 'transitionEligibilities?eligibilityType=sometime') })).statusCode, 400)
  t.match(await get(source.id), { quantity: 3, status: 'active' }, 'nothing moved')
  for (const [what, token] of [['a Helpdesk agent', helpdesk], ['a Sales agent', sales]] as const) {
    t.equal((await call(app, token, { url: url(source.id, 'transitionEligibilities') })).statusCode, 403, what)
    t.equal((await transition(source.id, { toCatalogItemId: PREMIUM, quantity: 1, transitionType: 'transition_only' }, token)).statusCode, 403, what)
    t.equal((await call(app, token, { url: url(source.id, 'transitions') })).statusCode, 403, what)
  }
  const globalAdmin = await userToken(app, USERS.globalAdmin)
  t.equal((await call(app, globalAdmin, { url: url(source.id, 'transitions') })).json().totalCount, 0, 'a Global admin reads the history')
  t.equal((await call(app, admin, { url: url(crypto.randomUUID(), 'transitions') })).statusCode, 404)
  t.equal((await call(app, admin, { url: url(source.id, 'transitions?operationId=nope') })).statusCode, 400)
})

t.test('transitions into an existing subscription: its documented eligibility, then the seats added to it', async (t) => {
  // Last: it moves the clock past the targets' cancellation windows.
  const source = await buy(STANDARD, 3, 'annual', 'P1Y')
  const target = await buy(PREMIUM, 2, 'annual', 'P1Y')
  const monthly = await buy(PREMIUM, 1, 'monthly', 'P1M')
  const premium = () => eligibilities(source.id).then((e) => e.items.find((i: { catalogItemId: string }) => i.catalogItemId === PREMIUM))
  const byId = (list: Array<{ subscriptionId: string, errors: Array<{ code: number }> }>, id: string) => list.find((s) => s.subscriptionId === id)
  let listed = await premium()
  t.match(byId(listed.subscriptionEligibilities, target.id), { isEligible: false, subscriptionTermDuration: 'P1Y', subscriptionBillingCycle: 'annual', errors: [{ code: 2 }] })
  t.same(byId(listed.subscriptionEligibilities, monthly.id)!.errors.map((e) => e.code), [2, 3, 4])
  const scheduled = (await eligibilities(source.id, '?eligibilityType=Scheduled')).items
  t.same(scheduled.map((i: { subscriptionEligibilities: unknown[] }) => i.subscriptionEligibilities), [[], []], 'none for a scheduled transition')
  const early = await transition(source.id, { toCatalogItemId: PREMIUM, toSubscriptionId: target.id, quantity: 3, transitionType: 'transition_only' })
  t.match({ status: early.statusCode, ...early.json() }, { status: 400, code: 800002, data: [{ code: 2 }] })

  await app.inject({ method: 'PUT', url: '/_emulator/clock', payload: { advanceSeconds: 8 * 86_400 } })
  listed = await premium()
  t.match(byId(listed.subscriptionEligibilities, target.id), { isEligible: true, errors: [] })
  const into = await transition(source.id, { toCatalogItemId: PREMIUM, toSubscriptionId: target.id, quantity: 3, transitionType: 'transition_only' })
  t.equal(into.statusCode, 200, into.body)
  t.match(into.json(), { toSubscriptionId: target.id, quantity: 3 })
  t.match(await get(target.id), { quantity: 5, status: 'active' })
  t.match(await get(source.id), { status: 'deleted' })
  t.equal((await transition(source.id, { toCatalogItemId: PREMIUM, toSubscriptionId: monthly.id, quantity: 1, transitionType: 'transition_only' })).statusCode, 400)
})
