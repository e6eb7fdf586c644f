// Billing through the HTTP API: purchases make charges, closing the period makes invoices; line items,
// unbilled reconciliation, summaries and the PDF statement follow.
// Scenario: the subtests share one app and its database, and billing there accumulates, so their order
// matters. 'buy, close the period…' counts invoices and charges from none: it stays first. Every subtest
// closes the period after its purchases; the totals a later one checks hold because those before it did.
// An Azure subscription meters every day after its purchase, into every later close: 'Azure plan usage…'
// totals its invoice, so it stays before 'legacy offers…', whose legacy Azure would add to that total (the
// other way round is harmless: the legacy invoice checks no total). Otherwise each subtest creates what
// it needs (the agreement, its purchases, an invoice) and passes alone.
import t from 'tap'
import { build, call, mint, PARTNER, OTHER_PARTNER, userToken, USERS } from '../helper.js'

const app = await build(t)
const [contoso, , tailspin] = PARTNER.customers
const E3 = 'CFQ7TTC0LFLX:0001:CFQ7TTC0LFLY'
const WINDOWS_SERVER = 'DG7GMGF0FKZV:0001:DG7GMGF0FKZW'
const admin = await userToken(app, USERS.adminAgent)
const billingAdmin = await userToken(app, USERS.billingAdmin)
const agreement = { primaryContact: { firstName: 'Ann', lastName: 'Lee', email: 'ann@example.com' }, templateId: '117a1a3b-b1b6-4a4b-8d7c-0f0f2b8d8d5e', dateAgreed: '2026-11-01T00:00:00Z', type: 'MicrosoftCustomerAgreement' }

async function buy (customerId: string, lineItems: unknown[]) {
  const cart = (await call(app, admin, { method: 'POST', url: `/v1/customers/${customerId}/carts`, payload: { lineItems } })).json()
  const result = await call(app, admin, { method: 'POST', url: `/v1/customers/${customerId}/carts/${cart.id}/checkout` })
  if (result.statusCode !== 201) throw new Error(result.body)
  return result.json()
}
const close = () => app.inject({ method: 'POST', url: '/_emulator/billing/close', payload: { tenantId: PARTNER.id } })
const acceptAgreement = (customerId: string) => call(app, admin, { method: 'POST', url: `/v1/customers/${customerId}/agreements`, payload: agreement })

t.test('buy, close the period, and read the invoice, its PDF, its line items and reconciliation', async (t) => {
  // First in the file: it counts invoices and unbilled charges from none.
  await acceptAgreement(contoso!.id)
  await buy(contoso!.id, [{ catalogItemId: E3, quantity: 3, billingCycle: 'annual', termDuration: 'P1Y' }])
  await buy(contoso!.id, [{ catalogItemId: WINDOWS_SERVER, quantity: 2, billingCycle: 'one_time' }])
  await buy(tailspin!.id, [{ catalogItemId: WINDOWS_SERVER, quantity: 1, billingCycle: 'one_time' }])

  const unbilled = await call(app, billingAdmin, { url: '/v1/invoices/unbilled/lineitems?provider=onetime&invoicelineitemtype=billinglineitems&currencycode=USD&period=current' })
  t.equal(unbilled.statusCode, 200, unbilled.body)
  t.equal(unbilled.json().totalCount, 2, 'Contoso (USD) charges; Tailspin buys in GBP')
  t.match(unbilled.json().items[0], { invoiceLineItemType: 'billing_line_items', billingProvider: 'one_time', chargeType: 'New', customerName: 'Contoso Ltd', unitPrice: 432, quantity: 3, subtotal: 1296, currency: 'USD', invoiceNumber: '', attributes: { objectType: 'OneTimeInvoiceLineItem' } })
  t.equal((await call(app, billingAdmin, { url: '/v1/invoices/unbilled/lineitems?provider=onetime&invoicelineitemtype=billinglineitems&currencycode=GBP&period=current' })).json().totalCount, 1)
  t.equal((await call(app, billingAdmin, { url: '/v1/invoices' })).json().totalCount, 0, 'no invoice before the period closes')

  const closed = await close()
  t.equal(closed.statusCode, 200, closed.body)
  const invoices = closed.json().invoices
  t.same(invoices.map((i: { currencyCode: string }) => i.currencyCode), ['GBP', 'USD'])
  const usd = invoices.find((i: { currencyCode: string }) => i.currencyCode === 'USD')
  t.equal(usd.totalCharges, '3434.00', '3 × 432 + 2 × 1069')
  t.match(usd.id, /^G\d{9}$/)

  const list = (await call(app, billingAdmin, { url: '/v1/invoices' })).json()
  t.equal(list.totalCount, 2)
  const firstPage = (await call(app, billingAdmin, { url: '/v1/invoices?size=1' })).json()
  t.match(firstPage.links.next, { uri: '/invoices?size=1&offset=1' }, 'offset paging')
  const secondPage = (await call(app, billingAdmin, { url: firstPage.links.next.uri.replace(/^/, '/v1') })).json()
  t.equal(secondPage.items[0].id, list.items[1].id)
  t.notOk(secondPage.links.next)
  t.notOk(list.items[0].pdfDownloadLink, 'only invoice-by-id carries the PDF link')
  const invoice = (await call(app, billingAdmin, { url: `/v1/invoices/${usd.id}` })).json()
  t.match(invoice, { id: usd.id, totalCharges: 3434, currencyCode: 'USD', pdfDownloadLink: `/invoices/${usd.id}/documents/statement`, invoiceType: 'OneTime', documentType: 'invoice', invoiceDetails: [{ billingProvider: 'one_time', invoiceLineItemType: 'billing_line_items' }] })
  t.match(invoice, { links: { self: { uri: `/invoices/OneTime-${usd.id}` } }, invoiceDetails: [{ links: { self: { uri: `/invoices/OneTime-${usd.id}/lineitems/OneTime/BillingLineItems` } } }] }, 'links name the invoice type, as recorded')
  const statementByLink = await call(app, billingAdmin, { url: `/v1${invoice.pdfDownloadLink}` })
  t.equal(statementByLink.headers['content-type'], 'application/pdf', 'pdfDownloadLink reaches the statement')
  const selfByLink = await call(app, billingAdmin, { url: `/v1${invoice.links.self.uri}` })
  t.equal(selfByLink.json().id, usd.id, 'links.self reaches the invoice')
  // The period is the calendar month of the close: first day to last day, midnight UTC; the invoice is dated at the close.
  const closedAt = new Date(invoice.invoiceDate)
  const monthStart = new Date(Date.UTC(closedAt.getUTCFullYear(), closedAt.getUTCMonth(), 1))
  const lastDay = new Date(Date.UTC(closedAt.getUTCFullYear(), closedAt.getUTCMonth() + 1, 0))
  t.equal(invoice.billingPeriodStartDate, monthStart.toISOString())
  t.equal(invoice.billingPeriodEndDate, lastDay.toISOString())
  t.match(closed.json(), { periodStart: monthStart.toISOString(), periodEnd: lastDay.toISOString() }, 'the close answers the same month')

  const pdf = await call(app, billingAdmin, { url: `/v1/invoices/${usd.id}/documents/statement` })
  t.equal(pdf.statusCode, 200)
  t.equal(pdf.headers['content-type'], 'application/pdf')
  t.equal(pdf.rawPayload.subarray(0, 5).toString(), '%PDF-', 'a real PDF document')
  t.ok(pdf.rawPayload.length > 500)

  const page1 = (await call(app, billingAdmin, { url: `/v1/invoices/${usd.id}/lineitems?provider=onetime&invoicelineitemtype=billinglineitems&currencycode=USD&size=1` })).json()
  t.equal(page1.items.length, 1)
  t.match(page1.links.next, { uri: /seekOperation=Next/, headers: [{ key: 'MS-ContinuationToken' }] })
  const page2 = (await call(app, billingAdmin, { url: `/v1/invoices/${usd.id}/lineitems?provider=onetime&invoicelineitemtype=billinglineitems&currencycode=USD&size=1&seekOperation=Next`, headers: { 'ms-continuationtoken': page1.continuationToken } })).json()
  t.equal(page2.items.length, 1)
  t.notOk(page2.continuationToken, 'the last page')
  t.not(page2.items[0].referenceId, page1.items[0].referenceId)
  t.equal(page2.items[0].invoiceNumber, usd.id)
  for (const item of [...page1.items, ...page2.items]) {
    t.equal(item.resellerMpnId, 0, 'resellerMpnId is a number, 0 for a direct sale (documented sample)')
    t.equal(typeof item.mpnId, 'string')
    t.match(item, { chargeStartDate: /T00:00:00\.000Z$/, chargeEndDate: /T00:00:00\.000Z$/, subscriptionStartDate: /T00:00:00\.000Z$/ }, 'charge dates are days')
  }
  const byPath = (await call(app, billingAdmin, { url: `/v1/invoices/OneTime-${usd.id}/lineitems/OneTime/BillingLineItems` })).json()
  t.equal(byPath.totalCount, 2, 'the path form of the invoice detail link')
  const legacy = (await call(app, billingAdmin, { url: `/v1/invoices/${usd.id}/lineitems?provider=office&invoicelineitemtype=billinglineitems` })).json()
  t.equal(legacy.totalCount, 0, 'no legacy license-based purchases')

  const previous = (await call(app, billingAdmin, { url: '/v1/invoices/unbilled/lineitems?provider=onetime&invoicelineitemtype=billinglineitems&currencycode=USD&period=previous' })).json()
  t.equal(previous.totalCount, 2, 'previous: the period just closed')
  t.equal((await call(app, billingAdmin, { url: '/v1/invoices/unbilled/lineitems?provider=onetime&invoicelineitemtype=billinglineitems&currencycode=USD&period=current' })).json().totalCount, 0)

  const summary = (await call(app, billingAdmin, { url: '/v1/invoices/summary' })).json()
  t.match(summary, { currencyCode: 'GBP', attributes: { objectType: 'InvoiceSummary' } })
  const summaries = (await call(app, billingAdmin, { url: '/v1/invoices/summaries' })).json()
  t.same(summaries.items.map((s: { currencyCode: string, balanceAmount: number }) => [s.currencyCode, s.balanceAmount]), [['GBP', 844.51], ['USD', 3434]])
})

t.test('a cancellation after the close is a refund line on the next invoice', async (t) => {
  const result = await buy(contoso!.id, [{ catalogItemId: WINDOWS_SERVER, quantity: 1, billingCycle: 'one_time' }])
  const order = result.orders[0]
  await close()
  await call(app, admin, { method: 'PATCH', url: `/v1/customers/${contoso!.id}/orders/${order.id}`, payload: { status: 'cancelled' } })
  const unbilled = (await call(app, billingAdmin, { url: '/v1/invoices/unbilled/lineitems?provider=onetime&invoicelineitemtype=billinglineitems&currencycode=USD&period=current' })).json()
  t.match(unbilled.items, [{ chargeType: 'Cancel', quantity: -1, subtotal: -1069 }])
  const next = (await close()).json().invoices
  t.match(next, [{ currencyCode: 'USD', totalCharges: '-1069.00' }])
})

t.test('who may read billing, and isolation between partners', async (t) => {
  // An invoice of its own to read (its period closed, as every subtest here leaves it).
  await buy(contoso!.id, [{ catalogItemId: WINDOWS_SERVER, quantity: 1, billingCycle: 'one_time' }])
  await close()
  t.equal((await call(app, await userToken(app, USERS.salesAgent), { url: '/v1/invoices' })).statusCode, 403)
  t.equal((await call(app, await mint(app), { url: '/v1/invoices' })).statusCode, 200, 'APP+AU')
  const invoiceId = (await call(app, billingAdmin, { url: '/v1/invoices' })).json().items[0].id
  const appOnlyInvoice = await call(app, await mint(app), { url: `/v1/invoices/${invoiceId}` })
  t.equal(appOnlyInvoice.statusCode, 403, 'invoice by id is AU-only')
  t.equal(appOnlyInvoice.json().code, 2032)
  const theirs = await userToken(app, USERS.otherAdminAgent, { tenantId: OTHER_PARTNER.id })
  t.equal((await call(app, theirs, { url: `/v1/invoices/${invoiceId}` })).statusCode, 404)
  t.equal((await call(app, theirs, { url: '/v1/invoices' })).json().totalCount, 0)
  t.equal((await call(app, billingAdmin, { url: '/v1/invoices/unbilled/lineitems?provider=onetime&invoicelineitemtype=billinglineitems&currencycode=USD&period=sometime' })).statusCode, 400)
})

t.test('Azure plan usage is metered per whole day on the clock: unbilled, then billed on the next invoice', async (t) => {
  // Before 'legacy offers…', whose legacy Azure subscription would meter into this invoice's total.
  const AZURE_PLAN = 'DZH318Z0BQ3Q:0001:DZH318Z0BXWC'
  await acceptAgreement(contoso!.id) // an Azure plan is new commerce
  const result = await buy(contoso!.id, [{ catalogItemId: AZURE_PLAN, quantity: 1, billingCycle: 'one_time' }])
  const subscriptionId = result.orders[0].lineItems[0].subscriptionId
  const sub = (await call(app, admin, { url: `/v1/customers/${contoso!.id}/subscriptions/${subscriptionId}` })).json()
  t.match(sub, { unitType: 'Usage-based', billingType: 'usage', autoRenewEnabled: false })
  const usageUrl = '/v1/invoices/unbilled/lineitems?provider=onetime&invoicelineitemtype=usagelineitems&currencycode=USD&period=current'
  t.equal((await call(app, billingAdmin, { url: usageUrl })).json().totalCount, 0, 'no whole day has passed yet')
  await app.inject({ method: 'PUT', url: '/_emulator/clock', payload: { advanceSeconds: 3 * 86_400 } })
  const unbilled = (await call(app, billingAdmin, { url: usageUrl })).json()
  t.equal(unbilled.totalCount, 3, 'three whole days')
  t.match(unbilled.items[0], {
    invoiceLineItemType: 'usage_line_items', billingProvider: 'marketplace', subscriptionId, meterCategory: 'Virtual Machines', meterName: 'D2s v5',
    quantity: 24, unitPrice: 0.1, billingPreTaxTotal: 2.4, billingCurrency: 'USD', invoiceNumber: '', attributes: { objectType: 'DailyRatedUsageLineItem' }
  })
  const usage = unbilled.items[0]
  const usageDay = new Date(usage.usageDate)
  t.match(usage.usageDate, /T00:00:00\.000Z$/)
  t.equal(usage.chargeStartDate, new Date(Date.UTC(usageDay.getUTCFullYear(), usageDay.getUTCMonth(), 1)).toISOString(), 'the charge spans the usage month')
  t.equal(usage.chargeEndDate, new Date(Date.UTC(usageDay.getUTCFullYear(), usageDay.getUTCMonth() + 1, 1)).toISOString())
  t.equal((await call(app, billingAdmin, { url: usageUrl })).json().totalCount, 3, 'metering twice counts nothing twice')

  const invoice = (await close()).json().invoices.find((i: { currencyCode: string }) => i.currencyCode === 'USD')
  t.equal(invoice.totalCharges, '7.20', 'three days of usage')
  const billed = (await call(app, billingAdmin, { url: `/v1/invoices/${invoice.id}/lineitems?provider=onetime&invoicelineitemtype=usagelineitems&currencycode=USD&size=2` })).json()
  t.equal(billed.items.length, 2)
  t.ok(billed.continuationToken, 'usage line items are seek-paged too')
  t.equal(billed.items[0].invoiceNumber, invoice.id)
  t.equal((await call(app, billingAdmin, { url: usageUrl })).json().totalCount, 0)
})

t.test('legacy offers bill through the legacy providers: office (LicenseBasedLineItem) and azure (UsageBasedLineItem)', async (t) => {
  const O365_E3_LEGACY = '796B6B5F-613C-4E24-A17C-EBA730D49C02'
  const order = await call(app, admin, { method: 'POST', url: `/v1/customers/${contoso!.id}/orders`, payload: { billingCycle: 'monthly', lineItems: [{ offerId: O365_E3_LEGACY, quantity: 5 }] } })
  t.equal(order.statusCode, 201, order.body)
  t.match((await call(app, admin, { url: `/v1/customers/${contoso!.id}/orders/${order.json().id}?include_price=true` })).json(), { lineItems: [{ offerId: O365_E3_LEGACY, pricing: { listPrice: 20, extendedPrice: 100 } }] })
  const azure = await call(app, admin, { method: 'POST', url: `/v1/customers/${contoso!.id}/orders`, payload: { billingCycle: 'monthly', lineItems: [{ offerId: 'MS-AZR-0145P', quantity: 1 }] } })
  t.equal(azure.statusCode, 201, azure.body)
  const legacySub = (await call(app, admin, { url: `/v1/customers/${contoso!.id}/subscriptions/${azure.json().lineItems[0].subscriptionId}` })).json()
  t.match(legacySub, { offerId: 'MS-AZR-0145P', unitType: 'Usage-based', billingType: 'usage', autoRenewEnabled: false })
  await app.inject({ method: 'PUT', url: '/_emulator/clock', payload: { advanceSeconds: 2 * 86_400 } })

  const invoice = (await close()).json().invoices.find((i: { currencyCode: string }) => i.currencyCode === 'USD')
  const lines = (provider: string) => call(app, billingAdmin, { url: `/v1/invoices/${invoice.id}/lineitems?provider=${provider}&invoicelineitemtype=billinglineitems&size=1` })
  const office = (await lines('office')).json()
  t.match(office.items, [{ invoiceLineItemType: 'billing_line_items', billingProvider: 'office', offerId: O365_E3_LEGACY, quantity: 5, unitPrice: 20, amount: 100, attributes: { objectType: 'LicenseBasedLineItem' } }])
  t.match(office.items[0], { subscriptionStartDate: /T00:00:00\.000Z$/, chargeStartDate: /T00:00:00\.000Z$/, chargeEndDate: /T00:00:00\.000Z$/ }, 'days, as documented')
  t.match(office.items[0], { mpnId: 0, tier2MpnId: -1 }, 'MPN ids are numbers on legacy lines; -1: no indirect reseller')
  const legacyAzure = (await lines('azure')).json()
  t.match(legacyAzure.items, [{ billingProvider: 'azure', subscriptionId: legacySub.id, consumedQuantity: 24, pretaxCharges: 2.4, mpnId: 0, tier2MpnId: -1, attributes: { objectType: 'UsageBasedLineItem' } }])
  t.match(legacyAzure.links.next, { uri: /offset=1/ }, 'legacy providers page by offset')
  const second = (await call(app, billingAdmin, { url: `/v1/invoices/${invoice.id}/lineitems?provider=azure&invoicelineitemtype=billinglineitems&size=1&offset=1` })).json()
  t.equal(second.items.length, 1)
  t.not(second.items[0].detailLineItemId, legacyAzure.items[0].detailLineItemId)
  const onetime = (await call(app, billingAdmin, { url: `/v1/invoices/${invoice.id}/lineitems?provider=onetime&invoicelineitemtype=billinglineitems` })).json()
  t.notOk(onetime.items.some((l: { productId: string }) => l.productId === O365_E3_LEGACY), 'legacy lines stay out of the new-commerce provider')
})
