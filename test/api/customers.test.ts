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
