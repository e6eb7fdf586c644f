// The documentation's four examples in a real browser: Debian's Chromium driven by playwright-core
// walks the sign-in pages over HTTPS (the server certificate the development CA signed, pinned by its
// key), registers an authenticator by reading the secret off the page, and brings the code back to a
// loopback listener, as a native client does. Each token then meets /v1/customers and Graph's GDAP
// routes: 200, or the documented 401 where its amr has no "mfa".
// Without Chromium (CHROMIUM_PATH, default /usr/bin/chromium) the file is skipped; .ci/run installs it.
import { createHash, X509Certificate } from 'node:crypto'
import { access, readFile } from 'node:fs/promises'
import { createServer, type Server } from 'node:http'
import path from 'node:path'
import { decodeJwt } from 'jose'
import { chromium, type Browser, type Page } from 'playwright-core'
import t, { type Test } from 'tap'
import { CONTOSO_PARTNER, DEMO_PUBLIC_CLIENT, DEMO_TOTP_SECRET, DEMO_USER_PASSWORD, FABRIKAM_PARTNER, WINGTIP_PARTNER } from '../../src/seed/demo-data.js'
import { build, call } from '../helper.js'
import { freePort } from '../support/ports.js'
import { pkce, tokenRequest, totpCode } from '../support/sign-in.js'

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
const PC = 'https://api.partnercenter.microsoft.com'
const GDAP = '/v1.0/tenantRelationships/delegatedAdminRelationships'

if (!await access(CHROMIUM).then(() => true, () => false)) {
  t.test('the four examples in Chromium', { skip: `Chromium not found at ${CHROMIUM}: apt-get install -y chromium (or set CHROMIUM_PATH)` }, async () => {})
} else {
  await browserChecks()
}

/** A native client's loopback listener: the authorization response lands here. */
async function loopback (t: Test): Promise<{ redirectUri: string, next: () => Promise<URL> }> {
  const waiting: Array<(url: URL) => void> = []
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url!, 'http://127.0.0.1')
    if (url.pathname !== '/callback') return res.writeHead(404).end() // the browser's favicon.ico
    res.writeHead(200, { 'content-type': 'text/html' }).end('<h1>Signed in. You may close this window.</h1>')
    waiting.shift()?.(url)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.teardown(() => new Promise((resolve) => server.close(resolve)))
  const { port } = server.address() as { port: number }
  return { redirectUri: `http://127.0.0.1:${port}/callback`, next: () => new Promise((resolve) => waiting.push(resolve)) }
}

async function browserChecks () {
  const dir = t.testdir()
  const port = await freePort()
  const server = await build(t, { TLS: 'on', TLS_DIR: dir, PORT: port, PUBLIC_BASE_URL: `https://localhost:${port}` })
  await server.listen({ port, host: 'localhost' })
  const base = `https://localhost:${port}`

  // Chromium trusts exactly this server key (its SPKI hash), nothing broader.
  const certificate = new X509Certificate(await readFile(path.join(dir, 'server.pem')))
  const spki = createHash('sha256').update(certificate.publicKey.export({ type: 'spki', format: 'der' })).digest('base64')
  const browser: Browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', `--ignore-certificate-errors-spki-list=${spki}`]
  })
  t.teardown(() => browser.close())
  const callback = await loopback(t)

  /** Opens the authorization request in `page`; returns the verifier and the promise of the code's landing. */
  async function authorize (page: Page, tenant: string, extra: Record<string, string> = {}) {
    const { verifier, challenge } = pkce()
    const query = new URLSearchParams({
      client_id: DEMO_PUBLIC_CLIENT.id, response_type: 'code', redirect_uri: callback.redirectUri, state: 'browser',
      scope: `${PC}/user_impersonation openid offline_access`, code_challenge: challenge, code_challenge_method: 'S256', ...extra
    })
    const landed = callback.next()
    await page.goto(`${base}/${tenant}/oauth2/v2.0/authorize?${query}`)
    return { verifier, landed }
  }
  async function passwordPage (page: Page, userName: string) {
    await page.fill('#username', userName)
    await page.fill('#password', DEMO_USER_PASSWORD)
    await page.click('button[type=submit]')
  }
  async function redeem (landed: Promise<URL>, verifier: string, redirectUri = callback.redirectUri) {
    const url = await landed
    const res = await tokenRequest(server, { grant_type: 'authorization_code', client_id: DEMO_PUBLIC_CLIENT.id, code: url.searchParams.get('code')!, redirect_uri: redirectUri, code_verifier: verifier })
    return res.json() as { access_token: string, refresh_token: string }
  }
  /** The same sign-in's token for Graph, through the refresh token. */
  async function graphToken (refreshToken: string) {
    const res = await tokenRequest(server, { grant_type: 'refresh_token', client_id: DEMO_PUBLIC_CLIENT.id, refresh_token: refreshToken, scope: 'https://graph.microsoft.com/DelegatedAdminRelationship.ReadWrite.All' })
    return res.json().access_token as string
  }
  async function apisAnswer (t: Test, tokens: { access_token: string, refresh_token: string }, status: 200 | 401) {
    const partnerCenter = await call(server, tokens.access_token, { url: '/v1/customers' })
    t.equal(partnerCenter.statusCode, status, `/v1/customers: ${status}`)
    if (status === 401) {
      t.equal(partnerCenter.statusMessage, 'Unauthorized - MFA required')
      t.equal(partnerCenter.headers['www-authenticate'], 'Bearer error="invalid_token"')
    }
    t.equal((await call(server, await graphToken(tokens.refresh_token), { url: GDAP })).statusCode, status, `Graph GDAP: ${status}`)
  }

  t.test('example 1: Consuela at Contoso signs in and verifies with her authenticator', async (t) => {
    await server.inject({ method: 'PUT', url: `/_emulator/tenants/${CONTOSO_PARTNER.id}/users/${CONTOSO_PARTNER.users[0]!.id}/mfaRegistration`, payload: { secret: DEMO_TOTP_SECRET } })
    const page = await (await browser.newContext()).newPage()
    const { verifier, landed } = await authorize(page, CONTOSO_PARTNER.domain)
    t.equal(await page.textContent('h1'), 'Sign in')
    await passwordPage(page, CONTOSO_PARTNER.users[0]!.userPrincipalName)
    t.equal(await page.textContent('h1'), 'Enter code')
    await page.fill('#code', totpCode(DEMO_TOTP_SECRET))
    await page.click('button[type=submit]')
    const tokens = await redeem(landed, verifier)
    t.same(decodeJwt(tokens.access_token).amr, ['pwd', 'mfa'])
    await apisAnswer(t, tokens, 200)
    await page.context().close()
  })

  t.test('example 2: Prashob at Wingtip is sent to his federated provider, which does the MFA', async (t) => {
    const page = await (await browser.newContext()).newPage()
    const { verifier, landed } = await authorize(page, 'organizations')
    await passwordPage(page, WINGTIP_PARTNER.users[0]!.userPrincipalName)
    t.match(await page.textContent('h1'), /identity provider/)
    await page.fill('#password', DEMO_USER_PASSWORD)
    await page.check('input[name=approve]')
    await page.click('button[type=submit]')
    const tokens = await redeem(landed, verifier)
    t.same(decodeJwt(tokens.access_token).amr, ['fed', 'mfa'])
    await apisAnswer(t, tokens, 200)
    await page.context().close()
  })

  t.test('example 3: John at Fabrikam, no MFA at sign-in; registration at the first step-up, verification after', async (t) => {
    const john = FABRIKAM_PARTNER.users.find((u) => u.displayName === 'John')!
    await server.inject({ method: 'DELETE', url: `/_emulator/tenants/${FABRIKAM_PARTNER.id}/users/${john.id}/mfaRegistration` })
    const context = await browser.newContext()
    const page = await context.newPage()
    const plain = await authorize(page, FABRIKAM_PARTNER.id)
    await passwordPage(page, john.userPrincipalName)
    const plainTokens = await redeem(plain.landed, plain.verifier)
    t.same(decodeJwt(plainTokens.access_token).amr, ['pwd'], 'no MFA prompt')
    await apisAnswer(t, plainTokens, 401)

    const stepUp = await authorize(page, FABRIKAM_PARTNER.id, { claims: JSON.stringify({ access_token: { amr: { essential: true, values: ['mfa'] } } }) })
    t.equal(await page.textContent('h1'), 'Keep your account secure', 'the signed-in session goes straight to registration')
    t.ok(await page.isVisible('svg'), 'a QR code')
    const secret = (await page.textContent('#secret'))!.trim()
    await page.fill('#code', totpCode(secret))
    await page.click('button[type=submit]')
    const mfaTokens = await redeem(stepUp.landed, stepUp.verifier)
    t.same(decodeJwt(mfaTokens.access_token).amr, ['pwd', 'mfa'])
    await apisAnswer(t, mfaTokens, 200)
    await context.close()

    const nextDay = await (await browser.newContext()).newPage()
    const again = await authorize(nextDay, FABRIKAM_PARTNER.id, { acr_values: 'mfa' })
    await passwordPage(nextDay, john.userPrincipalName)
    t.equal(await nextDay.textContent('h1'), 'Enter code', 'registered: only the verification')
    await nextDay.fill('#code', totpCode(secret, 1))
    await nextDay.click('button[type=submit]')
    t.same(decodeJwt((await redeem(again.landed, again.verifier)).access_token).amr, ['pwd', 'mfa'])
    await nextDay.context().close()
  })

  t.test('example 4: Trent at Wingtip signs in at a provider whose MFA Entra does not accept: 401 MFA required', async (t) => {
    const page = await (await browser.newContext()).newPage()
    const { verifier, landed } = await authorize(page, 'organizations')
    await passwordPage(page, WINGTIP_PARTNER.users[1]!.userPrincipalName)
    await page.fill('#password', DEMO_USER_PASSWORD)
    await page.check('input[name=approve]')
    await page.click('button[type=submit]')
    const tokens = await redeem(landed, verifier)
    t.same(decodeJwt(tokens.access_token).amr, ['fed'])
    await apisAnswer(t, tokens, 401)
    await page.context().close()
  })
}
