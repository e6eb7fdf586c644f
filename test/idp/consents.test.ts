// The identity provider honours application consents: tokens for a customer's tenant go to an app its
// partner consented there (client credentials: AADSTS7000229 otherwise; a partner user's refresh token
// redeemed at the customer's tenant: AADSTS65001), carry the customer's tid and the consented
// permissions, and stop when the consent is deleted. Subtests share one app; each undoes its consents.
import { decodeJwt } from 'jose'
import t from 'tap'
import { DEMO_CLIENT_SECRET, DEMO_PUBLIC_CLIENT, FABRIKAM_PARTNER, TEST_TEST_PARTNER } from '../../src/seed/demo-data.js'
import { build, call, userToken, USERS } from '../helper.js'
import { PageBrowser } from '../support/pages.js'
import { authorizeUrl, REDIRECT_URI, signInThroughPages, tokenRequest } from '../support/sign-in.js'

const app = await build(t)
const admin = await userToken(app, USERS.adminAgent)
const APP = TEST_TEST_PARTNER.app
const [contoso, northwind] = TEST_TEST_PARTNER.customers
const GRAPH = '00000003-0000-0000-c000-000000000000'
const GRAPH_DEFAULT = 'https://graph.microsoft.com/.default'
const errorOf = (res: { statusCode: number, json: () => any }) => ({ status: res.statusCode, ...res.json() })

const consents = (customerId: string) => `/v1/customers/${customerId}/applicationconsents`
async function consent (customerId: string, scope: string) {
  const res = await call(app, admin, {
    method: 'POST', url: consents(customerId),
    payload: { applicationId: APP.id, displayName: 'CPV Web App', applicationGrants: [{ enterpriseApplicationId: GRAPH, scope }] }
  })
  if (res.statusCode !== 201) throw new Error(`consent failed: ${res.statusCode} ${res.body}`)
}
const withdraw = (customerId: string) => call(app, admin, { method: 'DELETE', url: `${consents(customerId)}/${APP.id}` })

const clientCredentials = (authority: string, scope = GRAPH_DEFAULT, secret = DEMO_CLIENT_SECRET) =>
  tokenRequest(app, { grant_type: 'client_credentials', client_id: APP.id, client_secret: secret, scope }, authority)

t.test('client credentials at a customer\'s tenant: only for a consented app, with its roles there', async (t) => {
  t.match(errorOf(await clientCredentials(contoso!.id)), {
    status: 401, error: 'invalid_client', error_codes: [7000229],
    error_description: `AADSTS7000229: The client application ${APP.id} is missing service principal in the tenant ${contoso!.id}.`
  }, 'before the consent')
  t.match(errorOf(await clientCredentials(contoso!.id, GRAPH_DEFAULT, 'wrong')), { status: 401, error_codes: [7000215] }, 'the secret is checked first')

  await consent(contoso!.id, 'User.Read.All,Directory.Read.All')
  const graph = await clientCredentials(contoso!.id)
  t.equal(graph.statusCode, 200)
  const claims = decodeJwt(graph.json().access_token)
  t.match(claims, { tid: contoso!.id, iss: new RegExp(`/${contoso!.id}/v2\\.0$`), aud: 'https://graph.microsoft.com', appid: APP.id, idtyp: 'app', roles: ['User.Read.All', 'Directory.Read.All'] })
  t.notOk('scp' in claims, 'an app-only token has no scp')
  const byDomain = await clientCredentials(contoso!.domain)
  t.match(decodeJwt(byDomain.json().access_token), { tid: contoso!.id }, 'the customer named by its domain')
  const partnerCenter = decodeJwt((await clientCredentials(contoso!.id, 'https://api.partnercenter.microsoft.com/.default')).json().access_token)
  t.notOk('roles' in partnerCenter, 'no grant on the resource: a token without roles, as Entra issues it')
  t.match(errorOf(await clientCredentials(northwind!.id)), { error_codes: [7000229] }, 'another customer, not consented')

  t.equal((await call(app, graph.json().access_token, { url: '/v1.0/tenantRelationships/delegatedAdminRelationships' })).statusCode, 401,
    'a customer tenant\'s token is not a partner\'s: the APIs refuse it')

  t.equal((await withdraw(contoso!.id)).statusCode, 204)
  t.match(errorOf(await clientCredentials(contoso!.id)), { status: 401, error_codes: [7000229] }, 'after the consent is deleted')
})

t.test('client credentials: another partner\'s customer, an unknown tenant, the app\'s own tenant', async (t) => {
  t.match(errorOf(await clientCredentials(FABRIKAM_PARTNER.customers[0]!.id)), { error_codes: [7000229] }, 'no consent there')
  t.match(errorOf(await clientCredentials(crypto.randomUUID())), { status: 400, error_codes: [90002] })
  t.equal((await clientCredentials(TEST_TEST_PARTNER.id)).statusCode, 200, 'its home tenant as before')
  t.match(errorOf(await clientCredentials(FABRIKAM_PARTNER.id)), { error_codes: [700016] }, 'another partner\'s tenant as before')
})

t.test('a public client gets no app-only token, consented or not', async (t) => {
  const res = await call(app, admin, {
    method: 'POST', url: consents(northwind!.id),
    payload: { applicationId: DEMO_PUBLIC_CLIENT.id, displayName: 'CLI', applicationGrants: [{ enterpriseApplicationId: GRAPH, scope: 'User.Read.All' }] }
  })
  t.equal(res.statusCode, 201)
  for (const authority of [northwind!.id, TEST_TEST_PARTNER.id]) {
    const answer = await tokenRequest(app, { grant_type: 'client_credentials', client_id: DEMO_PUBLIC_CLIENT.id, scope: GRAPH_DEFAULT }, authority)
    t.match(errorOf(answer), { status: 401, error: 'invalid_client', error_codes: [7000218] }, authority)
  }
  t.equal((await call(app, admin, { method: 'DELETE', url: `${consents(northwind!.id)}/${DEMO_PUBLIC_CLIENT.id}` })).statusCode, 204)
})

t.test('the customer tenant\'s OpenID metadata names it as issuer', async (t) => {
  const res = await app.inject({ url: `/${contoso!.id}/v2.0/.well-known/openid-configuration` })
  t.equal(res.statusCode, 200)
  t.match(res.json(), { issuer: new RegExp(`/${contoso!.id}/v2\\.0$`), token_endpoint: new RegExp(`/${contoso!.id}/oauth2/v2\\.0/token$`) })
})

t.test('a partner user\'s refresh token at a customer\'s tenant: only for a consented app, with the consented scopes', async (t) => {
  // The Secure Application Model: one sign-in to the partner's confidential app, then its refresh token.
  const url = authorizeUrl(TEST_TEST_PARTNER.id, APP.id, '', { code_challenge: '', code_challenge_method: '' })
  const { location } = await signInThroughPages(new PageBrowser(app), url, { userName: USERS.adminAgent.userPrincipalName })
  const code = location!.searchParams.get('code')!
  const client = { client_id: APP.id, client_secret: DEMO_CLIENT_SECRET }
  let refreshToken: string = (await tokenRequest(app, { grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI, ...client })).json().refresh_token
  const refresh = (authority: string, scope = GRAPH_DEFAULT) => tokenRequest(app, { grant_type: 'refresh_token', refresh_token: refreshToken, scope, ...client }, authority)

  const refused = await refresh(contoso!.id)
  t.match(errorOf(refused), {
    status: 400, error: 'invalid_grant', suberror: 'consent_required', error_codes: [65001],
    error_description: `AADSTS65001: The user or administrator has not consented to use the application with ID '${APP.id}' named '${APP.displayName}'. ` +
      'Send an interactive authorization request for this user and resource.'
  }, 'before the consent')

  await consent(contoso!.id, 'Directory.Read.All,User.Read.All')
  const granted = await refresh(contoso!.id)
  t.equal(granted.statusCode, 200, 'the refused request did not spend the token')
  const tokens = granted.json()
  t.match(decodeJwt(tokens.access_token), {
    tid: contoso!.id, iss: new RegExp(`/${contoso!.id}/v2\\.0$`), aud: 'https://graph.microsoft.com', idtyp: 'user',
    oid: USERS.adminAgent.id, upn: USERS.adminAgent.userPrincipalName, scp: 'Directory.Read.All User.Read.All', amr: ['pwd']
  })
  t.match(tokens, { refresh_token: String, scope: /https:\/\/graph\.microsoft\.com\/Directory\.Read\.All/ })
  refreshToken = tokens.refresh_token

  t.match(errorOf(await refresh(contoso!.id, 'https://graph.microsoft.com/Mail.Read')), { error_codes: [65001] }, 'a permission the consent did not grant')
  t.match(errorOf(await refresh(contoso!.id, 'https://api.partnercenter.microsoft.com/user_impersonation')), { error_codes: [65001] }, 'a resource it granted nothing on')
  const named = await refresh(contoso!.id, 'https://graph.microsoft.com/User.Read.All offline_access')
  t.match(decodeJwt(named.json().access_token), { scp: 'User.Read.All', tid: contoso!.id }, 'a granted permission by name')
  refreshToken = named.json().refresh_token

  const home = await refresh(TEST_TEST_PARTNER.id, 'https://api.partnercenter.microsoft.com/user_impersonation offline_access')
  t.match(decodeJwt(home.json().access_token), { tid: TEST_TEST_PARTNER.id, scp: 'user_impersonation' }, 'the family stays the partner\'s')
  refreshToken = home.json().refresh_token
  t.match(errorOf(await refresh(FABRIKAM_PARTNER.customers[0]!.id)), { error: 'invalid_grant', error_codes: [70000] }, 'another partner\'s customer')

  t.equal((await withdraw(contoso!.id)).statusCode, 204)
  t.match(errorOf(await refresh(contoso!.id)), { error_codes: [65001], suberror: 'consent_required' }, 'after the consent is deleted')
  t.equal((await refresh(TEST_TEST_PARTNER.id)).statusCode, 200, 'the token still serves the partner\'s tenant')
})
