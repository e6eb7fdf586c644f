// The throttling rules without the app: which limit a route falls under, what its counter is keyed by,
// and the in-process fixed window (on a fake clock: no waiting, no timing).
import t from 'tap'
import { memoryCounters } from '../../src/throttling/counters.js'
import { counterKey, documentedLimits, LimitTable } from '../../src/throttling/limits.js'

const orders = { operation: 'listOrders', url: '/v1/customers/:customerId/orders' }
const partner = 'AAAA0000-0000-0000-0000-000000000001'
const customer = 'BBBB0000-0000-0000-0000-000000000002'

t.test('a limit set through the control plane wins over a documented one, however either names the route', async (t) => {
  const table = new LimitTable(documentedLimits(500, 60))
  t.match(table.match(orders), { operation: 'listOrders', requests: 500 })
  table.setOverrides([{ pathPattern: '/v1/customers/{id}/orders/', requests: 1, windowSeconds: 5 }])
  t.match(table.match(orders), { pathPattern: '/v1/customers/{id}/orders/', requests: 1 })
  t.equal(table.match({ operation: 'getCustomer', url: '/v1/customers/:customerId' })?.requests, 500)
  t.equal(table.match({ operation: 'listInvoices', url: '/v1/invoices' }), undefined, 'what the guidance does not list is not throttled')
  table.setOverrides([])
  t.equal(table.match(orders)?.requests, 500)
  t.equal(new LimitTable([]).match(orders), undefined)
})

t.test('counters are keyed by the limit, the partner and, per customer, the customer, whatever their case', async (t) => {
  const limit = { operation: 'listOrders', requests: 1, windowSeconds: 60 }
  t.equal(counterKey(limit, orders, partner, customer), counterKey(limit, orders, partner.toLowerCase(), customer.toLowerCase()))
  t.not(counterKey(limit, orders, partner, customer), counterKey(limit, orders, partner, partner))
  t.equal(counterKey({ ...limit, scope: 'partner' }, orders, partner, customer), counterKey({ ...limit, scope: 'partner' }, orders, partner, partner))
  t.not(counterKey(limit, orders, partner, customer), counterKey({ ...limit, operation: 'getOrder' }, orders, partner, customer))
  t.equal(counterKey(limit, { operation: 'x', url: '/v1/invoices' }, partner, undefined), `listOrders:${partner.toLowerCase()}`)
})

t.test('a fixed window counts every request and closes windowMs after its first', async (t) => {
  let now = 1_000_000
  const counters = memoryCounters(() => now)
  t.same(await counters.hit('k', 1000), { count: 1, resetMs: 1000 })
  now += 400
  t.same(await counters.hit('k', 1000), { count: 2, resetMs: 600 })
  t.same(await counters.hit('other', 1000), { count: 1, resetMs: 1000 })
  now += 600
  t.same(await counters.hit('k', 1000), { count: 1, resetMs: 1000 }, 'a new window')
  await counters.clear()
  t.same(await counters.hit('other', 1000), { count: 1, resetMs: 1000 })
})
