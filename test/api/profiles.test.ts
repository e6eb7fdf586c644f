// The partner's organization and legal business profiles through the real app: the documented shapes,
// kept per partner tenant, updates (ETags, the vetting status kept), roles and app-only tokens.
import t from 'tap'
import { build, call, mint, OTHER_PARTNER, PARTNER, userToken, USERS } from '../helper.js'

const app = await build(t)
const admin = await userToken(app, USERS.adminAgent)
const globalAdmin = await userToken(app, USERS.globalAdmin)
const fabrikam = await userToken(app, USERS.otherAdminAgent, { tenantId: OTHER_PARTNER.id })

t.test('GET /v1/profiles/organization', async (t) => {
  const res = await call(app, admin, { url: '/v1/profiles/organization' })
  t.equal(res.statusCode, 200, res.body)
  t.match(res.json(), {
    id: PARTNER.id, companyName: 'Test Test Partner', tenantId: PARTNER.id, domain: PARTNER.domain,
    defaultAddress: { country: 'US', city: 'Redmond', state: 'WA', postalCode: '98052' },
    email: `partner-admin@${PARTNER.domain}`, language: 'en', culture: 'en-US', profileType: 'OrganizationProfile',
    links: { self: { uri: '/profiles/organization', method: 'GET' } }, attributes: { etag: String, objectType: 'OrganizationProfile' }
  })
  t.match((await call(app, fabrikam, { url: '/v1/profiles/organization' })).json(), { tenantId: OTHER_PARTNER.id, companyName: 'Fabrikam Partner', defaultAddress: { country: 'CA' } }, 'per partner tenant')
  const appOnly = await call(app, await mint(app), { url: '/v1/profiles/organization' })
  t.equal(appOnly.statusCode, 403, 'App+User only')
  t.equal(appOnly.json().code, 2032)
  t.equal((await call(app, await userToken(app, USERS.noRole), { url: '/v1/profiles/organization' })).json().code, 900150)
})

t.test('PUT /v1/profiles/organization', async (t) => {
  const current = (await call(app, admin, { url: '/v1/profiles/organization' })).json()
  const update = { ...current, companyName: 'Test Test Partner Ltd', defaultAddress: { ...current.defaultAddress, phoneNumber: '4255550111' }, email: 'office@testtestpartner.example' }
  const ok = await call(app, admin, { method: 'PUT', url: '/v1/profiles/organization', payload: update })
  t.equal(ok.statusCode, 200, ok.body)
  t.match(ok.json(), { companyName: 'Test Test Partner Ltd', email: 'office@testtestpartner.example', defaultAddress: { phoneNumber: '4255550111' }, tenantId: PARTNER.id })
  t.not(ok.json().attributes.etag, current.attributes.etag, 'a new ETag')
  t.same((await call(app, admin, { url: '/v1/profiles/organization' })).json(), ok.json(), 'stored')
  const stale = await call(app, admin, { method: 'PUT', url: '/v1/profiles/organization', payload: update })
  t.match([stale.statusCode, stale.json().code], [400, 2055], 'the body\'s old ETag is stale')
  t.equal(stale.json().code, 2055)
  const ignored = await call(app, admin, { method: 'PUT', url: '/v1/profiles/organization', payload: { ...update, attributes: {}, tenantId: OTHER_PARTNER.id, domain: 'x.example' }, headers: { 'if-match': '*' } })
  t.match(ignored.json(), { tenantId: PARTNER.id, domain: PARTNER.domain }, 'the tenant and its domain do not change')
  t.equal((await call(app, fabrikam, { url: '/v1/profiles/organization' })).json().companyName, 'Fabrikam Partner', 'the other partner\'s is untouched')

  for (const [name, payload] of [['a bad email', { ...update, email: 'nope' }], ['no address', { ...update, defaultAddress: undefined }], ['a bad country', { ...update, defaultAddress: { country: 'USA' } }]] as const) {
    const res = await call(app, admin, { method: 'PUT', url: '/v1/profiles/organization', payload, headers: { 'if-match': '*' } })
    t.equal(res.statusCode, 400, name)
    t.match(res.json(), { code: 800002, source: 'PartnerFD' }, name)
  }
  t.equal((await call(app, await userToken(app, USERS.salesAgent), { method: 'PUT', url: '/v1/profiles/organization', payload: update })).statusCode, 403, 'Sales agents read only')
})

t.test('GET /v1/profiles/legalbusiness: app-only tokens too', async (t) => {
  const res = await call(app, await mint(app), { url: '/v1/profiles/legalbusiness?vettingVersion=Current' })
  t.equal(res.statusCode, 200, res.body)
  t.match(res.json(), {
    companyName: 'Test Test Partner', address: { country: 'US', city: 'Redmond' }, primaryContact: { firstName: 'Gena', lastName: 'Soto', email: `partner-admin@${PARTNER.domain}` },
    companyApproverAddress: { country: 'US' }, companyApproverEmail: `partner-admin@${PARTNER.domain}`, vettingStatus: 'authorized', vettingSubStatus: 'none',
    profileType: 'LegalBusinessProfile', links: { self: { uri: '/profiles/legalbusiness' } }, attributes: { objectType: 'LegalBusinessProfile' }
  })
  t.equal((await call(app, admin, { url: '/v1/profiles/legalbusiness?vettingVersion=Sometimes' })).statusCode, 400)
})

t.test('PUT /v1/profiles/legalbusiness (the page\'s PascalCase sample)', async (t) => {
  const address = { Country: 'US', Region: null, City: 'Redmond', State: 'WA', AddressLine1: '123 Main Street', AddressLine2: '', PostalCode: '98052', FirstName: 'Gena', LastName: 'Soto', PhoneNumber: '4255550110' }
  const payload = {
    CompanyName: 'Lucerne Publishing', Address: address, PrimaryContact: { FirstName: 'Gena', LastName: 'Soto', Email: 'gena@lucernepublishing.com', PhoneNumber: '4255550110' },
    CompanyApproverAddress: { ...address, FirstName: null, LastName: null, PhoneNumber: null }, CompanyApproverEmail: 'gena@lucernepublishing.com',
    VettingStatus: 'rejected', VettingSubStatus: 'none', Attributes: { ObjectType: 'LegalBusinessProfile' }
  }
  const byAdminAgent = await call(app, admin, { method: 'PUT', url: '/v1/profiles/legalbusiness', payload })
  t.equal(byAdminAgent.statusCode, 403, 'Global admins only')
  t.equal((await call(app, await mint(app), { method: 'PUT', url: '/v1/profiles/legalbusiness', payload })).json().code, 2032, 'App+User only')
  const res = await call(app, globalAdmin, { method: 'PUT', url: '/v1/profiles/legalbusiness', payload, headers: { 'ms-requestid': crypto.randomUUID() } })
  t.equal(res.statusCode, 200, res.body)
  t.match(res.json(), { companyName: 'Lucerne Publishing', address: { addressLine1: '123 Main Street', phoneNumber: '4255550110' }, vettingStatus: 'authorized', companyApproverAddress: { city: 'Redmond' } })
  t.notOk('region' in res.json().address || 'addressLine2' in res.json().address, 'null and empty fields are dropped')
  t.notOk('firstName' in res.json().companyApproverAddress)
  t.equal((await call(app, admin, { url: '/v1/profiles/legalbusiness' })).json().companyName, 'Lucerne Publishing')
  const stale = await call(app, globalAdmin, { method: 'PUT', url: '/v1/profiles/legalbusiness', payload, headers: { 'if-match': '"bm90LWl0"' } })
  t.match([stale.statusCode, stale.json().code], [400, 2055])
  t.equal((await call(app, globalAdmin, { method: 'PUT', url: '/v1/profiles/legalbusiness', payload: { ...payload, CompanyApproverEmail: 'x' } })).statusCode, 400)
})
