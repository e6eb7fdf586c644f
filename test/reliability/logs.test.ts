// The log keeps no secret: the app runs at LOG_LEVEL=trace with its production logger, through every
// way a credential reaches it (bearer tokens, client secrets in the form and in HTTP Basic, passwords
// on the pages and in the password grant, codes, refresh tokens, device codes, tokens put in the URL,
// the control plane's password reset and TOTP secret), and the captured log is searched for each.
import { PassThrough } from 'node:stream'
import t from 'tap'
import { buildApp } from '../../src/app.js'
import { testableConfig } from '../../src/config.js'
import { CONTOSO_PARTNER, DEMO_CLIENT_SECRET, DEMO_PUBLIC_CLIENT, DEMO_TOTP_SECRET, DEMO_USER_PASSWORD, TEST_TEST_PARTNER } from '../../src/seed/demo-data.js'
import { call, freshDatabaseUrl, USERS } from '../helper.js'
import { PageBrowser } from '../support/pages.js'
import { approveDevice, authorizeUrl, pkce, redeemCode, signInThroughPages, tokenRequest, totpCode } from '../support/sign-in.js'

t.test('no token, secret, password or code reaches the log', async (t) => {
  const stream = new PassThrough()
  let log = ''
  stream.on('data', (chunk) => { log += chunk })
  const app = await buildApp(testableConfig({ PGLITE_DATA_DIR: 'memory://', DATABASE_URL: await freshDatabaseUrl(t), LOG_LEVEL: 'trace' }), { logStream: stream })
  t.teardown(() => app.close())
  await app.ready()
  const secrets: string[] = [DEMO_CLIENT_SECRET, DEMO_USER_PASSWORD, DEMO_TOTP_SECRET]

  const minted = (await app.inject({ method: 'POST', url: '/_emulator/tokens', payload: { tenantId: TEST_TEST_PARTNER.id, userId: USERS.adminAgent.id } })).json().access_token as string
  secrets.push(minted)
  await call(app, minted, { url: '/v1/customers' })
  await call(app, minted, { url: `/v1/customers?access_token=${minted}` })
  await app.inject({ url: `/v1/customers?access_token=${minted}&code=abc-secret-code` })
  await call(app, minted, { url: '/v1/customers/not-a-guid' })
  await call(app, `${minted}x`, { url: '/v1/customers' })

  const appOnly = await tokenRequest(app, { grant_type: 'client_credentials', client_id: TEST_TEST_PARTNER.app.id, client_secret: DEMO_CLIENT_SECRET, scope: 'https://api.partnercenter.microsoft.com/.default' }, TEST_TEST_PARTNER.id)
  secrets.push(appOnly.json().access_token)
  const basic = await app.inject({
    method: 'POST', url: `/${TEST_TEST_PARTNER.id}/oauth2/v2.0/token`,
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`${TEST_TEST_PARTNER.app.id}:${DEMO_CLIENT_SECRET}`).toString('base64')}` },
    payload: 'grant_type=client_credentials&scope=https%3A%2F%2Fapi.partnercenter.microsoft.com%2F.default'
  })
  secrets.push(basic.json().access_token)
  await tokenRequest(app, { grant_type: 'password', client_id: DEMO_PUBLIC_CLIENT.id, username: USERS.adminAgent.userPrincipalName, password: 'Wr0ng-password-x', scope: 'https://api.partnercenter.microsoft.com/.default' })
  secrets.push('Wr0ng-password-x')

  const browser = new PageBrowser(app)
  const { verifier, challenge } = pkce()
  const { location } = await signInThroughPages(browser, authorizeUrl(CONTOSO_PARTNER.id, DEMO_PUBLIC_CLIENT.id, challenge), {
    userName: CONTOSO_PARTNER.users[0]!.userPrincipalName, totp: () => totpCode(DEMO_TOTP_SECRET)
  })
  secrets.push(location!.searchParams.get('code')!, verifier, ...browser.cookies.values())
  const tokens = await redeemCode(app, location, verifier)
  secrets.push(tokens.access_token, tokens.refresh_token, tokens.id_token)
  const refreshed = (await tokenRequest(app, { grant_type: 'refresh_token', client_id: DEMO_PUBLIC_CLIENT.id, refresh_token: tokens.refresh_token })).json()
  secrets.push(refreshed.access_token, refreshed.refresh_token)
  await tokenRequest(app, { grant_type: 'refresh_token', client_id: DEMO_PUBLIC_CLIENT.id, refresh_token: tokens.refresh_token })

  const device = (await app.inject({
    method: 'POST', url: '/organizations/oauth2/v2.0/devicecode', headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ client_id: DEMO_PUBLIC_CLIENT.id, scope: 'https://api.partnercenter.microsoft.com/user_impersonation' }).toString()
  })).json()
  secrets.push(device.device_code)
  await approveDevice(new PageBrowser(app), device.user_code, { userName: USERS.salesAgent.userPrincipalName })
  secrets.push((await tokenRequest(app, { grant_type: 'device_code', client_id: DEMO_PUBLIC_CLIENT.id, device_code: device.device_code })).json().access_token)

  await app.inject({ method: 'PUT', url: `/_emulator/tenants/${TEST_TEST_PARTNER.id}/users/${USERS.noRole.id}/password`, payload: { password: 'N3w-secret-passw0rd' } })
  secrets.push('N3w-secret-passw0rd')

  await new Promise((resolve) => setImmediate(resolve))
  t.ok(log.split('\n').length > 30, `the log was written (${log.split('\n').length} lines)`)
  t.match(log, /incoming request/, 'requests are logged')
  for (const secret of secrets.filter(Boolean)) {
    // A JWT's signature alone would do as much harm as the token.
    const needles = secret.split('.').length === 3 ? [secret, secret.split('.')[2]!] : [secret]
    for (const needle of needles) t.notOk(log.includes(needle), `not in the log: ${needle.slice(0, 12)}…`)
  }
  t.match(log, /access_token=\[Redacted\]/, 'a token put in the URL is redacted')
})
