// Catalog: products, SKUs, availabilities (global and per customer), offers, promotions, inventory.
// Subtests share one app and its database and only read the catalog; none depends on another.
import t from 'tap'
import { fromMinor, scale, toMinor } from '../../src/lib/money.js'
import { build, call, mint, OTHER_PARTNER, PARTNER, userToken, USERS } from '../helper.js'

const app = await build(t)
const appOnly = await mint(app)
const [contoso, , tailspin] = PARTNER.customers
const E3 = { productId: 'CFQ7TTC0LFLX', skuId: '0001', availabilityId: 'CFQ7TTC0LFLY' }

t.test('money is integer minor units', async (t) => {
  t.equal(toMinor('7.20'), 720n)
  t.equal(fromMinor(scale(toMinor('43.20'), '0.79')), '34.13')
  t.equal(fromMinor(scale(toMinor('0.05'), '1.5')), '0.08', 'half rounds away from zero')
  t.throws(() => toMinor('1.234'))
})

t.test('products by market and view, with segment filtering', async (t) => {
  const res = await call(app, appOnly, { url: '/v1/products?country=US&targetView=OnlineServices' })
  t.equal(res.statusCode, 200)
  const body = res.json()
  t.ok(body.totalCount >= 15, 'a realistic catalog')
  t.match(body.items[0], { id: /^[A-Z0-9]{12}$/, productType: { id: 'OnlineServices' }, attributes: { objectType: 'Product' }, links: { skus: { uri: /\/skus\?country=US/ } } })
  const software = (await call(app, appOnly, { url: '/v1/products?country=US&targetView=Software' })).json()
  t.ok(software.items.every((p: { productType: { id: string } }) => p.productType.id === 'Software'))
  const reservations = (await call(app, appOnly, { url: '/v1/products?country=US&targetView=AzureReservations' })).json()
  t.ok(reservations.totalCount >= 2)
  const gov = (await call(app, appOnly, { url: '/v1/products?country=US&targetView=SoftwarePerpetual&targetSegment=government' })).json()
  t.same(gov.items.map((p: { title: string }) => p.title), ['Office LTSC Professional Plus 2024'])

  const badView = await call(app, appOnly, { url: '/v1/products?country=US&targetView=Nonsense' })
  t.match({ status: badView.statusCode, body: badView.json() }, { status: 403, body: { code: 400036 } })
  const badSegment = await call(app, appOnly, { url: '/v1/products?country=US&targetView=OnlineServices&targetSegment=space' })
  t.match({ status: badSegment.statusCode, body: badSegment.json() }, { status: 403, body: { code: 400030 } })
  t.equal((await call(app, appOnly, { url: '/v1/products?targetView=OnlineServices' })).statusCode, 400, 'country is required')
  t.equal((await call(app, appOnly, { url: '/v1/products?country=ZZ&targetView=OnlineServices' })).statusCode, 400)
})

t.test('product, SKUs and availabilities; catalogItemId and terms', async (t) => {
  const product = await call(app, appOnly, { url: `/v1/products/${E3.productId}?country=GB` })
  t.match(product.json(), { id: E3.productId, title: 'Microsoft 365 E3' })
  const skus = (await call(app, appOnly, { url: `/v1/products/${E3.productId}/skus?country=GB` })).json()
  t.match(skus.items, [{ id: E3.skuId, productId: E3.productId, supportedBillingCycles: ['monthly', 'annual', 'triennial'], attributes: { objectType: 'Sku' } }])
  const availabilities = (await call(app, appOnly, { url: `/v1/products/${E3.productId}/skus/${E3.skuId}/availabilities?country=GB` })).json()
  const availability = availabilities.items[0]
  t.match(availability, {
    id: E3.availabilityId, catalogItemId: `${E3.productId}:${E3.skuId}:${E3.availabilityId}`, country: 'GB', segment: 'commercial',
    defaultCurrency: { code: 'GBP', symbol: '£' }, isPurchasable: true, isRenewable: true
  })
  t.same(availability.terms.map((term: { duration: string, billingCycle: string }) => `${term.duration}/${term.billingCycle}`), ['P1M/Monthly', 'P1Y/Annual', 'P1Y/Monthly', 'P3Y/Triennial'])
  t.match(availability.terms[1], { id: /^[a-z]{12}$/, description: 'One-Year commitment for yearly billing' })
  const one = await call(app, appOnly, { url: `/v1/products/${E3.productId}/skus/${E3.skuId}/availabilities/${E3.availabilityId}?country=GB` })
  t.same(one.json(), availability)

  const ri = (await call(app, appOnly, { url: '/v1/products/DZH318Z0BQ5P/skus/00C9?country=US' })).json()
  t.match(ri, { purchasePrerequisites: ['InventoryCheck', 'AzureSubscriptionRegistration'], dynamicAttributes: { armSkuName: 'Standard_D2s_v5' } })

  const missing = await call(app, appOnly, { url: '/v1/products/NOPE00000000?country=US' })
  t.match({ status: missing.statusCode, body: missing.json() }, { status: 404, body: { code: 400013 } })
  t.equal((await call(app, appOnly, { url: `/v1/products/${E3.productId}/skus/9999?country=US` })).statusCode, 404)
})

t.test('per-customer catalog uses the customer\'s market; another partner\'s customer is a 404', async (t) => {
  const admin = await userToken(app, USERS.adminAgent)
  const products = await call(app, admin, { url: `/v1/customers/${tailspin!.id}/products?targetView=OnlineServices` })
  t.equal(products.statusCode, 200)
  const availability = (await call(app, admin, { url: `/v1/customers/${tailspin!.id}/products/${E3.productId}/skus/${E3.skuId}/availabilities` })).json().items[0]
  t.match(availability, { country: 'GB', defaultCurrency: { code: 'GBP' } })
  t.equal((await call(app, admin, { url: `/v1/customers/${contoso!.id}/products/${E3.productId}/skus` })).json().totalCount, 1)
  t.match((await call(app, admin, { url: `/v1/customers/${tailspin!.id}/products/${E3.productId}` })).json(), { id: E3.productId, links: { skus: { uri: /country=GB/ } } })
  t.match((await call(app, admin, { url: `/v1/customers/${tailspin!.id}/products/${E3.productId}/skus/${E3.skuId}` })).json(), { id: E3.skuId, productId: E3.productId })
  t.match((await call(app, admin, { url: `/v1/customers/${tailspin!.id}/products/${E3.productId}/skus/${E3.skuId}/availabilities/${E3.availabilityId}` })).json(), { country: 'GB', catalogItemId: `${E3.productId}:${E3.skuId}:${E3.availabilityId}` })
  t.equal((await call(app, admin, { url: `/v1/customers/${OTHER_PARTNER.customers[0]!.id}/products?targetView=OnlineServices` })).statusCode, 404)
})

t.test('legacy offers, add-ons, categories; new-commerce ids are refused there', async (t) => {
  const list = (await call(app, appOnly, { url: '/v1/offers?country=US' })).json()
  t.ok(list.totalCount >= 3)
  t.match(list.items[0], { category: { attributes: { objectType: 'OfferCategory' } }, attributes: { objectType: 'Offer' } })
  const withAddons = list.items.find((o: { hasAddOns: boolean }) => o.hasAddOns)
  const addons = (await call(app, appOnly, { url: `/v1/offers/${withAddons.id}/addons?country=US` })).json()
  t.ok(addons.items.every((o: { isAddOn: boolean }) => o.isAddOn))
  t.equal((await call(app, appOnly, { url: '/v1/offercategories?country=US' })).json().totalCount, 3)
  const paged = (await call(app, appOnly, { url: '/v1/offers?country=US&offset=1&size=1' })).json()
  t.same(paged.items.map((o: { id: string }) => o.id), [list.items[1].id])
  const nce = await call(app, appOnly, { url: `/v1/offers/${E3.productId}:${E3.skuId}?country=US` })
  t.match({ status: nce.statusCode, body: nce.json() }, { status: 400, body: { code: 2100 } })
})

t.test('promotions (Admin agent or Global admin) and inventory check (a bare array)', async (t) => {
  const admin = await userToken(app, USERS.adminAgent)
  const promos = (await call(app, admin, { url: '/v1/productpromotions?country=US&segment=commercial' })).json()
  t.match(promos.items, [{ requiredProducts: [{ productId: E3.productId, term: { duration: 'P1Y' } }], attributes: { objectType: 'ProductPromotion' } }])
  t.equal((await call(app, await userToken(app, USERS.salesAgent), { url: '/v1/productpromotions?country=US&segment=commercial' })).statusCode, 403)
  t.equal((await call(app, admin, { url: `/v1/productpromotions/${promos.items[0].id}?country=US` })).statusCode, 200)

  const check = (region?: string) => call(app, appOnly, {
    method: 'POST', url: '/v1/extensions/product/checkinventory?country=US',
    payload: { targetItems: [{ productId: 'DZH318Z0BQ5P', skuId: '00C9' }, { productId: E3.productId }], inventoryContext: { customerId: contoso!.id, ...(region ? { armRegionName: region } : {}) } }
  })
  const ok = (await check('eastus')).json()
  t.ok(Array.isArray(ok))
  t.match(ok, [{ productId: 'DZH318Z0BQ5P', skuId: '00C9', isRestricted: false }, { productId: E3.productId, isRestricted: false }])
  const restricted = (await check('westus')).json()
  t.match(restricted[0], { isRestricted: true, restrictions: [{ reasonCode: 'NotAvailableInRegion' }] })
})

t.test('the catalog is behind the auth hook like everything else', async (t) => {
  t.equal((await app.inject({ url: '/v1/products?country=US&targetView=OnlineServices' })).statusCode, 401)
  const noMfa = await userToken(app, USERS.salesAgent, { amr: ['pwd'] })
  t.equal((await call(app, noMfa, { url: '/v1/products?country=US&targetView=OnlineServices' })).statusMessage, 'Unauthorized - MFA required')
  t.equal((await call(app, await userToken(app, USERS.billingAdmin), { url: '/v1/products?country=US&targetView=OnlineServices' })).statusCode, 403)
})
