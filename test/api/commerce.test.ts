// Transactions through the HTTP API alone: agreement, cart, checkout, orders, subscriptions, and
// MS-RequestId idempotency (sequential, concurrent, and across two instances on PostgreSQL).
// Subtests share one app and its database (the cancellation-window and two-instance ones build their
// own); each accepts the agreement and buys what it uses. Scenario: the first counts Contoso's agreements
// from none, so it stays before 'an Azure reservation…', which accepts one for Contoso again; 'rules'
// needs Wingtip without one, so no other subtest accepts one for Wingtip.
import t from 'tap'
import { sweepIdempotencyRecords } from '../../src/idempotency/plugin.js'
import { build, call, mint, OTHER_PARTNER, PARTNER, TEST_DATABASE_URL, userToken, USERS, freshDatabaseUrl } from '../helper.js'

const app = await build(t)
const [contoso, northwind, tailspin, wingtip] = PARTNER.customers
const E3 = 'CFQ7TTC0LFLX:0001:CFQ7TTC0LFLY'
const WINDOWS_SERVER = 'DG7GMGF0FKZV:0001:DG7GMGF0FKZW'
const admin = await userToken(app, USERS.adminAgent)
const agreement = { primaryContact: { firstName: 'Ann', lastName: 'Lee', email: 'ann@example.com' }, templateId: '117a1a3b-b1b6-4a4b-8d7c-0f0f2b8d8d5e', dateAgreed: '2026-11-01T00:00:00Z', type: 'MicrosoftCustomerAgreement' }
const e3Line = (quantity = 5) => ({ id: 0, catalogItemId: E3, quantity, billingCycle: 'annual', termDuration: 'P1Y', friendlyName: 'E3 for sales' })
const accept = (customerId: string, headers: Record<string, string> = {}) => call(app, admin, { method: 'POST', url: `/v1/customers/${customerId}/agreements`, payload: agreement, headers })
const newCart = (customerId: string, lineItems: unknown[], headers: Record<string, string> = {}) =>
  call(app, admin, { method: 'POST', url: `/v1/customers/${customerId}/carts`, payload: { lineItems }, headers })
const checkout = (customerId: string, cartId: string, headers: Record<string, string> = {}) =>
  call(app, admin, { method: 'POST', url: `/v1/customers/${customerId}/carts/${cartId}/checkout`, headers })

t.test('find a product, accept the agreement, buy it in a cart, see the order and the subscription, change and cancel it', async (t) => {
  // Before 'an Azure reservation…': Contoso's agreement accepted here is its only one.
  const availability = (await call(app, admin, { url: '/v1/customers/' + contoso!.id + '/products/CFQ7TTC0LFLX/skus/0001/availabilities' })).json().items[0]
  t.equal(availability.catalogItemId, E3)

  const metadata = (await call(app, admin, { url: '/v1/agreements?agreementType=MicrosoftCustomerAgreement' })).json().items[0]
  t.match(metadata, { agreementType: 'MicrosoftCustomerAgreement', templateId: agreement.templateId })
  for (const dateAgreed of ['2026-11-31', 'yesterday']) {
    t.equal((await call(app, admin, { method: 'POST', url: `/v1/customers/${contoso!.id}/agreements`, payload: { ...agreement, dateAgreed } })).statusCode, 400, `dateAgreed ${dateAgreed}`)
  }
  const accepted = await accept(contoso!.id)
  t.equal(accepted.statusCode, 201, accepted.body)
  t.match(accepted.json(), { type: 'MicrosoftCustomerAgreement', userId: USERS.adminAgent.id, attributes: { objectType: 'Agreement' } })
  t.equal((await call(app, admin, { url: `/v1/customers/${contoso!.id}/agreements` })).json().totalCount, 1)

  const cart = await newCart(contoso!.id, [e3Line(5), { id: 1, catalogItemId: WINDOWS_SERVER, quantity: 2, billingCycle: 'one_time' }])
  t.equal(cart.statusCode, 201, cart.body)
  const c = cart.json()
  t.match(c, { status: 'Active', lastModifiedUser: USERS.adminAgent.id, attributes: { objectType: 'Cart' } })
  t.same(c.lineItems.map((l: { orderGroup: string, currencyCode: string }) => [l.orderGroup, l.currencyCode]), [['0', 'USD'], ['1', 'USD']])
  t.equal(Date.parse(c.expirationTimestamp) - Date.parse(c.creationTimestamp), 7 * 86_400_000)

  const updated = await call(app, admin, { method: 'PUT', url: `/v1/customers/${contoso!.id}/carts/${c.id}`, payload: { lineItems: [e3Line(10), { id: 1, catalogItemId: WINDOWS_SERVER, quantity: 2, billingCycle: 'one_time' }] } })
  t.equal(updated.statusCode, 201)
  t.equal(updated.json().lineItems[0].quantity, 10)

  const done = await checkout(contoso!.id, c.id)
  t.equal(done.statusCode, 201, done.body)
  const result = done.json()
  t.equal(result.orders.length, 2, 'one order per order group')
  t.same(result.orderErrors, [])
  const e3Order = result.orders.find((o: { billingCycle: string }) => o.billingCycle === 'annual')
  t.match(e3Order, { status: 'completed', currencyCode: 'USD', lineItems: [{ offerId: E3, quantity: 10, transactionType: 'New' }] })
  t.notOk('totalPrice' in e3Order || 'pricing' in e3Order.lineItems[0], 'no prices unless asked for')
  const priced = (await call(app, admin, { url: `/v1/customers/${contoso!.id}/orders/${e3Order.id}?include_price=true` })).json()
  t.match(priced, { totalPrice: 4320, lineItems: [{ pricing: { listPrice: 432, discountedPrice: 432, price: 432, extendedPrice: 4320 } }] }, 'numbers, with include_price')
  const listed = (await call(app, admin, { url: `/v1/customers/${contoso!.id}/orders?include_price=true` })).json()
  t.equal(listed.items.find((o: { id: string }) => o.id === e3Order.id).totalPrice, 4320)
  t.equal((await checkout(contoso!.id, c.id)).json().code, 800065, 'checkout twice')
  t.equal((await call(app, admin, { url: `/v1/customers/${contoso!.id}/carts/${c.id}` })).json().status, 'Ordered')

  const orders = (await call(app, admin, { url: `/v1/customers/${contoso!.id}/orders` })).json()
  t.ok(orders.totalCount >= 2)
  const oneTime = (await call(app, admin, { url: `/v1/customers/${contoso!.id}/orders?billingType=onetime` })).json()
  t.ok(oneTime.items.every((o: { billingCycle: string }) => o.billingCycle === 'one_time'))
  const order = (await call(app, admin, { url: `/v1/customers/${contoso!.id}/orders/${e3Order.id}` })).json()
  t.equal(order.id, e3Order.id)
  const provisioning = (await call(app, admin, { url: `/v1/customers/${contoso!.id}/orders/${e3Order.id}/provisioningstatus` })).json()
  t.match(provisioning.items, [{ lineItemNumber: 0, status: 'Fulfilled' }])

  const subs = (await call(app, admin, { url: `/v1/customers/${contoso!.id}/subscriptions?order_id=${e3Order.id}` })).json()
  t.equal(subs.totalCount, 1)
  const sub = subs.items[0]
  t.match(sub, { offerId: E3, quantity: 10, status: 'active', autoRenewEnabled: true, billingCycle: 'annual', termDuration: 'P1Y', friendlyName: 'E3 for sales', actions: ['Cancel', 'Edit'], attributes: { etag: /./, objectType: 'Subscription' } })
  // Term dates are days (midnight UTC), creationDate keeps its time (SessionRecords/GetCustomerSubscription.json).
  t.equal(sub.effectiveStartDate, `${sub.creationDate.slice(0, 10)}T00:00:00.000Z`)
  t.match(sub.commitmentEndDate, /T00:00:00\.000Z$/)
  const url = `/v1/customers/${contoso!.id}/subscriptions/${sub.id}`

  const more = await call(app, admin, { method: 'PATCH', url, headers: { 'if-match': sub.attributes.etag }, payload: { ...sub, quantity: 12, friendlyName: 'E3 (sales)' } })
  t.equal(more.statusCode, 200, more.body)
  t.match(more.json(), { quantity: 12, friendlyName: 'E3 (sales)' })
  const stale = await call(app, admin, { method: 'PATCH', url, headers: { 'if-match': sub.attributes.etag }, payload: { quantity: 13 } })
  t.match([stale.statusCode, stale.json().code], [400, 2055], 'a stale ETag: 400, which the SDK does not retry')
  t.match((await call(app, admin, { method: 'PATCH', url, payload: { quantity: 301 } })).json(), { code: 2002 })
  t.match((await call(app, admin, { method: 'PATCH', url, payload: { billingCycle: 'monthly' } })).json(), { code: 2054 })
  t.equal((await call(app, admin, { method: 'PATCH', url, payload: { status: 'suspended' } })).json().status, 'suspended')
  t.match((await call(app, admin, { method: 'PATCH', url, payload: { quantity: 11 } })).json(), { code: 800091 })
  t.equal((await call(app, admin, { method: 'PATCH', url, payload: { status: 'active' } })).json().status, 'active')
  t.equal((await call(app, admin, { method: 'PATCH', url, payload: { autoRenewEnabled: false } })).json().autoRenewEnabled, false)
  const cancelled = await call(app, admin, { method: 'PATCH', url, payload: { status: 'deleted' } })
  t.match(cancelled.json(), { status: 'deleted', actions: [], cancellationAllowedUntilDate: null })
  t.match((await call(app, admin, { method: 'PATCH', url, payload: { quantity: 3 } })).json(), { code: 2011 })
})

t.test('the cancellation window is on the clock; orders cancel inside it', async (t) => {
  const local = await build(t)
  const token = await userToken(local, USERS.adminAgent)
  await call(local, token, { method: 'POST', url: `/v1/customers/${northwind!.id}/agreements`, payload: agreement })
  const cart = (await call(local, token, { method: 'POST', url: `/v1/customers/${northwind!.id}/carts`, payload: { lineItems: [e3Line(3)] } })).json()
  const order = (await call(local, token, { method: 'POST', url: `/v1/customers/${northwind!.id}/carts/${cart.id}/checkout` })).json().orders[0]
  const sub = (await call(local, token, { url: `/v1/customers/${northwind!.id}/subscriptions?order_id=${order.id}` })).json().items[0]
  await local.inject({ method: 'PUT', url: '/_emulator/clock', payload: { advanceSeconds: 8 * 86_400 } })
  const late = await call(local, token, { method: 'PATCH', url: `/v1/customers/${northwind!.id}/subscriptions/${sub.id}`, payload: { status: 'deleted' } })
  t.match({ status: late.statusCode, body: late.json() }, { status: 400, body: { code: 900117 } })
  t.match((await call(local, token, { method: 'PATCH', url: `/v1/customers/${northwind!.id}/subscriptions/${sub.id}`, payload: { quantity: 2 } })).json(), { code: 900117 }, 'no reduction after the window')
  const increased = await call(local, token, { method: 'PATCH', url: `/v1/customers/${northwind!.id}/subscriptions/${sub.id}`, payload: { quantity: 4 } })
  t.equal(increased.statusCode, 200, 'increases are fine')
  t.same(increased.json().actions, ['Edit'], 'Cancel drops out with the window')
  t.equal((await call(local, token, { method: 'PATCH', url: `/v1/customers/${northwind!.id}/orders/${order.id}`, payload: { status: 'cancelled' } })).statusCode, 400)

  const cart2 = (await call(local, token, { method: 'POST', url: `/v1/customers/${northwind!.id}/carts`, payload: { lineItems: [{ catalogItemId: WINDOWS_SERVER, quantity: 1, billingCycle: 'one_time' }] } })).json()
  const order2 = (await call(local, token, { method: 'POST', url: `/v1/customers/${northwind!.id}/carts/${cart2.id}/checkout` })).json().orders[0]
  const cancelled = await call(local, token, { method: 'PATCH', url: `/v1/customers/${northwind!.id}/orders/${order2.id}`, payload: { status: 'cancelled' } })
  t.equal(cancelled.json().status, 'cancelled')

  const stale = (await call(local, token, { method: 'POST', url: `/v1/customers/${northwind!.id}/carts`, payload: { lineItems: [e3Line(1)] } })).json()
  await local.inject({ method: 'PUT', url: '/_emulator/clock', payload: { advanceSeconds: 7 * 86_400 + 1 } })
  const expired = await call(local, token, { method: 'POST', url: `/v1/customers/${northwind!.id}/carts/${stale.id}/checkout` })
  t.match({ status: expired.statusCode, body: expired.json() }, { status: 404, body: { code: 800008, description: /expired/ } })
})

t.test('rules: the agreement before new commerce (13605), bad lines, another partner\'s customer, roles', async (t) => {
  // Wingtip has no agreement yet: no other subtest accepts one for it.
  const cart = (await newCart(wingtip!.id, [e3Line(1)])).json()
  const refused = await checkout(wingtip!.id, cart.id)
  t.match({ status: refused.statusCode, body: refused.json() }, { status: 403, body: { code: 13605 } })
  t.equal((await call(app, admin, { url: `/v1/customers/${wingtip!.id}/carts/${cart.id}` })).json().status, 'Active', 'a failed checkout gives the cart back')
  const dotnet = await call(app, admin, { method: 'POST', url: `/v1/customers/${wingtip!.id}/agreements`, payload: { ...agreement, dateAgreed: '2026-11-01T00:00:00.0000000' } })
  t.equal(dotnet.statusCode, 201, 'a .NET DateTime without an offset is UTC')
  t.equal(dotnet.json().dateAgreed, '2026-11-01T00:00:00.000Z')
  t.equal((await call(app, admin, { method: 'POST', url: `/v1/customers/${wingtip!.id}/agreements`, payload: { ...agreement, dateAgreed: '2026-11-02' } })).json().dateAgreed, '2026-11-02T00:00:00.000Z', 'a date alone')
  t.equal((await checkout(wingtip!.id, cart.id)).statusCode, 201, 'then it goes through')

  // Lines the catalog refuses keep a CartError; the cart is written, checkout refuses their order group.
  const bad = await newCart(wingtip!.id, [
    { catalogItemId: 'NOPE:0001', quantity: 1, billingCycle: 'monthly' },
    { catalogItemId: E3, quantity: 1, billingCycle: 'one_time' },
    e3Line(301),
    { ...e3Line(1), promotionId: 'NOT-A-PROMOTION' }
  ])
  t.equal(bad.statusCode, 201, bad.body)
  t.same(bad.json().lineItems.map((l: { error?: { errorCode: number } }) => l.error?.errorCode), [10001, 10010, 10015, 10014])
  const refusedAll = await checkout(wingtip!.id, bad.json().id)
  t.match({ status: refusedAll.statusCode, body: refusedAll.json() }, { status: 400, body: { code: 800009, data: [{ code: 800009, description: /10001/ }] } })
  t.equal((await call(app, admin, { url: `/v1/customers/${wingtip!.id}/carts/${bad.json().id}` })).json().status, 'Active')

  const promotion = (await call(app, admin, { url: '/v1/productpromotions?country=DE&segment=commercial' })).json().items[0].id
  const mixed = (await newCart(wingtip!.id, [
    { catalogItemId: WINDOWS_SERVER, quantity: 1, billingCycle: 'one_time' },
    { ...e3Line(2), promotionId: promotion },
    { catalogItemId: 'DZH318Z0BQ5P:00C9:DZH318Z0BQ5R', quantity: 1, billingCycle: 'one_time', termDuration: 'P1Y' }
  ])).json()
  t.same(mixed.lineItems.map((l: { orderGroup: string, error?: { errorCode: number } }) => [l.orderGroup, l.error?.errorCode]), [['0', undefined], ['1', undefined], ['0', 10011]],
    'a reservation needs an Azure plan subscription')
  const partial = await checkout(wingtip!.id, mixed.id)
  t.equal(partial.statusCode, 201, partial.body)
  t.equal(partial.json().orders.length, 1, 'the annual group is bought')
  t.match(partial.json().orderErrors, [{ orderGroupId: '0', code: 800009, description: /10011/ }])
  t.equal((await call(app, admin, { method: 'POST', url: `/v1/customers/${wingtip!.id}/orders`, payload: { billingCycle: 'monthly', lineItems: [{ offerId: 'NOPE:0001', quantity: 1 }] } })).json().code, 800004, 'orders refuse an unknown offer outright')
  const noCycle = await call(app, admin, { method: 'POST', url: `/v1/customers/${wingtip!.id}/orders`, payload: { lineItems: [{ offerId: WINDOWS_SERVER, quantity: 1 }] } })
  t.equal(noCycle.statusCode, 400, 'billingCycle defaults to monthly, which a one-time offer refuses')
  t.match(noCycle.json().description, /monthly/)
  const missingOrder = await call(app, admin, { url: `/v1/customers/${wingtip!.id}/orders/000000000000` })
  t.match({ status: missingOrder.statusCode, body: missingOrder.json() }, { status: 404, body: { code: 20000 } })
  t.equal((await call(app, admin, { url: `/v1/customers/${wingtip!.id}/subscriptions/${crypto.randomUUID()}` })).json().code, 20003)
  t.equal((await newCart(OTHER_PARTNER.customers[0]!.id, [e3Line(1)])).statusCode, 404)
  t.equal((await call(app, await userToken(app, USERS.helpdeskAgent), { method: 'POST', url: `/v1/customers/${wingtip!.id}/carts`, payload: { lineItems: [e3Line(1)] } })).statusCode, 403, 'Helpdesk agents read but do not buy')
  t.equal((await call(app, await userToken(app, USERS.helpdeskAgent), { url: `/v1/customers/${wingtip!.id}/subscriptions` })).statusCode, 200)
  t.equal((await call(app, await mint(app), { url: `/v1/customers/${wingtip!.id}/subscriptions` })).statusCode, 200, 'APP+AU: app-only works')

  // The policies of the reference pages' Prerequisites (docs/api-coverage.md).
  const appOnly = await mint(app)
  for (const url of ['/v1/agreements', `/v1/customers/${wingtip!.id}/agreements`]) {
    t.equal((await call(app, appOnly, { url })).statusCode, 403, `${url}: App+User only`)
  }
  t.equal((await call(app, appOnly, { method: 'POST', url: `/v1/customers/${wingtip!.id}/agreements`, payload: agreement })).statusCode, 403, 'an app-only token cannot accept the agreement, so cannot buy new commerce')
  const order = partial.json().orders[0]
  const provisioning = `/v1/customers/${wingtip!.id}/orders/${order.id}/provisioningstatus`
  t.equal((await call(app, admin, { url: provisioning })).statusCode, 200)
  t.equal((await call(app, appOnly, { url: provisioning })).statusCode, 403, 'provisioning status: App+User only')
  t.equal((await call(app, await userToken(app, USERS.salesAgent), { url: provisioning })).statusCode, 403, 'provisioning status: Admin agent only')
  t.equal((await call(app, await userToken(app, USERS.globalAdmin), { url: '/v1/productpromotions?country=DE&segment=commercial' })).statusCode, 403, 'promotions: Admin agent only')
})

t.test('MS-RequestId: a retry replays the first answer and creates nothing new, also concurrently', async (t) => {
  const requestId = crypto.randomUUID()
  const first = await newCart(tailspin!.id, [{ catalogItemId: WINDOWS_SERVER, quantity: 1, billingCycle: 'one_time' }], { 'ms-requestid': requestId })
  const retry = await newCart(tailspin!.id, [{ catalogItemId: WINDOWS_SERVER, quantity: 1, billingCycle: 'one_time' }], { 'ms-requestid': requestId })
  t.equal(retry.statusCode, 201)
  t.equal(retry.json().id, first.json().id, 'the same cart')

  const concurrentId = crypto.randomUUID()
  const answers = await Promise.all(Array.from({ length: 5 }, () => newCart(tailspin!.id, [{ catalogItemId: WINDOWS_SERVER, quantity: 2, billingCycle: 'one_time' }], { 'ms-requestid': concurrentId })))
  t.same([...new Set(answers.map((a) => a.statusCode))], [201])
  t.equal(new Set(answers.map((a) => a.json().id)).size, 1, 'five concurrent retries, one cart')

  const cartId = first.json().id
  const checkoutId = crypto.randomUUID()
  const checkouts = await Promise.all(Array.from({ length: 4 }, () => checkout(tailspin!.id, cartId, { 'ms-requestid': checkoutId })))
  t.same([...new Set(checkouts.map((a) => a.statusCode))], [201], 'retries of one checkout all see its result')
  t.equal(new Set(checkouts.map((a) => a.body)).size, 1)
  const orders = (await call(app, admin, { url: `/v1/customers/${tailspin!.id}/orders` })).json().items.filter((o: { id: string }) => o.id === checkouts[0]!.json().orders[0].id)
  t.equal(orders.length, 1)

  const other = await checkout(tailspin!.id, cartId, { 'ms-requestid': crypto.randomUUID() })
  t.equal(other.json().code, 800065, 'a different request id is a new request')
  const errorRetry = await checkout(tailspin!.id, cartId, { 'ms-requestid': checkoutId })
  t.equal(errorRetry.statusCode, 201, 'still the first answer')
})

t.test('concurrent checkouts of one cart: one order, the others 409 (800064) or 400 (800065)', async (t) => {
  await accept(tailspin!.id)
  const cart = (await newCart(tailspin!.id, [e3Line(2)])).json()
  const results = await Promise.all(Array.from({ length: 4 }, () => checkout(tailspin!.id, cart.id)))
  t.equal(results.filter((r) => r.statusCode === 201).length, 1)
  for (const r of results.filter((x) => x.statusCode !== 201)) t.ok([800064, 800065].includes(r.json().code), r.body)
})

t.test('idempotency records are kept 24 hours', async (t) => {
  const row = (id: string, hoursAgo: number) => ({ partner_tenant_id: PARTNER.id, request_id: id, method: 'POST', path: '/v1/x', claimed_at: new Date(Date.now() - hoursAgo * 3_600_000), status_code: 201, body: '{}' })
  await app.db.insertInto('idempotent_requests').values([row('sweep-old', 25), row('sweep-new', 23)]).execute()
  await sweepIdempotencyRecords(app.db, new Date())
  const left = await app.db.selectFrom('idempotent_requests').select('request_id').where('request_id', 'like', 'sweep-%').execute()
  t.same(left.map((r) => r.request_id), ['sweep-new'])
})

t.test('a checkout while another one holds the cart is 409 (800064)', async (t) => {
  const cart = (await newCart(tailspin!.id, [{ catalogItemId: WINDOWS_SERVER, quantity: 1, billingCycle: 'one_time' }])).json()
  // What a checkout in flight looks like from another request: the cart is taken.
  await app.db.updateTable('carts').set({ status: 'CheckingOut' as 'Active' }).where('id', '=', cart.id).execute()
  const busy = await checkout(tailspin!.id, cart.id)
  t.match({ status: busy.statusCode, body: busy.json() }, { status: 409, body: { code: 800064 } })
})

t.test('two instances on one PostgreSQL database share idempotency', { skip: TEST_DATABASE_URL ? false : 'PostgreSQL only (PGlite is one process)' }, async (t) => {
  const url = await freshDatabaseUrl(t)
  const one = await build(t, { DATABASE_URL: url })
  const two = await build(t, { DATABASE_URL: url })
  const token = await userToken(one, USERS.adminAgent)
  const requestId = crypto.randomUUID()
  const payload = { lineItems: [{ catalogItemId: WINDOWS_SERVER, quantity: 1, billingCycle: 'one_time' }] }
  const [a, b] = await Promise.all([one, two].map((instance) => call(instance, token, { method: 'POST', url: `/v1/customers/${contoso!.id}/carts`, payload, headers: { 'ms-requestid': requestId } })))
  t.equal(a!.statusCode, 201)
  t.equal(a!.body, b!.body, 'the same answer from both instances')
})

t.test('an Azure reservation is bought for an Azure plan subscription', async (t) => {
  await accept(contoso!.id)
  const plan = (await call(app, admin, { method: 'POST', url: `/v1/customers/${contoso!.id}/orders`, payload: { billingCycle: 'one_time', lineItems: [{ offerId: 'DZH318Z0BQ3Q:0001:DZH318Z0BXWC', quantity: 1 }] } })).json()
  const planId = plan.lineItems[0].subscriptionId
  const cart = (await newCart(contoso!.id, [{ catalogItemId: 'DZH318Z0BQ5P:00C9:DZH318Z0BQ5R', quantity: 2, billingCycle: 'one_time', termDuration: 'P1Y', provisioningContext: { subscriptionId: planId, scope: 'shared', duration: 'P1Y' } }])).json()
  t.notOk(cart.lineItems[0].error)
  const bought = await checkout(contoso!.id, cart.id)
  t.equal(bought.statusCode, 201, bought.body)
  const reservation = bought.json().orders[0]
  t.match(reservation.lineItems[0], { offerId: 'DZH318Z0BQ5P:00C9:DZH318Z0BQ5R', quantity: 2 })
  t.match((await call(app, admin, { url: `/v1/customers/${contoso!.id}/orders/${reservation.id}?include_price=true` })).json().lineItems[0], { pricing: { listPrice: 616 } })

  const suspend = await call(app, admin, { method: 'PATCH', url: `/v1/customers/${contoso!.id}/subscriptions/${planId}`, payload: { status: 'suspended' } })
  t.equal(suspend.statusCode, 202, 'suspending Azure is a slow change')
  t.equal(suspend.headers.location, `/customers/${contoso!.id}/subscriptions/${planId}`)
  t.ok(suspend.headers['retry-after'])
  t.equal((await call(app, admin, { url: `/v1${suspend.headers.location}` })).json().status, 'suspended')
})

t.test('add-ons onto a base subscription; subscriptions by indirect reseller', async (t) => {
  const TEAMS_PHONE = 'CFQ7TTC0MM8R:0001:CFQ7TTC0MM8S'
  await accept(tailspin!.id)
  const base = (await call(app, admin, { method: 'POST', url: `/v1/customers/${tailspin!.id}/orders`, payload: { billingCycle: 'monthly', lineItems: [{ offerId: E3, quantity: 4, termDuration: 'P1M', partnerIdOnRecord: '4847383' }] } }))
  t.equal(base.statusCode, 201, base.body)
  const baseSub = (await call(app, admin, { url: `/v1/customers/${tailspin!.id}/subscriptions?order_id=${base.json().id}` })).json().items[0]
  t.equal(baseSub.partnerId, '4847383')
  const lines = (await call(app, admin, { url: '/v1/invoices/unbilled/lineitems?provider=onetime&invoicelineitemtype=billinglineitems&currencycode=GBP&period=current' })).json()
  t.equal(lines.items.find((i: { subscriptionId: string }) => i.subscriptionId === baseSub.id).resellerMpnId, 4847383, 'the reseller\'s MPN id as a number on its line items')
  t.same((await call(app, admin, { url: `/v1/customers/${tailspin!.id}/subscriptions?mpn_id=4847383` })).json().items.map((s: { id: string }) => s.id), [baseSub.id])

  const alone = await call(app, admin, { method: 'POST', url: `/v1/customers/${tailspin!.id}/carts`, payload: { lineItems: [{ catalogItemId: TEAMS_PHONE, quantity: 1, billingCycle: 'monthly', termDuration: 'P1M' }] } })
  t.match(alone.json().lineItems[0].error, { errorCode: 10010, errorDescription: /is an add-on/ })
  const addon = await call(app, admin, { method: 'POST', url: `/v1/customers/${tailspin!.id}/orders`, payload: { billingCycle: 'monthly', lineItems: [{ offerId: TEAMS_PHONE, quantity: 2, termDuration: 'P1M', parentSubscriptionId: baseSub.id }] } })
  t.equal(addon.statusCode, 201, addon.body)
  const addons = (await call(app, admin, { url: `/v1/customers/${tailspin!.id}/subscriptions/${baseSub.id}/addons` })).json()
  t.match(addons.items, [{ offerId: TEAMS_PHONE, parentSubscriptionId: baseSub.id, quantity: 2 }])
  // A subscription of another product as the wrong base, bought here.
  const other = await call(app, admin, { method: 'POST', url: `/v1/customers/${tailspin!.id}/orders`, payload: { billingCycle: 'one_time', lineItems: [{ offerId: WINDOWS_SERVER, quantity: 1 }] } })
  if (other.statusCode !== 201) throw new Error(other.body)
  const wrongBase = (await call(app, admin, { url: `/v1/customers/${tailspin!.id}/subscriptions/${other.json().lineItems[0].subscriptionId}` })).json()
  const refused = await call(app, admin, { method: 'POST', url: `/v1/customers/${tailspin!.id}/orders`, payload: { billingCycle: 'monthly', lineItems: [{ offerId: TEAMS_PHONE, quantity: 1, termDuration: 'P1M', parentSubscriptionId: wrongBase.id }] } })
  t.match(refused.json(), { description: /add-on of CFQ7TTC0LFLX:0001/ })
})
