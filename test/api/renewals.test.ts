// Term ends through the real app, on the emulator clock: a term that ended renews (one Renew charge per
// term, a new cancellation window) or, without auto-renew, expires; changes scheduled for the next term
// apply at renewal and are cleared; bad instructions answer 400 in the Partner Center envelope; and
// concurrent reads renew a term once.
import t from 'tap'
import { build, call, PARTNER, userToken, USERS } from '../helper.js'

const DAY = 86_400_000
const E3 = { productId: 'CFQ7TTC0LFLX', skuId: '0001', availabilityId: 'CFQ7TTC0LFLY' }
const E3_ITEM = `${E3.productId}:${E3.skuId}:${E3.availabilityId}`
const AZURE_PLAN = 'DZH318Z0BQ3Q:0001:DZH318Z0BXWC'
const contoso = PARTNER.customers[0]!.id
const agreement = {
  primaryContact: { firstName: 'Ann', lastName: 'Lee', email: 'ann@example.com' },
  templateId: '117a1a3b-b1b6-4a4b-8d7c-0f0f2b8d8d5e', dateAgreed: '2026-11-01T00:00:00Z', type: 'MicrosoftCustomerAgreement'
}
const UNBILLED = '/v1/invoices/unbilled/lineitems?provider=onetime&invoicelineitemtype=billinglineitems&currencycode=USD&period=current'

interface Subscription { id: string, quantity: number, commitmentEndDate: string, [key: string]: unknown }

// One app for the file: each test buys its own subscriptions and only moves the clock forward from
// their purchase, so a later test's jump renews an earlier test's subscriptions without harm.
const app = await build(t)
const admin = await userToken(app, USERS.adminAgent)
const billing = await userToken(app, USERS.billingAdmin)
// Arranged without assertions: an assertion here would end the root test, and its teardown closes the app.
if ((await call(app, admin, { method: 'POST', url: `/v1/customers/${contoso}/agreements`, payload: agreement })).statusCode !== 201) throw new Error('agreement')
const url = (id: string) => `/v1/customers/${contoso}/subscriptions/${id}`

async function buy (quantity: number, billingCycle = 'monthly', termDuration = 'P1M', offerId = E3_ITEM): Promise<Subscription> {
  const order = await call(app, admin, { method: 'POST', url: `/v1/customers/${contoso}/orders`, payload: { billingCycle, lineItems: [{ offerId, quantity, ...(termDuration ? { termDuration } : {}) }] } })
  if (order.statusCode !== 201) throw new Error(`order failed: ${order.body}`)
  return (await call(app, admin, { url: url(order.json().lineItems[0].subscriptionId) })).json()
}
const get = async (id: string): Promise<Subscription> => (await call(app, admin, { url: url(id) })).json()
const patch = (id: string, payload: object) => call(app, admin, { method: 'PATCH', url: url(id), payload })
/** The subscription's unbilled one-time line items, in order. */
async function charges (id: string) {
  const items: Array<Record<string, unknown>> = (await call(app, billing, { url: `${UNBILLED}&size=2000` })).json().items
  return items.filter((i) => i.subscriptionId === id)
}

/** The first day of the next term: renewals run from 00:00 UTC the day after the term's last day. */
const renewalOf = (sub: { commitmentEndDate: string }) => new Date(Date.parse(sub.commitmentEndDate) + DAY)
/** The last day of a term of `months` starting on `start`. */
const endOf = (start: Date, months: number) => {
  const end = new Date(start)
  end.setUTCMonth(end.getUTCMonth() + months)
  return new Date(end.getTime() - DAY)
}
const moveClock = async (to: Date) => {
  const res = await app.inject({ method: 'PUT', url: '/_emulator/clock', payload: { now: to.toISOString() } })
  if (res.statusCode !== 200) throw new Error(`clock: ${res.body}`)
}

t.test('a term that ended with auto-renew renews: a new term, a new window, one Renew charge', async (t) => {
  const sub = await buy(3)
  t.match(sub, { autoRenewEnabled: true, scheduledNextTermInstructions: null })
  const renewal = renewalOf(sub)
  await moveClock(new Date(renewal.getTime() - 3_600_000))
  t.equal((await get(sub.id)).effectiveStartDate, sub.effectiveStartDate, 'nothing happens on the term\'s last day')

  await moveClock(new Date(renewal.getTime() + 3_600_000))
  const renewed = await get(sub.id)
  t.match(renewed, {
    status: 'active', quantity: 3, effectiveStartDate: renewal.toISOString(), commitmentEndDate: endOf(renewal, 1).toISOString(),
    cancellationAllowedUntilDate: new Date(renewal.getTime() + 7 * DAY).toISOString(), actions: ['Cancel', 'Edit'], refundableQuantity: { totalQuantity: 3 }
  })
  const lines = await charges(sub.id)
  t.same(lines.map((l) => l.chargeType), ['New', 'Renew'], 'one renewal charge, after the purchase')
  t.match(lines[1], { quantity: 3, unitPrice: lines[0]!.unitPrice, chargeStartDate: renewal.toISOString(), orderId: sub.orderId })
  t.same((await charges(sub.id)).length, 2, 'reading again renews nothing twice')
  t.same((await get(sub.id)).attributes, renewed.attributes, 'nor changes the subscription (same etag)')
  const since = new Date(renewal.getTime() - DAY).toISOString()
  const records = (await call(app, admin, { url: `/v1/auditrecords?startDate=${since}` })).json().items
    .filter((r: { resourceNewValue: string | null }) => r.resourceNewValue?.includes(sub.id))
  t.equal(records.length, 1, 'one audit record of the renewal')
  t.match(records[0], { operationType: 'update_subscription', operationDate: renewal.toISOString(), applicationId: '00000000-0000-0000-0000-000000000000' })
  t.notOk(records[0].userPrincipalName, 'made by the emulator, not by the reader')
  t.match(JSON.parse(records[0].resourceOldValue), { effectiveStartDate: sub.effectiveStartDate })
})

t.test('the clock jumping two terms renews twice, one charge per term', async (t) => {
  const sub = await buy(2)
  const first = renewalOf(sub)
  const second = new Date(endOf(first, 1).getTime() + DAY)
  await moveClock(new Date(second.getTime() + 5 * DAY))
  const renewed = await get(sub.id)
  t.match(renewed, { effectiveStartDate: second.toISOString(), commitmentEndDate: endOf(second, 1).toISOString() })
  t.same((await charges(sub.id)).map((l) => [l.chargeType, l.chargeStartDate, l.chargeEndDate, l.subscriptionEndDate]), [
    ['New', sub.effectiveStartDate, sub.commitmentEndDate, sub.commitmentEndDate],
    ['Renew', first.toISOString(), endOf(first, 1).toISOString(), endOf(first, 1).toISOString()],
    ['Renew', second.toISOString(), endOf(second, 1).toISOString(), endOf(second, 1).toISOString()]
  ], 'each charge keeps the term it was made in')
  t.equal(renewed.cancellationAllowedUntilDate, new Date(second.getTime() + 7 * DAY).toISOString(), 'the window is the latest term\'s')
})

t.test('without auto-renew the subscription expires at term end; Azure plans and legacy offers never do', async (t) => {
  const sub = await buy(4)
  t.equal((await patch(sub.id, { autoRenewEnabled: false })).json().autoRenewEnabled, false)
  const plan = await buy(1, 'one_time', '', AZURE_PLAN)
  await moveClock(new Date(renewalOf(sub).getTime() + DAY))
  const expired = await get(sub.id)
  t.match(expired, { status: 'expired', autoRenewEnabled: false, actions: [], cancellationAllowedUntilDate: null, commitmentEndDate: sub.commitmentEndDate })
  t.same((await charges(sub.id)).map((l) => l.chargeType), ['New'], 'no renewal charge')
  const change = await patch(sub.id, { quantity: 5 })
  t.match({ status: change.statusCode, ...change.json() }, { status: 400, code: Number, source: 'PartnerFD' }, 'an expired subscription is not changed')
  t.match(await get(plan.id), { status: 'active', commitmentEndDate: null })
})

t.test('changes scheduled for the next term apply at renewal, then are cleared', async (t) => {
  const sub = await buy(3)
  const instructions = { product: { ...E3, billingCycle: 'Annual', termDuration: 'P1Y' }, quantity: 5 }
  const scheduled = await patch(sub.id, { scheduledNextTermInstructions: instructions })
  t.equal(scheduled.statusCode, 200, scheduled.body)
  t.same(scheduled.json().scheduledNextTermInstructions, instructions)
  t.match(scheduled.json(), { quantity: 3, termDuration: 'P1M', billingCycle: 'monthly' }, 'nothing changes before renewal')
  const pascal = await patch(sub.id, { ScheduledNextTermInstructions: { Product: { ...instructions.product, BillingCycle: 'annual' }, Quantity: 5 } })
  t.same(pascal.json().scheduledNextTermInstructions, instructions, 'PascalCase (the .NET SDK) and any case of billingCycle')
  t.equal(pascal.json().attributes.etag, scheduled.json().attributes.etag, 'the same instructions again change nothing')

  const renewal = renewalOf(sub)
  await moveClock(new Date(renewal.getTime() + 3_600_000))
  const renewed = await get(sub.id)
  t.match(renewed, {
    quantity: 5, termDuration: 'P1Y', billingCycle: 'annual', offerId: E3_ITEM, scheduledNextTermInstructions: null,
    effectiveStartDate: renewal.toISOString(), commitmentEndDate: endOf(renewal, 12).toISOString()
  })
  const [bought, renewCharge] = await charges(sub.id)
  t.match(renewCharge, { chargeType: 'Renew', quantity: 5, termAndBillingCycle: 'One-Year commitment for annual billing' })
  t.match(bought, { chargeType: 'New', termAndBillingCycle: 'One-Month commitment for monthly billing', billingFrequency: 'Monthly', chargeEndDate: sub.commitmentEndDate },
    'the purchase\'s line keeps its own term after the change')
  t.not(renewCharge!.unitPrice, bought!.unitPrice, 'priced at the new term\'s price')
})

t.test('scheduled changes: a custom term end, removal, and what drops them', async (t) => {
  const sub = await buy(3)
  const renewal = renewalOf(sub)
  const customEnd = new Date(renewal.getTime() + 14 * DAY)
  const product = { ...E3, billingCycle: 'Monthly', termDuration: 'P1M' }
  const custom = await patch(sub.id, { scheduledNextTermInstructions: { product, quantity: 3, customTermEndDate: customEnd.toISOString().slice(0, 10) } })
  t.equal(custom.statusCode, 200, custom.body)
  t.equal(custom.json().scheduledNextTermInstructions.customTermEndDate, customEnd.toISOString())
  t.equal((await patch(sub.id, { scheduledNextTermInstructions: null })).json().scheduledNextTermInstructions, null, 'null removes them')

  await patch(sub.id, { scheduledNextTermInstructions: { product, quantity: 6 } })
  t.equal((await patch(sub.id, { quantity: 4 })).json().scheduledNextTermInstructions, null, 'a mid-term change deletes what was scheduled')
  const read = (await patch(sub.id, { scheduledNextTermInstructions: { product, quantity: 6 } })).json()
  t.equal((await patch(sub.id, { ...read, quantity: 5 })).json().scheduledNextTermInstructions, null, 'also when the PATCH echoes the subscription as read')
  await patch(sub.id, { scheduledNextTermInstructions: { product, quantity: 6 } })
  t.equal((await patch(sub.id, { autoRenewEnabled: false })).json().scheduledNextTermInstructions, null, 'turning auto-renew off drops them')
  await patch(sub.id, { autoRenewEnabled: true, scheduledNextTermInstructions: { product, quantity: 2, customTermEndDate: customEnd.toISOString() } })

  await moveClock(new Date(renewal.getTime() + 3_600_000))
  t.match(await get(sub.id), { quantity: 2, commitmentEndDate: customEnd.toISOString(), scheduledNextTermInstructions: null })
})

t.test('invalid instructions answer 400 in the Partner Center envelope', async (t) => {
  const sub = await buy(3)
  const product = { ...E3, billingCycle: 'Monthly', termDuration: 'P1M' }
  const renewal = renewalOf(sub)
  const cases: Array<[string, unknown, number]> = [
    ['another product', { product: { ...product, productId: 'CFQ7TTC0LFK5' }, quantity: 3 }, 800002],
    ['an unknown SKU', { product: { ...product, skuId: '0099' }, quantity: 3 }, 800004],
    ['an unknown availability', { product: { ...product, availabilityId: 'NOPE' }, quantity: 3 }, 800004],
    ['a term the availability does not sell', { product: { ...product, termDuration: 'P3Y', billingCycle: 'Monthly' }, quantity: 3 }, 800002],
    ['a billing cycle that does not exist', { product: { ...product, billingCycle: 'Weekly' }, quantity: 3 }, 800002],
    ['a quantity above the maximum', { product, quantity: 1_000_000 }, 2002],
    ['a quantity of zero', { product, quantity: 0 }, 0],
    ['no product', { quantity: 3 }, 0],
    ['a custom end that is not a date', { product, quantity: 3, customTermEndDate: 'soon' }, 10017],
    ['a custom end after the next term', { product, quantity: 3, customTermEndDate: endOf(renewal, 2).toISOString() }, 10017],
    ['a custom end before the next term', { product, quantity: 3, customTermEndDate: sub.commitmentEndDate }, 10017],
    ['a string', 'P1Y', 0]
  ]
  for (const [what, instructions, code] of cases) {
    const res = await patch(sub.id, { scheduledNextTermInstructions: instructions })
    t.equal(res.statusCode, 400, what)
    t.match(res.json(), { code: code || Number, description: String, source: 'PartnerFD' }, what)
  }
  await patch(sub.id, { autoRenewEnabled: false })
  t.match((await patch(sub.id, { scheduledNextTermInstructions: { product, quantity: 3 } })).json(), { code: 800002, description: /auto-renew/ }, 'auto-renew off')
  const plan = await buy(1, 'one_time', '', AZURE_PLAN)
  t.match((await patch(plan.id, { scheduledNextTermInstructions: { product, quantity: 3 } })).json(), { code: 800002 }, 'an Azure plan has no next term')
})

t.test('the cancellation window reopens at renewal and closes 7 days later', async (t) => {
  const sub = await buy(5)
  const renewal = renewalOf(sub)
  await moveClock(new Date(renewal.getTime() - DAY))
  t.match((await patch(sub.id, { quantity: 4 })).json(), { code: 900117 }, 'no reduction late in the term')
  t.same((await get(sub.id)).actions, ['Edit'])

  await moveClock(new Date(renewal.getTime() + 2 * DAY))
  const reduced = await patch(sub.id, { quantity: 4 })
  t.equal(reduced.statusCode, 200, `a reduction inside the renewed term's window: ${reduced.body}`)
  t.same(reduced.json().actions, ['Cancel', 'Edit'])

  await moveClock(new Date(renewal.getTime() + 7 * DAY + 60_000))
  t.match((await patch(sub.id, { quantity: 3 })).json(), { code: 900117 }, 'closed again after 7 days (168 hours)')
  t.match((await patch(sub.id, { status: 'deleted' })).json(), { code: 900117 })
  t.same((await charges(sub.id)).map((l) => l.chargeType), ['New', 'Renew', 'RemoveQuantity'])
})

t.test('concurrent reads at term end renew the term once', async (t) => {
  const subs = [await buy(2), await buy(3)]
  await moveClock(new Date(renewalOf(subs[0]!).getTime() + 3_600_000))
  const reads = await Promise.all(Array.from({ length: 8 }, (_, i) => call(app, admin, {
    url: i % 2 ? url(subs[i % 2]!.id) : `/v1/customers/${contoso}/subscriptions`
  })))
  t.ok(reads.every((r) => r.statusCode === 200), 'every read answers')
  for (const sub of subs) t.same((await charges(sub.id)).map((l) => l.chargeType), ['New', 'Renew'], 'one renewal each')
})
