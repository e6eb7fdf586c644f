// The token endpoint's grants beyond the pages: the authorization code's checks, refresh tokens
// (rotation, reuse, 90 days unused on the emulator clock, password reset, revocation, step-up), the
// device code flow, and the password grant where MFA is required.
// Subtests share one app; each signs in its own user or undoes what it changes (the clock last).
import { decodeJwt } from 'jose'
import t from 'tap'
import {
  CONTOSO_PARTNER, DEMO_CLIENT_SECRET, DEMO_PUBLIC_CLIENT, DEMO_TOTP_SECRET, DEMO_USER_PASSWORD, FABRIKAM_PARTNER, TEST_TEST_PARTNER, WINGTIP_PARTNER
} from '../../src/seed/demo-data.js'
import { build, call, USERS } from '../helper.js'
import { headingOf, PageBrowser } from '../support/pages.js'
import { approveDevice, authorizeUrl, pkce, redeemCode, REDIRECT_URI, signInThroughPages, tokenRequest, totpCode } from '../support/sign-in.js'

const app = await build(t)
const CONSUELA = CONTOSO_PARTNER.users[0]!
const JOHN = FABRIKAM_PARTNER.users.find((u) => u.displayName === 'John')!
const ADMIN = USERS.adminAgent

/** Tokens for a user signed in through the pages (with MFA where the tenant or `extra` asks for it). */
async function signedIn (authority: string, userName: string, extra: Record<string, string> = {}) {
  const { verifier, challenge } = pkce()
  const { location } = await signInThroughPages(new PageBrowser(app), authorizeUrl(authority, DEMO_PUBLIC_CLIENT.id, challenge, extra), {
    userName, totp: () => totpCode(DEMO_TOTP_SECRET)
  })
  return { location, verifier }
}
const refresh = (refreshToken: string, extra: Record<string, string> = {}) =>
  tokenRequest(app, { grant_type: 'refresh_token', client_id: DEMO_PUBLIC_CLIENT.id, refresh_token: refreshToken, ...extra })
const errorOf = (res: { statusCode: number, json: () => any }) => ({ status: res.statusCode, ...res.json() })

t.test('an authorization code is redeemed once, by its client, to its redirect URI, with its PKCE verifier', async (t) => {
  const { location, verifier } = await signedIn(TEST_TEST_PARTNER.id, ADMIN.userPrincipalName)
  const code = location!.searchParams.get('code')!
  const base = { grant_type: 'authorization_code', client_id: DEMO_PUBLIC_CLIENT.id, code, redirect_uri: REDIRECT_URI }
  t.match(errorOf(await tokenRequest(app, base)), { status: 400, error: 'invalid_request', error_codes: [9002325] }, 'no verifier')
  t.match(errorOf(await tokenRequest(app, { ...base, code_verifier: pkce().verifier })), { status: 400, error: 'invalid_grant', error_codes: [50148] })
  t.match(errorOf(await tokenRequest(app, { ...base, code_verifier: verifier, redirect_uri: 'http://localhost:1/other' })), { error: 'invalid_grant', error_codes: [70000] })
  t.match(errorOf(await tokenRequest(app, { ...base, code_verifier: verifier, client_id: TEST_TEST_PARTNER.app.id, client_secret: DEMO_CLIENT_SECRET })),
    { error: 'invalid_grant' }, 'another client')
  const tokens = (await tokenRequest(app, { ...base, code_verifier: verifier })).json()
  t.match(tokens, { token_type: 'Bearer', expires_in: 3599, scope: /user_impersonation openid profile offline_access/ })
  t.match(decodeJwt(tokens.access_token), { amr: ['pwd'], acr: '1', ipaddr: String, scp: 'user_impersonation', ver: '1.0' }, 'Test Test Partner asks for MFA only on request')
  t.match(errorOf(await tokenRequest(app, { ...base, code_verifier: verifier })), { error: 'invalid_grant', error_codes: [54005] }, 'twice')
})

t.test('codes: redeemed once under concurrency, only under their tenant; a code coming back revokes what it gave', async (t) => {
  const { location, verifier } = await signedIn(TEST_TEST_PARTNER.id, USERS.globalAdmin.userPrincipalName)
  const fields = { grant_type: 'authorization_code', client_id: DEMO_PUBLIC_CLIENT.id, code: location!.searchParams.get('code')!, redirect_uri: REDIRECT_URI, code_verifier: verifier }
  t.match(errorOf(await tokenRequest(app, fields, CONTOSO_PARTNER.id)), { error: 'invalid_grant', error_description: /issued for another tenant/ })
  const answers = await Promise.all([tokenRequest(app, fields), tokenRequest(app, fields), tokenRequest(app, fields)])
  t.same(answers.map((a) => a.statusCode).sort(), [200, 400, 400], 'one redemption wins')
  const tokens = answers.find((a) => a.statusCode === 200)!.json()
  t.match(errorOf(await refresh(tokens.refresh_token)), { error: 'invalid_grant', error_codes: [50173] }, 'the refresh token of the first redemption is revoked')
  const other = await tokenRequest(app, { grant_type: 'refresh_token', client_id: TEST_TEST_PARTNER.app.id, client_secret: DEMO_CLIENT_SECRET, refresh_token: tokens.refresh_token })
  t.match(errorOf(other), { error: 'invalid_grant' }, 'another client cannot redeem it either')
})

t.test('an app serves its own tenant; a confidential client always proves itself', async (t) => {
  const crossTenant = await tokenRequest(app, {
    grant_type: 'client_credentials', client_id: TEST_TEST_PARTNER.app.id, client_secret: DEMO_CLIENT_SECRET, scope: 'https://api.partnercenter.microsoft.com/.default'
  }, FABRIKAM_PARTNER.id)
  t.match(errorOf(crossTenant), { status: 400, error: 'unauthorized_client', error_codes: [700016] }, 'no token for another partner\'s tenant')
  const noSecret = await tokenRequest(app, {
    grant_type: 'password', client_id: TEST_TEST_PARTNER.app.id, username: ADMIN.userPrincipalName, password: DEMO_USER_PASSWORD, scope: 'https://api.partnercenter.microsoft.com/.default'
  }, TEST_TEST_PARTNER.id)
  t.match(errorOf(noSecret), { status: 401, error: 'invalid_client', error_codes: [7000218] })
  const badClaims = await tokenRequest(app, { grant_type: 'refresh_token', client_id: DEMO_PUBLIC_CLIENT.id, refresh_token: 'x', claims: '[1' })
  t.match(errorOf(badClaims), { error: 'invalid_request', error_description: /'claims' is malformed/ })
})

t.test('a confidential client redeems its code with its secret; PKCE is optional for it', async (t) => {
  const browser = new PageBrowser(app)
  const url = authorizeUrl(TEST_TEST_PARTNER.id, TEST_TEST_PARTNER.app.id, '', { code_challenge: '', code_challenge_method: '' })
  const { location } = await signInThroughPages(browser, url, { userName: ADMIN.userPrincipalName })
  const base = { grant_type: 'authorization_code', client_id: TEST_TEST_PARTNER.app.id, code: location!.searchParams.get('code')!, redirect_uri: REDIRECT_URI }
  t.match(errorOf(await tokenRequest(app, base)), { status: 401, error: 'invalid_client', error_codes: [7000218] })
  const tokens = (await tokenRequest(app, { ...base, client_secret: DEMO_CLIENT_SECRET })).json()
  t.match(decodeJwt(tokens.access_token), { appid: TEST_TEST_PARTNER.app.id, appidacr: '1' })
})

t.test('refresh tokens rotate, keep the sign-in\'s amr and auth_time, and a reused one revokes its family', async (t) => {
  const { location, verifier } = await signedIn(CONTOSO_PARTNER.id, CONSUELA.userPrincipalName)
  const first = await redeemCode(app, location, verifier)
  const signInClaims = decodeJwt(first.access_token)
  const second = (await refresh(first.refresh_token)).json()
  t.not(second.refresh_token, first.refresh_token, 'a new refresh token')
  const refreshed = decodeJwt(second.access_token)
  t.same(refreshed.amr, ['pwd', 'mfa'], 'the MFA of the sign-in')
  t.equal(refreshed.auth_time, signInClaims.auth_time)
  t.equal((await call(app, second.access_token, { url: '/v1/customers' })).statusCode, 200)
  const graph = (await refresh(second.refresh_token, { scope: 'https://graph.microsoft.com/DelegatedAdminRelationship.ReadWrite.All' })).json()
  t.match(decodeJwt(graph.access_token), { aud: 'https://graph.microsoft.com', scp: 'DelegatedAdminRelationship.ReadWrite.All', amr: ['pwd', 'mfa'] }, 'another resource from the same sign-in')

  t.match(errorOf(await refresh(first.refresh_token)), { status: 400, error: 'invalid_grant', suberror: 'bad_token' }, 'the spent one, again')
  t.match(errorOf(await refresh(graph.refresh_token)), { error: 'invalid_grant', error_codes: [50173] }, 'its family is revoked')
})

t.test('a refresh token asked for MFA its sign-in did not do is refused with interaction_required', async (t) => {
  const { location, verifier } = await signedIn(TEST_TEST_PARTNER.id, USERS.salesAgent.userPrincipalName)
  const tokens = await redeemCode(app, location, verifier)
  const refused = await refresh(tokens.refresh_token, { claims: JSON.stringify({ access_token: { amr: { values: ['mfa'] } } }) })
  t.match(errorOf(refused), { status: 400, error: 'interaction_required', error_codes: [50076], suberror: 'basic_action' })
  t.equal((await refresh(tokens.refresh_token)).statusCode, 200, 'the token is not spent by the refusal')
})

t.test('a password reset and an administrator\'s revoke end every refresh token and session of the user', async (t) => {
  const user = USERS.helpdeskAgent
  const a = await redeemCode(app, ...Object.values(await signedIn(TEST_TEST_PARTNER.id, user.userPrincipalName)) as [URL, string])
  const revoked = await app.inject({ method: 'POST', url: `/_emulator/tenants/${TEST_TEST_PARTNER.id}/users/${user.id}/revokeSignInSessions` })
  t.match(revoked.json(), { refreshTokensRevoked: 1, sessionsEnded: 1 })
  t.match(errorOf(await refresh(a.refresh_token)), { error: 'invalid_grant', error_codes: [50173] })

  const b = await redeemCode(app, ...Object.values(await signedIn(TEST_TEST_PARTNER.id, user.userPrincipalName)) as [URL, string])
  const reset = await app.inject({ method: 'PUT', url: `/_emulator/tenants/${TEST_TEST_PARTNER.id}/users/${user.id}/password`, payload: { password: 'N3w-passw0rd!' } })
  t.equal(reset.statusCode, 204)
  t.match(errorOf(await refresh(b.refresh_token)), { error: 'invalid_grant', error_codes: [50173] })
  const oldPassword = await tokenRequest(app, { grant_type: 'password', client_id: TEST_TEST_PARTNER.app.id, client_secret: DEMO_CLIENT_SECRET, username: user.userPrincipalName, password: DEMO_USER_PASSWORD, scope: 'https://api.partnercenter.microsoft.com/.default' }, TEST_TEST_PARTNER.id)
  t.match(errorOf(oldPassword), { error: 'invalid_grant', error_codes: [50126] })
  await app.inject({ method: 'PUT', url: `/_emulator/tenants/${TEST_TEST_PARTNER.id}/users/${user.id}/password`, payload: { password: DEMO_USER_PASSWORD } })
  const federated = await app.inject({ method: 'PUT', url: `/_emulator/tenants/${WINGTIP_PARTNER.id}/users/${WINGTIP_PARTNER.users[0]!.id}/password`, payload: { password: 'N3w-passw0rd!' } })
  t.equal(federated.statusCode, 400, 'a federated user\'s password lives with the provider')
})

/** A device authorization request of the public client. */
async function startDevice (authority: string) {
  const res = await app.inject({
    method: 'POST', url: `/${authority}/oauth2/v2.0/devicecode`, headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ client_id: DEMO_PUBLIC_CLIENT.id, scope: 'https://api.partnercenter.microsoft.com/user_impersonation offline_access' }).toString()
  })
  return { status: res.statusCode, device: res.json() }
}
const pollDevice = (deviceCode: string, authority: string) =>
  tokenRequest(app, { grant_type: 'urn:ietf:params:oauth:grant-type:device_code', client_id: DEMO_PUBLIC_CLIENT.id, device_code: deviceCode }, authority)

t.test('the device code flow: pending until the user confirms the app and signs in on /devicelogin, then tokens once', async (t) => {
  const { status, device } = await startDevice(FABRIKAM_PARTNER.id)
  t.equal(status, 200)
  t.match(device, { user_code: /^[A-Z2-9]{9}$/, device_code: String, verification_uri: 'http://127.0.0.1:8080/devicelogin', expires_in: 900, interval: 5, message: /devicelogin/ })
  const poll = () => pollDevice(device.device_code, FABRIKAM_PARTNER.id)
  t.match(errorOf(await poll()), { status: 400, error: 'authorization_pending', error_codes: [70016] })

  const browser = new PageBrowser(app)
  const page = await browser.open('/devicelogin')
  const wrong = await browser.submit(page.response, { user_code: 'AAAAAAAAA' })
  t.match(wrong.response.body, /wrong or has expired/)
  const confirm = await browser.submit(wrong.response, { user_code: device.user_code.toLowerCase() })
  t.equal(headingOf(confirm.response.body), 'Are you trying to sign in to Partner Center emulator CLI?', 'RFC 8628 §5.4: the user confirms the app')
  const signInPage = await browser.submit(confirm.response, { decision: 'continue' })

  // The same code entered in a second browser, signed in there by another user, first: the device is theirs, once.
  const other = new PageBrowser(app)
  const otherConfirm = await other.submit((await other.open('/devicelogin')).response, { user_code: device.user_code })
  const otherSignIn = await other.submit(otherConfirm.response, { decision: 'continue' })

  const done = await browser.submit(signInPage.response, { username: JOHN.userPrincipalName, password: DEMO_USER_PASSWORD })
  t.match(done.response.body, /You have signed in to the Partner Center emulator CLI application/)
  t.ok(browser.cookies.get('pce_session'), 'the browser is signed in too')
  const late = await other.submit(otherSignIn.response, { username: USERS.otherAdminAgent.userPrincipalName, password: DEMO_USER_PASSWORD }, /password/)
  t.match(late.response.body, /AADSTS70000: This device code has been used already/, 'a second sign-in for the same device is refused')

  const tokens = (await poll()).json()
  t.match(decodeJwt(tokens.access_token), { tid: FABRIKAM_PARTNER.id, oid: JOHN.id, amr: ['pwd'], aud: 'https://api.partnercenter.microsoft.com' })
  t.type(tokens.refresh_token, 'string')
  t.match(errorOf(await poll()), { error: 'invalid_grant' }, 'redeemed once')
})

t.test('a device the user does not recognize is declined; a device code is redeemed only under its tenant', async (t) => {
  const declined = (await startDevice('organizations')).device
  const browser = new PageBrowser(app)
  const confirm = await browser.submit((await browser.open('/devicelogin')).response, { user_code: declined.user_code })
  const cancelled = await browser.submit(confirm.response, { decision: 'cancel' })
  t.equal(headingOf(cancelled.response.body), 'You cancelled the sign-in')
  t.match(errorOf(await pollDevice(declined.device_code, 'organizations')), { status: 400, error: 'authorization_declined', error_codes: [70002] })

  const approved = (await startDevice('organizations')).device
  await approveDevice(new PageBrowser(app), approved.user_code, { userName: JOHN.userPrincipalName })
  t.match(errorOf(await pollDevice(approved.device_code, CONTOSO_PARTNER.id)), { error: 'invalid_grant', error_description: /issued for another tenant/ })
  t.equal((await pollDevice(approved.device_code, 'organizations')).statusCode, 200)
})

t.test('the password grant proves one factor: refused where MFA is enforced or asked for', async (t) => {
  const form = (userName: string, extra: Record<string, string> = {}) => ({
    grant_type: 'password', client_id: DEMO_PUBLIC_CLIENT.id, username: userName, password: DEMO_USER_PASSWORD, scope: 'https://api.partnercenter.microsoft.com/.default', ...extra
  })
  t.match(errorOf(await tokenRequest(app, form(CONSUELA.userPrincipalName))),
    { status: 400, error: 'interaction_required', error_codes: [50076], suberror: 'basic_action', error_description: /^AADSTS50076: / }, 'Contoso enforces MFA')
  t.match(errorOf(await tokenRequest(app, form(JOHN.userPrincipalName, { amr_values: 'mfa' }))), { error: 'interaction_required' }, 'the app asks for MFA')
  t.match(errorOf(await tokenRequest(app, form(WINGTIP_PARTNER.users[0]!.userPrincipalName))), { error: 'invalid_grant', error_codes: [50126] }, 'a federated user')
  const john = (await tokenRequest(app, form(JOHN.userPrincipalName))).json()
  t.same(decodeJwt(john.access_token).amr, ['pwd'])
})

t.test('metadata lists the endpoints and grants now served', async (t) => {
  const meta = (await app.inject({ url: `/${CONTOSO_PARTNER.domain}/v2.0/.well-known/openid-configuration` })).json()
  t.match(meta, {
    authorization_endpoint: `http://127.0.0.1:8080/${CONTOSO_PARTNER.id}/oauth2/v2.0/authorize`,
    device_authorization_endpoint: `http://127.0.0.1:8080/${CONTOSO_PARTNER.id}/oauth2/v2.0/devicecode`,
    end_session_endpoint: `http://127.0.0.1:8080/${CONTOSO_PARTNER.id}/oauth2/v2.0/logout`,
    response_types_supported: ['code'],
    code_challenge_methods_supported: ['S256', 'plain']
  })
  t.same([...meta.grant_types_supported].sort(), ['authorization_code', 'client_credentials', 'password', 'refresh_token', 'urn:ietf:params:oauth:grant-type:device_code'])
})

t.test('a refresh token unused for 90 days on the emulator clock has expired (AADSTS700082)', async (t) => {
  const { location, verifier } = await signedIn(TEST_TEST_PARTNER.id, USERS.billingAdmin.userPrincipalName)
  const tokens = await redeemCode(app, location, verifier)
  const within = await app.inject({ method: 'PUT', url: '/_emulator/clock', payload: { advanceSeconds: 89 * 86400 } })
  t.equal(within.statusCode, 200)
  const kept = (await refresh(tokens.refresh_token)).json()
  t.type(kept.refresh_token, 'string', 'used within 90 days: a new one')
  await app.inject({ method: 'PUT', url: '/_emulator/clock', payload: { advanceSeconds: 91 * 86400 } })
  t.match(errorOf(await refresh(kept.refresh_token)), { status: 400, error: 'invalid_grant', error_codes: [700082], error_description: /inactive for 90\.00:00:00/ })
})
