// The control plane's reset and clock: everything a test harness changed goes, the demo comes back.
// Subtests share one app and its database; each sets up the clock and the state it checks, and the reset
// puts both back as they were, so either order passes.
import t from 'tap'
import { build, call, PARTNER, userToken, USERS } from '../helper.js'

const app = await build(t)
const [contoso] = PARTNER.customers
const admin = await userToken(app, USERS.adminAgent)

t.test('the clock moves forward only, by a date or by seconds', async (t) => {
  const before = (await app.inject({ url: '/_emulator/clock' })).json()
  t.ok(Math.abs(before.offsetSeconds) <= 1)
  const moved = (await app.inject({ method: 'PUT', url: '/_emulator/clock', payload: { advanceSeconds: 3600 } })).json()
  t.ok(moved.offsetSeconds >= 3599 && moved.offsetSeconds <= 3601)
  const past = (await app.inject({ method: 'PUT', url: '/_emulator/clock', payload: { now: '2001-01-01T00:00:00Z' } })).json()
  t.ok(Math.abs(past.offsetSeconds) <= 1, 'never behind real time')
  t.equal((await app.inject({ method: 'PUT', url: '/_emulator/clock', payload: {} })).statusCode, 400)
  t.equal((await app.inject({ method: 'PUT', url: '/_emulator/clock', payload: { now: '2030-01-01T00:00:00Z', advanceSeconds: 1 } })).statusCode, 400)
})

t.test('reset erases purchases, invoices, users and GDAP changes and loads the demo again', async (t) => {
  await call(app, admin, {
    method: 'POST', url: `/v1/customers/${contoso!.id}/agreements`,
    payload: { primaryContact: { firstName: 'A', lastName: 'B', email: 'a@b.example' }, templateId: '117a1a3b-b1b6-4a4b-8d7c-0f0f2b8d8d5e', dateAgreed: '2026-11-01T00:00:00Z', type: 'MicrosoftCustomerAgreement' }
  })
  const order = await call(app, admin, { method: 'POST', url: `/v1/customers/${contoso!.id}/orders`, payload: { billingCycle: 'one_time', lineItems: [{ offerId: 'DZH318Z0BQ3Q:0001:DZH318Z0BXWC', quantity: 1 }] } })
  t.equal(order.statusCode, 201)
  await app.inject({ method: 'PUT', url: '/_emulator/clock', payload: { advanceSeconds: 2 * 86_400 } })
  t.equal((await app.inject({ method: 'POST', url: '/_emulator/billing/close', payload: { tenantId: PARTNER.id } })).statusCode, 200)

  const reset = await app.inject({ method: 'POST', url: '/_emulator/reset' })
  t.equal(reset.statusCode, 200, reset.body)
  t.equal((await call(app, admin, { url: `/v1/customers/${contoso!.id}/orders` })).json().totalCount, 0)
  t.equal((await call(app, await userToken(app, USERS.billingAdmin), { url: '/v1/invoices' })).json().totalCount, 0)
  t.equal((await call(app, admin, { url: '/v1/customers' })).json().totalCount, PARTNER.customers.length)
  t.ok(Math.abs((await app.inject({ url: '/_emulator/clock' })).json().offsetSeconds) <= 1, 'the clock is back to real time')
  t.equal((await call(app, admin, { url: `/v1/customers/${contoso!.id}/users` })).statusCode, 200, 'the demo GDAP access is back')
})
