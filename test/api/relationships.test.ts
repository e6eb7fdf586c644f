// Reseller relationship request links and indirect resellers through the real app: the documented
// shapes, an indirect provider (Test Test Partner) and a direct partner (Fabrikam), App+User only.
import t from 'tap'
import { DEMO_INDIRECT_RESELLERS } from '../../src/seed/demo-profiles.js'
import { build, call, mint, OTHER_PARTNER, PARTNER, userToken, USERS } from '../helper.js'

const app = await build(t)
const admin = await userToken(app, USERS.adminAgent)
const fabrikam = await userToken(app, USERS.otherAdminAgent, { tenantId: OTHER_PARTNER.id })
const [firstUp, releCloud] = DEMO_INDIRECT_RESELLERS[PARTNER.id]!

t.test('GET /v1/customers/relationshiprequests: the invitation link with the partner\'s id', async (t) => {
  const res = await call(app, admin, { url: '/v1/customers/relationshiprequests' })
  t.equal(res.statusCode, 200, res.body)
  const body = res.json()
  t.match(body, { attributes: { objectType: 'RelationshipRequest' } })
  const url = new URL(body.url)
  t.equal(url.origin + url.pathname, 'https://admin.microsoft.com/Adminportal/Home')
  t.equal(url.searchParams.get('invType'), 'ResellerRelationship')
  t.equal(url.searchParams.get('partnerId'), PARTNER.id)
  t.equal(url.hash, '#/BillingAccounts/partner-invitation')
  const theirs = new URL((await call(app, fabrikam, { url: '/v1/customers/relationshiprequests' })).json().url)
  t.equal(theirs.searchParams.get('partnerId'), OTHER_PARTNER.id, 'each partner its own')

  const forReseller = new URL((await call(app, admin, { url: `/v1/customers/relationshiprequests?indirectResellerId=${firstUp!.id.toUpperCase()}` })).json().url)
  t.equal(forReseller.searchParams.get('invType'), 'IndirectResellerRelationship')
  t.equal(forReseller.searchParams.get('partnerId'), firstUp!.id)
  t.equal(forReseller.searchParams.get('indirectCSPId'), PARTNER.id)
  const stranger = await call(app, fabrikam, { url: `/v1/customers/relationshiprequests?indirectResellerId=${firstUp!.id}` })
  t.equal(stranger.statusCode, 400, 'not a reseller of Fabrikam')
  t.equal(stranger.json().code, 800002)
  t.equal((await call(app, admin, { url: '/v1/customers/relationshiprequests?indirectResellerId=nope' })).statusCode, 400)
})

t.test('GET /v1/relationships?relationship_type=IsIndirectCloudSolutionProviderOf', async (t) => {
  const res = await call(app, admin, { url: '/v1/relationships?relationship_type=IsIndirectCloudSolutionProviderOf' })
  t.equal(res.statusCode, 200, res.body)
  t.match(res.json(), {
    totalCount: 2,
    items: [
      { id: firstUp!.id, name: 'First Up Consultants', relationshipType: 'is_indirect_cloud_solution_provider_of', state: 'Active', mpnId: '4847383', location: 'US', attributes: { objectType: 'PartnerRelationship' } },
      { id: releCloud!.id, name: 'ReleCloud', mpnId: '4847433', location: 'BR' }
    ],
    attributes: { objectType: 'Collection' }
  })
  const direct = (await call(app, fabrikam, { url: '/v1/relationships?relationship_type=isindirectcloudsolutionproviderof' })).json()
  t.match(direct, { totalCount: 0, items: [] }, 'a direct partner has none')
  t.match((await call(app, admin, { url: '/v1/relationships?relationship_type=IsIndirectResellerOf' })).json(), { totalCount: 0, items: [] }, 'no demo partner is a reseller')
})

t.test('bad input, roles and app-only tokens', async (t) => {
  for (const url of ['/v1/relationships', '/v1/relationships?relationship_type=Friends', '/v1/relationships?relationship_type=constructor']) {
    const res = await call(app, admin, { url })
    t.equal(res.statusCode, 400, url)
    t.match(res.json(), { code: 800002, source: 'PartnerFD' }, url)
  }
  const appOnly = await mint(app)
  for (const url of ['/v1/customers/relationshiprequests', '/v1/relationships?relationship_type=IsIndirectCloudSolutionProviderOf']) {
    const res = await call(app, appOnly, { url })
    t.equal(res.statusCode, 403, `${url}: App+User only`)
    t.equal(res.json().code, 2032)
    const helpdesk = await call(app, await userToken(app, USERS.helpdeskAgent), { url })
    t.equal(helpdesk.statusCode, 403, `${url}: Admin and Sales agents`)
    t.equal(helpdesk.json().code, 900150)
    t.equal((await call(app, await userToken(app, USERS.salesAgent), { url })).statusCode, 200)
  }
})
