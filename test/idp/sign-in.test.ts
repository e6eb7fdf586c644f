// Interactive sign-in through the real pages (inject, a cookie jar, the pages' own forms): the four
// examples of Microsoft's "Mandating MFA for your partner tenant", registration and verification of
// an authenticator, the signed-in session and step-up, and the page errors.
// Subtests run in order and share one app: each uses its own user, or resets what it changes.
import { decodeJwt } from 'jose'
import t from 'tap'
import { CONTOSO_PARTNER, DEMO_CLIENT_SECRET, TEST_TEST_PARTNER, DEMO_PUBLIC_CLIENT, DEMO_TOTP_SECRET, DEMO_USER_PASSWORD, FABRIKAM_PARTNER, WINGTIP_PARTNER } from '../../src/seed/demo-data.js'
import { build, call } from '../helper.js'
import { formOf, headingOf, PageBrowser } from '../support/pages.js'
import { authorizeUrl, pkce, redeemCode, REDIRECT_URI, secretOnPage, signInThroughPages, tokenRequest, totpCode, type SignInAnswers } from '../support/sign-in.js'

const app = await build(t)
const [CONSUELA] = CONTOSO_PARTNER.users as [typeof CONTOSO_PARTNER.users[0]]
const [PRASHOB, TRENT] = WINGTIP_PARTNER.users as [typeof WINGTIP_PARTNER.users[0], typeof WINGTIP_PARTNER.users[0]]
const JOHN = FABRIKAM_PARTNER.users.find((u) => u.displayName === 'John')!

const signIn = (browser: PageBrowser, url: string, answers: SignInAnswers) => signInThroughPages(browser, url, answers)
const redeem = (location: URL | undefined, verifier: string) => redeemCode(app, location, verifier)

const customers = (token: string) => call(app, token, { url: '/v1/customers' })

/** Consuela's authenticator registered afresh (no code used yet), so each subtest may use the current code. */
const freshAuthenticator = () => app.inject({
  method: 'PUT', url: `/_emulator/tenants/${CONTOSO_PARTNER.domain}/users/${CONSUELA.id}/mfaRegistration`, payload: { secret: DEMO_TOTP_SECRET }
})

t.test('example 1, Contoso: managed identities, MFA at every sign-in with a registered authenticator', async (t) => {
  const { verifier, challenge } = pkce()
  const browser = new PageBrowser(app)
  const { location, steps } = await signIn(browser, authorizeUrl('organizations', DEMO_PUBLIC_CLIENT.id, challenge), {
    userName: CONSUELA.userPrincipalName, totp: () => totpCode(DEMO_TOTP_SECRET)
  })
  t.same(steps, ['Sign in', 'Enter code'])
  t.equal(location!.origin + location!.pathname, REDIRECT_URI)
  t.equal(location!.searchParams.get('state'), 'state-1')
  const tokens = await redeem(location, verifier)
  t.match(tokens, { token_type: 'Bearer', access_token: String, id_token: String, refresh_token: String, client_info: String })
  const claims = decodeJwt(tokens.access_token)
  t.match(claims, { tid: CONTOSO_PARTNER.id, oid: CONSUELA.id, upn: CONSUELA.userPrincipalName, appid: DEMO_PUBLIC_CLIENT.id, appidacr: '0', amr: ['pwd', 'mfa'], scp: 'user_impersonation' })
  t.match(decodeJwt(tokens.id_token), { nonce: 'nonce-1', aud: DEMO_PUBLIC_CLIENT.id, tid: CONTOSO_PARTNER.id, preferred_username: CONSUELA.userPrincipalName })
  t.same(JSON.parse(Buffer.from(tokens.client_info, 'base64url').toString()), { uid: CONSUELA.id, utid: CONTOSO_PARTNER.id })
  t.equal((await customers(tokens.access_token)).statusCode, 200, 'an MFA token reaches MFA-protected APIs')
})

t.test('example 2, Wingtip: Prashob signs in at his federated provider, whose MFA Entra accepts', async (t) => {
  const { verifier, challenge } = pkce()
  const { location, steps } = await signIn(new PageBrowser(app), authorizeUrl('organizations', DEMO_PUBLIC_CLIENT.id, challenge), { userName: PRASHOB.userPrincipalName })
  t.same(steps, ['Sign in', 'Wingtippartner identity provider'], 'Entra sends him to his provider, which does its own second factor')
  const tokens = await redeem(location, verifier)
  t.match(decodeJwt(tokens.access_token), { tid: WINGTIP_PARTNER.id, upn: PRASHOB.userPrincipalName, amr: ['fed', 'mfa'] })
  t.equal((await customers(tokens.access_token)).statusCode, 200)
})

t.test('example 4, Wingtip: Trent\'s provider does MFA Entra does not accept; MFA-protected APIs answer 401', async (t) => {
  const { verifier, challenge } = pkce()
  const { location, steps } = await signIn(new PageBrowser(app), authorizeUrl('organizations', DEMO_PUBLIC_CLIENT.id, challenge), { userName: TRENT.userPrincipalName })
  t.same(steps, ['Sign in', 'Wingtippartner identity provider'])
  const tokens = await redeem(location, verifier)
  t.same(decodeJwt(tokens.access_token).amr, ['fed'], 'signed in, but no mfa')
  const refused = await customers(tokens.access_token)
  t.equal(refused.statusCode, 401)
  t.equal(refused.statusMessage, 'Unauthorized - MFA required')
  t.equal(refused.headers['www-authenticate'], 'Bearer error="invalid_token"')
  const gdap = await call(app, tokens.access_token, { url: '/v1.0/tenantRelationships/delegatedAdminRelationships' })
  t.equal(gdap.statusCode, 401, 'nor GDAP')
})

t.test('example 3, Fabrikam: John signs in without MFA; when the app asks for it he registers, then only verifies', async (t) => {
  await app.inject({ method: 'DELETE', url: `/_emulator/tenants/${FABRIKAM_PARTNER.id}/users/${JOHN.id}/mfaRegistration` })
  const browser = new PageBrowser(app)
  const first = pkce()
  const plain = await signIn(browser, authorizeUrl(FABRIKAM_PARTNER.domain, DEMO_PUBLIC_CLIENT.id, first.challenge), { userName: JOHN.userPrincipalName })
  t.same(plain.steps, ['Sign in'], 'no MFA prompt: Fabrikam does not enforce it')
  const plainToken = (await redeem(plain.location, first.verifier)).access_token
  t.same(decodeJwt(plainToken).amr, ['pwd'])
  t.equal((await customers(plainToken)).statusCode, 401, 'the API asks for MFA')

  // The application steps up, as Partner Center's pages do: the signed-in session goes straight to MFA, registration first.
  let secret = ''
  const second = pkce()
  const stepUp = await signIn(browser, authorizeUrl(FABRIKAM_PARTNER.domain, DEMO_PUBLIC_CLIENT.id, second.challenge, { claims: JSON.stringify({ access_token: { amr: { values: ['mfa'] } } }) }), {
    userName: JOHN.userPrincipalName,
    totp: (html) => { secret = secretOnPage(html)!; return totpCode(secret) }
  })
  t.same(stepUp.steps, ['Keep your account secure'], 'registration: the secret as text beside the QR code, confirmed by a first code')
  const mfaToken = (await redeem(stepUp.location, second.verifier)).access_token
  t.same(decodeJwt(mfaToken).amr, ['pwd', 'mfa'])
  t.equal((await customers(mfaToken)).statusCode, 200)

  // Another day: a new browser, a sign-in without MFA, then the step-up asks only for the code.
  const nextDay = new PageBrowser(app)
  await signIn(nextDay, authorizeUrl(FABRIKAM_PARTNER.domain, DEMO_PUBLIC_CLIENT.id, pkce().challenge), { userName: JOHN.userPrincipalName })
  const verify = await signIn(nextDay, authorizeUrl(FABRIKAM_PARTNER.domain, DEMO_PUBLIC_CLIENT.id, pkce().challenge, { amr_values: 'mfa' }), {
    userName: JOHN.userPrincipalName, totp: () => totpCode(secret, 1)
  })
  t.same(verify.steps, ['Enter code'], 'registered: verification only')
  const registration = await app.inject({ url: `/_emulator/tenants/${FABRIKAM_PARTNER.id}/users/${JOHN.userPrincipalName}/mfaRegistration` })
  t.match(registration.json(), { userId: JOHN.id, method: 'totp', secret })
})

t.test('a signed-in session answers the next request without a page, unless prompt=login or max_age asks again', async (t) => {
  await freshAuthenticator()
  const browser = new PageBrowser(app)
  await signIn(browser, authorizeUrl(CONTOSO_PARTNER.id, DEMO_PUBLIC_CLIENT.id, pkce().challenge), {
    userName: CONSUELA.userPrincipalName, totp: () => totpCode(DEMO_TOTP_SECRET)
  })
  const again = await browser.open(authorizeUrl(CONTOSO_PARTNER.id, DEMO_PUBLIC_CLIENT.id, pkce().challenge, { state: 's2' }))
  t.equal(again.location?.searchParams.get('state'), 's2', 'straight back with a code')
  t.ok(again.location?.searchParams.get('code'))
  const login = await browser.open(authorizeUrl(CONTOSO_PARTNER.id, DEMO_PUBLIC_CLIENT.id, pkce().challenge, { prompt: 'login' }))
  t.equal(headingOf(login.response.body), 'Sign in')
  const maxAge = await browser.open(authorizeUrl(CONTOSO_PARTNER.id, DEMO_PUBLIC_CLIENT.id, pkce().challenge, { max_age: '0' }))
  t.equal(headingOf(maxAge.response.body), 'Sign in', 'the sign-in is older than max_age')
  const otherTenant = await browser.open(authorizeUrl(WINGTIP_PARTNER.id, DEMO_PUBLIC_CLIENT.id, pkce().challenge))
  t.equal(headingOf(otherTenant.response.body), 'Sign in', 'the session is Contoso\'s, not Wingtip\'s')
  const silent = await new PageBrowser(app).open(authorizeUrl(CONTOSO_PARTNER.id, DEMO_PUBLIC_CLIENT.id, pkce().challenge, { prompt: 'none' }))
  t.match(Object.fromEntries(silent.location!.searchParams), { error: 'login_required', error_codes: '50058', state: 'state-1' })

  const elsewhere = await browser.open(`/${CONTOSO_PARTNER.id}/oauth2/v2.0/logout?client_id=${DEMO_PUBLIC_CLIENT.id}&post_logout_redirect_uri=${encodeURIComponent('https://evil.example/')}`)
  t.equal(elsewhere.location, undefined, 'never back to a URI the client did not register')
  t.match(elsewhere.response.body, /signed out/)
  const back = await browser.open(`/${CONTOSO_PARTNER.id}/oauth2/v2.0/logout?client_id=${DEMO_PUBLIC_CLIENT.id}&post_logout_redirect_uri=${encodeURIComponent(REDIRECT_URI)}`)
  t.equal(back.location?.href, REDIRECT_URI, 'back to the client')
  const afterLogout = await browser.open(authorizeUrl(CONTOSO_PARTNER.id, DEMO_PUBLIC_CLIENT.id, pkce().challenge))
  t.equal(headingOf(afterLogout.response.body), 'Sign in', 'the session ended')
})

t.test('wrong answers stay on their page with the error; a code is good once', async (t) => {
  await freshAuthenticator()
  const browser = new PageBrowser(app)
  const start = await browser.open(authorizeUrl('organizations', DEMO_PUBLIC_CLIENT.id, pkce().challenge))
  const wrongPassword = await browser.submit(start.response, { username: CONSUELA.userPrincipalName, password: 'nope' })
  t.match(wrongPassword.response.body, /AADSTS50126/)
  const unknownUser = await browser.submit(wrongPassword.response, { username: 'nobody@contosopartner.onmicrosoft.com', password: 'x' })
  t.match(unknownUser.response.body, /AADSTS50034/)
  const mfa = await browser.submit(unknownUser.response, { username: CONSUELA.userPrincipalName, password: DEMO_USER_PASSWORD })
  const wrongCode = await browser.submit(mfa.response, { code: totpCode(DEMO_TOTP_SECRET) === '000000' ? '111111' : '000000' })
  t.match(wrongCode.response.body, /The code is wrong or was used already/)
  const code = totpCode(DEMO_TOTP_SECRET)
  const done = await browser.submit(wrongCode.response, { code })
  t.ok(done.location?.searchParams.get('code'))

  const replayBrowser = new PageBrowser(app)
  const replayStart = await replayBrowser.open(authorizeUrl('organizations', DEMO_PUBLIC_CLIENT.id, pkce().challenge))
  const replayMfa = await replayBrowser.submit(replayStart.response, { username: CONSUELA.userPrincipalName, password: DEMO_USER_PASSWORD })
  const replay = await replayBrowser.submit(replayMfa.response, { code })
  t.match(replay.response.body, /was used already/, 'the same code (the same time step) again is refused')
})

t.test('the pages refuse bad requests in HTML, never a stack or an API envelope', async (t) => {
  const browser = new PageBrowser(app)
  const unknownRedirect = await browser.open(authorizeUrl('organizations', DEMO_PUBLIC_CLIENT.id, pkce().challenge, { redirect_uri: 'https://evil.example/cb' }))
  t.equal(unknownRedirect.response.statusCode, 400)
  t.match(unknownRedirect.response.body, /AADSTS50011/, 'shown on the page, never sent to an unregistered redirect URI')
  t.equal(unknownRedirect.location, undefined)
  const noPkce = await browser.open(authorizeUrl('organizations', DEMO_PUBLIC_CLIENT.id, '', { code_challenge: '', code_challenge_method: '' }))
  t.match(Object.fromEntries(noPkce.location!.searchParams), { error: 'invalid_request', error_description: /^AADSTS9002325/ }, 'a public client must use PKCE')
  const plain = await browser.open(authorizeUrl('organizations', DEMO_PUBLIC_CLIENT.id, pkce().challenge, { code_challenge_method: 'plain' }))
  t.match(plain.location?.searchParams.get('error_description'), /^AADSTS9002325/, 'and S256')
  const shortChallenge = await browser.open(authorizeUrl('organizations', DEMO_PUBLIC_CLIENT.id, 'abc'))
  t.match(shortChallenge.location?.searchParams.get('error_description'), /^AADSTS90014: The parameter 'code_challenge'/, 'RFC 7636: 43 to 128 characters')
  for (const [name, value] of [['max_age', 'soon'], ['claims', '{not json']] as const) {
    const bad = await browser.open(authorizeUrl('organizations', DEMO_PUBLIC_CLIENT.id, pkce().challenge, { [name]: value }))
    t.match(Object.fromEntries(bad.location!.searchParams), { error: 'invalid_request', error_description: new RegExp(`'${name}' is malformed`), state: 'state-1' }, name)
  }
  const hint = await browser.open(authorizeUrl('organizations', DEMO_PUBLIC_CLIENT.id, pkce().challenge, { login_hint: '"><script>alert(1)</script>' }))
  t.notMatch(hint.response.body, /<script>alert/, 'what the request reflects is escaped')
  t.match(hint.response.body, /value="&quot;&gt;&lt;script&gt;alert\(1\)&lt;\/script&gt;"/)
  const wrongTenantApp = await browser.open(authorizeUrl(WINGTIP_PARTNER.id, CONTOSO_PARTNER.app.id, pkce().challenge))
  t.match(wrongTenantApp.response.body, /AADSTS700016/, 'a single-tenant app serves only its own tenant')
  const unknownApp = await browser.open(authorizeUrl('organizations', crypto.randomUUID(), pkce().challenge))
  t.match(unknownApp.response.body, /AADSTS700016/)
  const badScope = await browser.open(authorizeUrl('organizations', DEMO_PUBLIC_CLIENT.id, pkce().challenge, { scope: 'https://example.com/x' }))
  t.equal(badScope.location?.searchParams.get('error'), 'invalid_scope')
  const expired = await browser.open(`/sign-in/${crypto.randomUUID()}`)
  t.equal(expired.response.statusCode, 400)
  t.match(expired.response.body, /AADSTS50089/)

  const page = await browser.open(authorizeUrl('organizations', DEMO_PUBLIC_CLIENT.id, pkce().challenge))
  t.match(page.response.headers['content-security-policy'], /default-src 'none'/)
  t.equal(page.response.headers['cache-control'], 'no-store')
  t.equal(page.response.headers['x-frame-options'], 'DENY')
  const action = /action="([^"]+)"/.exec(page.response.body)![1]!
  const forged = await browser.request('POST', action, new URLSearchParams({ username: CONSUELA.userPrincipalName, password: DEMO_USER_PASSWORD }).toString())
  t.equal(forged.statusCode, 403, 'no CSRF token: refused')
  t.match(forged.headers['content-type'], /text\/html/)
  t.match(forged.body, /AADSTS90015/)
  const missing = await browser.submit(page.response, {}, /password/)
  t.equal(missing.response.statusCode, 400, 'no user name: the form is malformed')
  t.match(missing.response.body, /AADSTS90014/)
  t.notMatch(page.response.body, /<script/, 'no scripts on the pages')
})

t.test('a registered redirect URI, the v1 layout with resource, and response_mode=form_post', async (t) => {
  const app2 = FABRIKAM_PARTNER.app
  const registered = await app.inject({
    method: 'PUT', url: `/_emulator/tenants/${FABRIKAM_PARTNER.id}/apps/${app2.id}/redirectUris`, payload: { redirectUris: ['https://portal.fabrikam.example/signin-oidc'] }
  })
  t.same(registered.json(), { redirectUris: ['https://portal.fabrikam.example/signin-oidc'] })
  const refused = await app.inject({
    method: 'PUT', url: `/_emulator/tenants/${FABRIKAM_PARTNER.id}/apps/${app2.id}/redirectUris`, payload: { redirectUris: ['http://portal.fabrikam.example/cb'] }
  })
  t.equal(refused.statusCode, 400, 'plain http only on the loopback, as Entra requires')

  const browser = new PageBrowser(app)
  const v1 = new URLSearchParams({
    client_id: app2.id, response_type: 'code', redirect_uri: 'https://portal.fabrikam.example/signin-oidc', resource: 'https://api.partnercenter.microsoft.com', state: 'v1'
  })
  const { location } = await signIn(browser, `/${FABRIKAM_PARTNER.domain}/oauth2/authorize?${v1}`, { userName: JOHN.userPrincipalName })
  t.equal(location!.origin + location!.pathname, 'https://portal.fabrikam.example/signin-oidc')
  const tokens = await tokenRequest(app, {
    grant_type: 'authorization_code', client_id: app2.id, client_secret: DEMO_CLIENT_SECRET, code: location!.searchParams.get('code')!,
    redirect_uri: 'https://portal.fabrikam.example/signin-oidc', resource: 'https://api.partnercenter.microsoft.com'
  }, FABRIKAM_PARTNER.id)
  t.match(decodeJwt(tokens.json().access_token), { aud: 'https://api.partnercenter.microsoft.com', appid: app2.id })
  t.type(tokens.json().refresh_token, 'string', 'v1 hands out a refresh token without offline_access')

  const posted = await browser.open(authorizeUrl(FABRIKAM_PARTNER.id, DEMO_PUBLIC_CLIENT.id, pkce().challenge, { response_mode: 'form_post' }))
  t.match(posted.response.body, new RegExp(`<form method="post" action="${REDIRECT_URI}">`), 'the browser posts the answer')
  t.match(posted.response.body, /name="code" value="[^"]+"/)
  t.match(posted.response.headers['content-security-policy'], /script-src 'unsafe-inline'/)
})

t.test('smart lockout: ten wrong passwords or codes in a row lock the account, for the pages and the password grant', async (t) => {
  const user = TEST_TEST_PARTNER.users.find((u) => u.displayName === 'Securityadmin CSP')!
  const browser = new PageBrowser(app)
  let page = (await browser.open(authorizeUrl('organizations', DEMO_PUBLIC_CLIENT.id, pkce().challenge))).response
  for (let i = 0; i < 10; i++) page = (await browser.submit(page, { username: user.userPrincipalName, password: `wrong-${i}` })).response
  const locked = await browser.submit(page, { username: user.userPrincipalName, password: DEMO_USER_PASSWORD })
  t.match(locked.response.body, /AADSTS50053/, 'even the right password, for a minute')
  const grant = await tokenRequest(app, {
    grant_type: 'password', client_id: DEMO_PUBLIC_CLIENT.id, username: user.userPrincipalName, password: DEMO_USER_PASSWORD, scope: 'https://api.partnercenter.microsoft.com/.default'
  })
  t.match(grant.json(), { error: 'invalid_grant', error_codes: [50053] })
})

t.test('the federated provider\'s page is for federated users, the code page for managed ones', async (t) => {
  const browser = new PageBrowser(app)
  const start = await browser.open(authorizeUrl(CONTOSO_PARTNER.id, DEMO_PUBLIC_CLIENT.id, pkce().challenge))
  const mfa = await browser.submit(start.response, { username: CONSUELA.userPrincipalName, password: DEMO_USER_PASSWORD })
  const requestId = /\/sign-in\/([0-9a-f-]{36})\/totp/.exec(mfa.response.body)![1]!
  const csrf = formOf(mfa.response.body).hidden._csrf!
  const federated = await browser.request('POST', `/sign-in/${requestId}/federation`, new URLSearchParams({ _csrf: csrf, password: DEMO_USER_PASSWORD, approve: 'yes' }).toString())
  t.match(federated.body, /AADSTS50089/, 'a managed user cannot get amr "fed" (nor its "mfa") there')
})
