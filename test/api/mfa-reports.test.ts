// The MFA reports read what the auth hook journaled: compliant and non-compliant app+user requests.
// Subtests share one app and its journal; each makes the requests it reads back, and only the first
// calls without MFA (it lists the callers who did).
import t from 'tap'
import { build, call, mint, OTHER_PARTNER, PARTNER, userToken, USERS } from '../helper.js'

const app = await build(t)
const security = await userToken(app, USERS.securityAdmin)

t.test('requests with and without MFA show up in all three reports', async (t) => {
  const withMfa = await userToken(app, USERS.salesAgent)
  const withoutMfa = await userToken(app, USERS.helpdeskAgent, { amr: ['pwd'] })
  await call(app, withMfa, { url: '/v1/customers', headers: { 'ms-requestid': 'mfa-report-ok', 'ms-correlationid': 'corr-ok' } })
  const refused = await call(app, withoutMfa, { url: '/v1/customers', headers: { 'ms-requestid': 'mfa-report-refused' } })
  t.equal(refused.statusCode, 401)
  await call(app, await mint(app), { url: '/v1/customers', headers: { 'ms-requestid': 'mfa-report-app-only' } })

  const requests = (await call(app, security, { url: '/v1/partnerRequests' })).json()
  const byId = (id: string) => requests.items.find((r: { requestId: string }) => r.requestId === id)
  t.match(byId('mfa-report-ok'), {
    correlationId: 'corr-ok', operationName: 'Get /v{version}/customers', objectId: USERS.salesAgent.id, tenantId: PARTNER.id,
    upn: /^Salesagent/, applicationId: PARTNER.app.id, mfaCompliant: true, requestDateTime: /Z$/, sourceIpAddress: /./
  })
  t.match(byId('mfa-report-refused'), { objectId: USERS.helpdeskAgent.id, mfaCompliant: false })
  t.notOk(byId('mfa-report-app-only'), 'app-only requests are not users\' requests')

  const principals = (await call(app, security, { url: '/v1/nonMfaCompliantPartnerPrincipals' })).json()
  t.same(principals.items.map((p: { objectId: string }) => p.objectId), [USERS.helpdeskAgent.id])
  t.match(principals.items[0], { tenantId: PARTNER.id, upn: /^Helpdeskagent/, lastNonMfaCompliantRequestDateTime: /Z$/ })

  const adoption = await call(app, security, { url: '/v1/applicationmfaadoptionstatus' })
  t.equal(adoption.statusCode, 200)
  const today = adoption.json().find((a: { applicationId: string }) => a.applicationId === PARTNER.app.id)
  t.match(today, { loginDate: new Date().toISOString().slice(0, 10), applicationName: PARTNER.app.displayName })
  t.ok(today.totalRequestCount > today.mfaCompliantRequestCount, 'the refused request counts as a request without MFA')
  t.equal((await call(app, security, { url: '/v1/applicationmfaadoptionstatus?startDate=2001-01-01&endDate=2001-01-02' })).json().length, 0)
  t.equal((await call(app, security, { url: '/v1/applicationmfaadoptionstatus?startDate=nonsense' })).statusCode, 400)
})

t.test('app+user only, for the roles that look after security, and per partner', async (t) => {
  t.equal((await call(app, await mint(app), { url: '/v1/partnerRequests' })).json().code, 2032)
  t.equal((await call(app, await userToken(app, USERS.salesAgent), { url: '/v1/partnerRequests' })).statusCode, 403)
  const theirs = await userToken(app, USERS.otherAdminAgent, { tenantId: OTHER_PARTNER.id })
  const items = (await call(app, theirs, { url: '/v1/partnerRequests' })).json().items
  t.ok(items.every((r: { tenantId: string }) => r.tenantId === OTHER_PARTNER.id), 'never another partner\'s requests')
})
