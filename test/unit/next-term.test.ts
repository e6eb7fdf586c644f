// A subscription's next term (src/commerce/next-term.ts): what scheduling accepts, and what a renewal
// turns the subscription into. The seed catalog has no license-based product with two SKUs, so the SKU
// change at renewal is checked here on a stored instruction (the reserved VM's two SKUs).
import t from 'tap'
import { market } from '../../src/catalog/catalog.js'
import { nextTermOf, nextTermStart, scheduleNextTerm, termEnd } from '../../src/commerce/next-term.js'
import type { SubscriptionRow } from '../../src/db/schema.js'

const US = market('US')!
const E3 = { productId: 'CFQ7TTC0LFLX', skuId: '0001', availabilityId: 'CFQ7TTC0LFLY' }
const row = (over: Partial<SubscriptionRow> = {}): SubscriptionRow => ({
  id: crypto.randomUUID(), partner_tenant_id: crypto.randomUUID(), customer_id: crypto.randomUUID(), order_id: 'abc', parent_subscription_id: null,
  reseller_mpn_id: null, catalog_item_id: `${E3.productId}:${E3.skuId}:${E3.availabilityId}`, offer_name: 'Microsoft 365 E3', friendly_name: 'E3',
  product_type: { id: 'OnlineServices' }, quantity: 3, minimum_quantity: 1, maximum_quantity: 300, unit_type: 'Licenses', billing_type: 'license',
  billing_cycle: 'monthly', term_duration: 'P1M', unit_price_minor: '3960', currency_code: 'USD', status: 'active', auto_renew_enabled: true,
  is_trial: false, created_at: new Date('2027-01-15T10:00:00Z'), commitment_end_at: new Date('2027-02-14T10:00:00Z'), cancellation_allowed_until: null,
  suspended_at: null, version: 1, support_contact: null, registration_status: null, activated_at: null, scheduled_next_term: null, term_number: 1,
  term_started_at: null, ...over
})

t.test('terms: the next starts the day after the last day, 00:00 UTC, and ends the day before the same date', async (t) => {
  t.equal(nextTermStart(new Date('2027-02-14T10:00:00Z')).toISOString(), '2027-02-15T00:00:00.000Z')
  t.equal(termEnd(new Date('2027-02-15T00:00:00Z'), 'P1M').toISOString(), '2027-03-14T00:00:00.000Z')
  t.equal(termEnd(new Date('2027-02-15T00:00:00Z'), 'P1Y').toISOString(), '2028-02-14T00:00:00.000Z')
  t.equal(termEnd(new Date('2027-02-15T00:00:00Z'), 'P3Y').toISOString(), '2030-02-14T00:00:00.000Z')
})

t.test('terms from a day later months lack end on those months\' last days, and do not drift', async (t) => {
  t.equal(termEnd(new Date('2027-01-31T00:00:00Z'), 'P1M').toISOString(), '2027-02-27T00:00:00.000Z', 'to 28 February, its day before')
  t.equal(termEnd(new Date('2028-01-31T00:00:00Z'), 'P1M').toISOString(), '2028-02-28T00:00:00.000Z', 'a leap year')
  t.equal(termEnd(new Date('2027-03-31T00:00:00Z'), 'P1M').toISOString(), '2027-04-29T00:00:00.000Z')
  t.equal(termEnd(new Date('2028-02-29T00:00:00Z'), 'P1Y').toISOString(), '2029-02-27T00:00:00.000Z')
  t.equal(termEnd(new Date('2027-03-01T00:00:00Z'), 'P1M').toISOString(), '2027-03-31T00:00:00.000Z', 'the next term starts where the last left off')
})

t.test('scheduling: the same product, a term it sells; termDuration defaults to the current one', async (t) => {
  const next = scheduleNextTerm(row(), { product: { ...E3, billingCycle: 'monthly' }, quantity: 4 }, US)
  t.same(next, { product: { ...E3, billingCycle: 'Monthly', termDuration: 'P1M' }, quantity: 4, customTermEndDate: null })
  const reservation = row({ catalog_item_id: 'DZH318Z0BQ5P:00C9:DZH318Z0BQ5R', term_duration: 'P1Y', billing_cycle: 'one_time' })
  const toD4 = { productId: 'DZH318Z0BQ5P', skuId: '00CB', availabilityId: 'DZH318Z0BQ5S', billingCycle: 'OneTime', termDuration: 'P1Y' }
  t.throws(() => scheduleNextTerm(reservation, { product: toD4, quantity: 1 }, US), { code: 800002 }, 'license-based and software subscriptions only')
  t.throws(() => scheduleNextTerm(row({ is_trial: true }), { product: { ...E3, billingCycle: 'Monthly' }, quantity: 1 }, US), { code: 800002 }, 'not a trial')
})

t.test('renewal: the same again, or the scheduled SKU, term and quantity at the new price', async (t) => {
  const start = new Date('2027-02-15T00:00:00Z')
  t.match(nextTermOf(row(), start, US), {
    catalog_item_id: `${E3.productId}:${E3.skuId}:${E3.availabilityId}`, quantity: 3, unit_price_minor: 3960n, term_duration: 'P1M',
    commitment_end_at: new Date('2027-03-14T00:00:00Z')
  })
  const scheduled = {
    product: { productId: 'DZH318Z0BQ5P', skuId: '00CB', availabilityId: 'DZH318Z0BQ5S', billingCycle: 'OneTime', termDuration: 'P3Y' },
    quantity: 2,
    customTermEndDate: null
  }
  const reservation = row({ catalog_item_id: 'DZH318Z0BQ5P:00C9:DZH318Z0BQ5R', term_duration: 'P1Y', billing_cycle: 'one_time', scheduled_next_term: scheduled })
  t.match(nextTermOf(reservation, start, US), {
    catalog_item_id: 'DZH318Z0BQ5P:00CB:DZH318Z0BQ5S', offer_name: 'Standard_D4s_v5 (West Europe)', term_duration: 'P3Y', billing_cycle: 'one_time',
    quantity: 2, unit_price_minor: 248000n, commitment_end_at: new Date('2030-02-14T00:00:00Z')
  })
  const custom = row({ scheduled_next_term: { product: { ...E3, billingCycle: 'Annual', termDuration: 'P1Y' }, quantity: 5, customTermEndDate: '2027-12-31T00:00:00.000Z' } })
  t.match(nextTermOf(custom, start, US), { billing_cycle: 'annual', term_duration: 'P1Y', quantity: 5, commitment_end_at: new Date('2027-12-31T00:00:00Z') })
})
