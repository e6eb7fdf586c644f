// Customers through the real app: create, list (seek paging, filter), get, profiles, ETags, domains.
// Subtests share one app and its database; the customers POST creates show up in the lists GET walks,
// whose checks hold for any list, and none depends on another.
import t from 'tap'
import { build, call, mint, OTHER_PARTNER, PARTNER, userToken, USERS } from '../helper.js'

const app = await build(t)
const admin = await userToken(app, USERS.adminAgent)
const [contoso] = PARTNER.customers

const address = { country: 'us', city: 'Redmond', state: 'WA', addressLine1: '1 Microsoft Way', postalCode: '98052', firstName: 'Ann', lastName: 'Lee', phoneNumber: '4255550100' }
const billing = { firstName: 'Ann', lastName: 'Lee', email: 'ann@fourthcoffee.example', culture: 'en-US', language: 'en', companyName: 'Fourth Coffee', defaultAddress: address }

t.test('POST /v1/customers', async (t) => {
  t.test('creates a customer and returns its first admin credentials', async (t) => {
    const res = await call(app, admin, { method: 'POST', url: '/v1/customers', payload: { companyProfile: { domain: 'fourthcoffee.onmicrosoft.com' }, billingProfile: billing } })
    t.equal(res.statusCode, 201)
    const body = res.json()
    t.match(body, {
      id: /^[0-9a-f-]{36}$/,
      commerceId: /^[0-9a-f-]{36}$/,
      companyProfile: { tenantId: body.id, domain: 'fourthcoffee.onmicrosoft.com', companyName: 'Fourth Coffee', attributes: { objectType: 'CustomerCompanyProfile' } },
      billingProfile: { email: billing.email, defaultAddress: { country: 'US', city: 'Redmond' }, attributes: { objectType: 'CustomerBillingProfile', etag: String } },
      relationshipToPartner: 'reseller',
      userCredentials: { userName: 'admin', password: String },
      links: { self: { uri: `/customers/${body.id}`, method: 'GET' } },
      attributes: { objectType: 'Customer' }
    })
    const got = await call(app, admin, { url: `/v1/customers/${body.id}` })
    t.equal(got.statusCode, 200)
    t.notOk('userCredentials' in got.json(), 'credentials are returned only once')
  })

  t.test('reads a PascalCase body (the .NET SDK) as well', async (t) => {
    const res = await call(app, admin, {
      method: 'POST', url: '/v1/customers',
      payload: {
        CompanyProfile: { Domain: 'pascalcase.onmicrosoft.com' },
        BillingProfile: { FirstName: 'Bo', LastName: 'Ek', Email: 'bo@pascal.example', Culture: 'SV-se', Language: 'SV', CompanyName: 'Pascal Case AB', DefaultAddress: { Country: 'SE', City: 'Lund', AddressLine1: 'Gata 1', PostalCode: '22100' } },
        Attributes: { ObjectType: 'Customer' }
      }
    })
    t.equal(res.statusCode, 201)
    t.match(res.json(), { companyProfile: { domain: 'pascalcase.onmicrosoft.com' }, billingProfile: { firstName: 'Bo', culture: 'sv-SE', language: 'sv', defaultAddress: { country: 'SE' } } }, 'culture and language normalised')
  })

  t.test('a taken domain (of any partner) is a 400 and writes nothing', async (t) => {
    const before = await app.db.selectFrom('customers').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()
    const [prefix, ...rest] = OTHER_PARTNER.customers[0]!.domain.split('.')
    const taken = [prefix!.toUpperCase(), ...rest].join('.')
    const res = await call(app, admin, { method: 'POST', url: '/v1/customers', payload: { companyProfile: { domain: taken }, billingProfile: billing } })
    t.equal(res.statusCode, 400)
    t.match(res.json(), { code: 3000, description: /not available/ })
    const after = await app.db.selectFrom('customers').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()
    t.equal(after.n, before.n)
  })

  t.test('concurrent creates for one domain: exactly one wins', async (t) => {
    const payload = { companyProfile: { domain: 'racing.onmicrosoft.com' }, billingProfile: billing }
    const results = await Promise.all([1, 2, 3].map(() => call(app, admin, { method: 'POST', url: '/v1/customers', payload })))
    t.same(results.map((r) => r.statusCode).sort(), [201, 400, 400])
  })

  for (const [name, payload, field] of [
    ['no domain', { companyProfile: {}, billingProfile: billing }, /domain/],
    ['a domain outside onmicrosoft.com', { companyProfile: { domain: 'contoso.com' }, billingProfile: billing }, /domain/],
    ['a bad email', { companyProfile: { domain: 'bademail.onmicrosoft.com' }, billingProfile: { ...billing, email: 'nope' } }, /email/],
    ['a bad country', { companyProfile: { domain: 'badcountry.onmicrosoft.com' }, billingProfile: { ...billing, defaultAddress: { ...address, country: 'USA' } } }, /country/],
    ['no body', undefined, /body/]
  ] as const) {
    t.test(`${name}: 400 in the Partner Center envelope`, async (t) => {
      const res = await call(app, admin, { method: 'POST', url: '/v1/customers', ...(payload ? { payload } : {}) })
      t.equal(res.statusCode, 400)
      t.match(res.json(), { code: 800002, description: field, source: 'PartnerFD' })
    })
  }
})

t.test('GET /v1/customers', async (t) => {
  t.test('seek paging walks every customer once, in company-name order', async (t) => {
    const all = (await call(app, admin, { url: '/v1/customers?size=500' })).json().items.map((c: { companyProfile: { companyName: string } }) => c.companyProfile.companyName)
    const seen: string[] = []
    let res = await call(app, admin, { url: '/v1/customers?size=2' })
    for (;;) {
      const page = res.json()
      t.equal(page.totalCount, page.items.length)
      t.equal(page.attributes.objectType, 'Collection')
      seen.push(...page.items.map((c: { companyProfile: { companyName: string } }) => c.companyProfile.companyName))
      if (!page.links.next) { t.notOk(page.continuationToken, 'no token on the last page'); break }
      t.match(page.links.next, { uri: '/customers?size=2&seekOperation=Next', method: 'GET', headers: [{ key: 'MS-ContinuationToken', value: page.continuationToken }] })
      res = await call(app, admin, { url: `/v1${page.links.next.uri}`, headers: { 'ms-continuationtoken': page.continuationToken } })
    }
    t.same(seen, all)
    t.same([...all].sort(), all, 'sorted')
    t.ok(all.length >= 4)
  })

  t.test('filter starts_with on CompanyName, case-insensitive, carried into the next page', async (t) => {
    const filter = encodeURIComponent(JSON.stringify({ Field: 'CompanyName', Value: 'wInG', Operator: 'starts_with' }))
    const first = (await call(app, admin, { url: `/v1/customers?size=1&filter=${filter}` })).json()
    t.same(first.items.map((c: { companyProfile: { companyName: string } }) => c.companyProfile.companyName), ['Wingtip Toys'])
    t.notOk(first.links.next)
    const domain = encodeURIComponent(JSON.stringify({ field: 'Domain', value: 'north', operator: 'starts_with' }))
    t.same((await call(app, admin, { url: `/v1/customers?filter=${domain}` })).json().items.map((c: { id: string }) => c.id), [PARTNER.customers[1]!.id])
    const toys = encodeURIComponent(JSON.stringify({ Field: 'CompanyName', Value: '%', Operator: 'starts_with' }))
    t.same((await call(app, admin, { url: `/v1/customers?filter=${toys}` })).json().items, [], 'LIKE wildcards are literal')
  })

  for (const [name, query] of [
    ['an unsupported operator', `filter=${encodeURIComponent('{"Field":"CompanyName","Value":"a","Operator":"equals"}')}`],
    ['an unsupported field', `filter=${encodeURIComponent('{"Field":"Country","Value":"a","Operator":"starts_with"}')}`],
    ['a filter that is not JSON', 'filter=companyName'],
    ['Next without a continuation token', 'seekOperation=Next'],
    ['a seek operation other than Next', 'seekOperation=Previous']
  ]) {
    t.test(`${name}: 400`, async (t) => {
      const res = await call(app, admin, { url: `/v1/customers?${query}` })
      t.equal(res.statusCode, 400)
      t.equal(res.json().code, 800002)
    })
  }

  t.test('a forged continuation token: 400', async (t) => {
    const res = await call(app, admin, { url: '/v1/customers?seekOperation=Next', headers: { 'ms-continuationtoken': 'garbage!' } })
    t.equal(res.statusCode, 400)
  })
})

t.test('GET /v1/customers/{id} and profiles', async (t) => {
  const res = await call(app, admin, { url: `/v1/customers/${contoso!.id.toUpperCase()}` })
  t.equal(res.statusCode, 200, 'ids are case-insensitive')
  t.match(res.json(), { id: contoso!.id, allowDelegatedAccess: false, billingProfile: { attributes: { etag: String } } })
  const company = await call(app, admin, { url: `/v1/customers/${contoso!.id}/profiles/company` })
  t.match(company.json(), { tenantId: contoso!.id, domain: contoso!.domain, companyName: contoso!.companyName, attributes: { objectType: 'CustomerCompanyProfile' } })
  t.equal((await call(app, admin, { url: `/v1/customers/${crypto.randomUUID()}` })).statusCode, 404)
  const bad = await call(app, admin, { url: '/v1/customers/not-a-guid' })
  t.equal(bad.statusCode, 400)
})

t.test('billing profile: GET, then PUT with If-Match', async (t) => {
  const url = `/v1/customers/${contoso!.id}/profiles/billing`
  const got = await call(app, admin, { url })
  t.equal(got.statusCode, 200)
  const profile = got.json()
  t.equal(got.headers.etag, `"${profile.attributes.etag}"`)
  const update = { ...profile, email: 'finance@contoso.example', defaultAddress: { ...profile.defaultAddress, city: 'Bellevue' } }

  const missing = await call(app, admin, { method: 'PUT', url, payload: update })
  t.equal(missing.statusCode, 400, 'If-Match is required (400: the SDK retries 428)')
  t.equal(missing.json().code, 2055)

  const stale = await call(app, admin, { method: 'PUT', url, payload: update, headers: { 'if-match': '"eyJpZCI6Im5vIiwidmVyc2lvbiI6MH0="' } })
  t.match([stale.statusCode, stale.json().code], [400, 2055], 'a stale ETag (400: the SDK retries 412)')
  t.equal((await call(app, admin, { url })).json().email, profile.email, 'nothing changed')

  const ok = await call(app, admin, { method: 'PUT', url, payload: update, headers: { 'if-match': got.headers.etag as string } })
  t.equal(ok.statusCode, 200)
  t.match(ok.json(), { email: 'finance@contoso.example', defaultAddress: { city: 'Bellevue' } })
  t.not(ok.json().attributes.etag, profile.attributes.etag, 'a new ETag')

  const again = await call(app, admin, { method: 'PUT', url, payload: update, headers: { 'if-match': got.headers.etag as string } })
  t.equal(again.json().code, 2055, 'the old ETag is stale now')

  const helpdesk = await call(app, await userToken(app, USERS.helpdeskAgent), { method: 'PUT', url, payload: update, headers: { 'if-match': '*' } })
  t.equal(helpdesk.statusCode, 403, 'writes need Admin or Sales agent')
  const invalid = await call(app, admin, { method: 'PUT', url, payload: { ...update, email: 'x' }, headers: { 'if-match': '*' } })
  t.equal(invalid.statusCode, 400)
})

t.test('HEAD /v1/domains/{domain}', async (t) => {
  const token = await mint(app)
  const taken = await call(app, token, { method: 'HEAD', url: `/v1/domains/${OTHER_PARTNER.customers[0]!.domain}` })
  t.equal(taken.statusCode, 200, 'taken, by any partner')
  t.equal(taken.body, '')
  const free = await call(app, token, { method: 'HEAD', url: '/v1/domains/nobodyhasthis.onmicrosoft.com' })
  t.equal(free.statusCode, 404, 'available')
  t.equal((await app.inject({ method: 'HEAD', url: '/v1/domains/x.onmicrosoft.com' })).statusCode, 401, 'behind the auth hook')
})

// Ending relationships: each subtest creates the customers it removes, so the demo customers stay.
const fabrikam = await userToken(app, USERS.otherAdminAgent, { tenantId: OTHER_PARTNER.id })
const newCustomer = async (name: string) => {
  const res = await call(app, admin, { method: 'POST', url: '/v1/customers', payload: { companyProfile: { domain: `${name}.onmicrosoft.com` }, billingProfile: { ...billing, companyName: name } } })
  const id: string = res.json().id
  await call(app, admin, { method: 'POST', url: `/v1/customers/${id}/agreements`, payload: { primaryContact: { firstName: 'Ann', lastName: 'Lee', email: 'ann@example.com' }, templateId: '117a1a3b-b1b6-4a4b-8d7c-0f0f2b8d8d5e', dateAgreed: '2026-11-01T00:00:00Z', type: 'MicrosoftCustomerAgreement' } })
  return id
}
const order = async (customerId: string, offerId: string) =>
  (await call(app, admin, { method: 'POST', url: `/v1/customers/${customerId}/orders`, payload: { billingCycle: 'one_time', lineItems: [{ offerId, quantity: 1 }] } })).json().lineItems[0].subscriptionId as string
const setStatus = (customerId: string, subscriptionId: string, status: string) =>
  call(app, admin, { method: 'PATCH', url: `/v1/customers/${customerId}/subscriptions/${subscriptionId}`, payload: { status } })
const none = { relationshipToPartner: 'none', attributes: { objectType: 'Customer' } }

t.test('PATCH /v1/customers/{id} relationshipToPartner none', async (t) => {
  const id = await newCustomer('leaving')
  const url = `/v1/customers/${id}`
  const plan = await order(id, 'DZH318Z0BQ3Q:0001:DZH318Z0BXWC')
  const cart = (await call(app, admin, { method: 'POST', url: `${url}/carts`, payload: { lineItems: [{ catalogItemId: 'DZH318Z0BQ5P:00C9:DZH318Z0BQ5R', quantity: 1, billingCycle: 'one_time', termDuration: 'P1Y', provisioningContext: { subscriptionId: plan, scope: 'shared', duration: 'P1Y' } }] } })).json()
  const reservation = (await call(app, admin, { method: 'POST', url: `${url}/carts/${cart.id}/checkout` })).json().orders[0].lineItems[0].subscriptionId

  const blocked = await call(app, admin, { method: 'PATCH', url, payload: none })
  t.equal(blocked.statusCode, 400, 'an Azure reservation stands in the way')
  t.match(blocked.json(), { code: 800002, description: /Reserved VM Instance/, data: [reservation] })
  t.equal((await setStatus(id, reservation, 'deleted')).statusCode, 200)
  const active = await call(app, admin, { method: 'PATCH', url, payload: none })
  t.match(active.json(), { code: 800002, description: /suspended/, data: [plan] }, 'then the active Azure plan')
  t.equal((await setStatus(id, plan, 'suspended')).statusCode, 202)

  for (const [who, token, status, code] of [
    ['an app-only token', await mint(app), 403, 2032],
    ['a Helpdesk agent', await userToken(app, USERS.helpdeskAgent), 403, 900150],
    ['another partner', fabrikam, 404, 60003]
  ] as const) {
    const res = await call(app, token, { method: 'PATCH', url, payload: none })
    t.equal(res.statusCode, status, who)
    t.equal(res.json().code, code, who)
  }
  for (const [name, payload] of [['reseller', { relationshipToPartner: 'reseller' }], ['no relationshipToPartner', { attributes: {} }]] as const) {
    const res = await call(app, admin, { method: 'PATCH', url, payload })
    t.equal(res.statusCode, 400, name)
    t.match(res.json(), { code: 800002, source: 'PartnerFD' })
  }

  const headers = { 'ms-requestid': crypto.randomUUID() }
  const removed = await call(app, admin, { method: 'PATCH', url: url.toUpperCase().replace('/V1/CUSTOMERS/', '/v1/customers/'), payload: none, headers })
  t.equal(removed.statusCode, 200, removed.body)
  t.match(removed.json(), { id, relationshipToPartner: 'none', attributes: { objectType: 'Customer' } })
  t.same((await call(app, admin, { method: 'PATCH', url: url.toUpperCase().replace('/V1/CUSTOMERS/', '/v1/customers/'), payload: none, headers })).json(), removed.json(), 'a retry replays')
  t.equal((await call(app, admin, { url })).statusCode, 404, 'no longer the partner\'s')
  t.equal((await call(app, admin, { url: `${url}/subscriptions` })).statusCode, 404)
  const all = (await call(app, admin, { url: '/v1/customers?size=500' })).json().items.map((c: { id: string }) => c.id)
  t.notOk(all.includes(id), 'the list leaves it out')
  t.equal((await call(app, admin, { method: 'PATCH', url, payload: none })).statusCode, 404, 'twice: 404')
  const row = await app.db.selectFrom('customers').select(['relationship_to_partner', 'removed_at']).where('id', '=', id).executeTakeFirstOrThrow()
  t.match(row, { relationship_to_partner: 'none', removed_at: Date }, 'the row stays for the history')
  t.equal((await call(app, admin, { method: 'HEAD', url: '/v1/domains/leaving.onmicrosoft.com' })).statusCode, 200, 'the tenant keeps its domain')
})

t.test('DELETE /v1/customers/{id} (integration sandbox)', async (t) => {
  const id = await newCustomer('sandboxed')
  const software = await order(id, 'DG7GMGF0FKZV:0001:DG7GMGF0FKZW')
  const blocked = await call(app, admin, { method: 'DELETE', url: `/v1/customers/${id}` })
  t.equal(blocked.statusCode, 400, 'software purchases are cancelled first')
  t.match(blocked.json(), { code: 800002, data: [software] })
  t.equal((await setStatus(id, software, 'deleted')).statusCode, 200)

  t.equal((await call(app, await userToken(app, USERS.helpdeskAgent), { method: 'DELETE', url: `/v1/customers/${id}` })).statusCode, 403)
  t.equal((await call(app, fabrikam, { method: 'DELETE', url: `/v1/customers/${id}` })).statusCode, 403, 'Fabrikam is no sandbox')
  const appOnly = await mint(app)
  const headers = { 'ms-requestid': crypto.randomUUID() }
  const deleted = await call(app, appOnly, { method: 'DELETE', url: `/v1/customers/${id}`, headers })
  t.equal(deleted.statusCode, 204, 'app-only tokens may')
  t.equal(deleted.body, '')
  t.equal((await call(app, appOnly, { method: 'DELETE', url: `/v1/customers/${id}`, headers })).statusCode, 204, 'a retry replays')
  t.equal((await call(app, admin, { url: `/v1/customers/${id}` })).statusCode, 404)
  t.equal((await call(app, admin, { method: 'DELETE', url: `/v1/customers/${id}` })).statusCode, 404, 'twice: 404')
  t.equal((await call(app, admin, { method: 'HEAD', url: '/v1/domains/sandboxed.onmicrosoft.com' })).statusCode, 404, 'the domain is free')
  t.equal((await call(app, admin, { method: 'POST', url: '/v1/customers', payload: { companyProfile: { domain: 'sandboxed.onmicrosoft.com' }, billingProfile: billing } })).statusCode, 201)

  const own = await call(app, fabrikam, { method: 'DELETE', url: `/v1/customers/${OTHER_PARTNER.customers[0]!.id}` })
  t.match(own.json(), { code: 2032, description: /integration sandbox/ }, 'a production partner gets 403 / 2032')
  t.equal(own.statusCode, 403)
  t.equal((await call(app, admin, { method: 'DELETE', url: `/v1/customers/${OTHER_PARTNER.customers[0]!.id}` })).statusCode, 404, 'another partner\'s customer')
})
