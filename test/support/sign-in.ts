// What the identity provider's tests share: PKCE, the authorization request, the code's redemption,
// and TOTP codes as an authenticator app would compute them (otpauth).
import { createHash, randomBytes } from 'node:crypto'
import type { FastifyInstance } from 'fastify'
import { Secret, TOTP } from 'otpauth'
import { DEMO_PUBLIC_CLIENT, DEMO_USER_PASSWORD } from '../../src/seed/demo-data.js'
import { headingOf, type Landing, type PageBrowser } from './pages.js'

export const REDIRECT_URI = 'http://localhost:51234/callback'
export const PC_SCOPE = 'https://api.partnercenter.microsoft.com/user_impersonation openid profile offline_access'

export function pkce () {
  const verifier = randomBytes(32).toString('base64url')
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') }
}

/** The authorization URL of a code + PKCE request; `extra` adds or overrides parameters ('' leaves one out). */
export function authorizeUrl (authority: string, clientId: string, challenge: string, extra: Record<string, string> = {}): string {
  const query = new URLSearchParams({
    client_id: clientId,
    response_type: 'code',
    redirect_uri: REDIRECT_URI,
    scope: PC_SCOPE,
    state: 'state-1',
    nonce: 'nonce-1',
    code_challenge: challenge,
    code_challenge_method: 'S256',
    ...extra
  })
  for (const [name, value] of Object.entries(extra)) if (value === '') query.delete(name)
  return `/${authority}/oauth2/v2.0/authorize?${query}`
}

/** The token endpoint with a form. */
export function tokenRequest (app: FastifyInstance, fields: Record<string, string>, authority = 'organizations') {
  return app.inject({
    method: 'POST',
    url: `/${authority}/oauth2/v2.0/token`,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams(fields).toString()
  })
}

/** The code an authenticator app shows for a base32 secret, `offsetSteps` periods from now. */
export const totpCode = (secret: string, offsetSteps = 0) =>
  new TOTP({ secret: Secret.fromBase32(secret), digits: 6, period: 30, algorithm: 'SHA1' }).generate({ timestamp: Date.now() + offsetSteps * 30_000 })

/** The secret shown on the registration page ("Can't scan the image?"). */
export const secretOnPage = (html: string) => /<code id="secret">([A-Z2-7]+)<\/code>/.exec(html)?.[1]

export interface SignInAnswers { userName: string, totp?: (html: string) => string }

/** Signs in through the pages, answering each; returns where the browser was sent back and the pages' headings. */
export async function signInThroughPages (browser: PageBrowser, url: string, answers: SignInAnswers) {
  return answerPages(browser, await browser.open(url), answers)
}

/** Enters a device's code on /devicelogin, then signs in there. */
export async function approveDevice (browser: PageBrowser, userCode: string, answers: SignInAnswers) {
  const page = await browser.open('/devicelogin')
  return answerPages(browser, await browser.submit(page.response, { user_code: userCode }), answers)
}

/** Answers the sign-in pages from `landing` on, until the browser leaves the emulator or the device is signed in. */
async function answerPages (browser: PageBrowser, landing: Landing, answers: SignInAnswers) {
  const steps: string[] = []
  for (let i = 0; i < 6 && !landing.location; i++) {
    const html = landing.response.body
    const heading = headingOf(html) ?? ''
    steps.push(heading)
    if (heading === 'Sign in') landing = await browser.submit(landing.response, { username: answers.userName, password: DEMO_USER_PASSWORD })
    else if (/identity provider/.test(heading)) landing = await browser.submit(landing.response, { password: DEMO_USER_PASSWORD, approve: 'yes' })
    else if (heading === 'Enter code' || heading === 'Keep your account secure') landing = await browser.submit(landing.response, { code: answers.totp!(html) })
    else if (heading?.startsWith('Are you trying to sign in to')) landing = await browser.submit(landing.response, { decision: 'continue' })
    else if (heading === 'You have signed in') return { location: undefined, steps }
    else throw new Error(`unexpected page ${heading}: ${html.slice(0, 600)}`)
  }
  return { location: landing.location, steps }
}

/** The code sent back to the redirect URI, redeemed with the PKCE verifier. */
export async function redeemCode (app: FastifyInstance, location: URL | undefined, verifier: string, clientId = DEMO_PUBLIC_CLIENT.id) {
  const res = await tokenRequest(app, {
    grant_type: 'authorization_code', client_id: clientId, code: location?.searchParams.get('code') ?? '', redirect_uri: REDIRECT_URI, code_verifier: verifier, client_info: '1'
  })
  if (res.statusCode !== 200) throw new Error(`token: ${res.statusCode} ${res.body}`)
  return res.json()
}
