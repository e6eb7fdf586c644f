// Microsoft's and the OpenID Foundation's client libraries, unmodified, over HTTPS with the
// development CA: openid-client (discovery, code + PKCE, refresh, device code), @azure/msal-node
// (client credentials; authorization code, then acquireTokenSilent refreshing; a public client's
// device code) and @azure/identity (ClientSecretCredential). Each token then meets the real API.
// Node reads NODE_EXTRA_CA_CERTS only when it starts, as a user's script does: this file makes the
// CA, then runs its checks in a child process (this same file) that trusts it.
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { ConfidentialClientApplication, InteractionRequiredAuthError, PublicClientApplication } from '@azure/msal-node'
import { ClientSecretCredential } from '@azure/identity'
import { decodeJwt } from 'jose'
import * as client from 'openid-client'
import t from 'tap'
import {
  CONTOSO_PARTNER, DEMO_CLIENT_SECRET, DEMO_PUBLIC_CLIENT, DEMO_TOTP_SECRET, FABRIKAM_PARTNER, TEST_TEST_PARTNER, WINGTIP_PARTNER
} from '../../src/seed/demo-data.js'
import { devCertificates } from '../../src/tls/dev-ca.js'
import { build, USERS } from '../helper.js'
import { PageBrowser } from '../support/pages.js'
import { freePort } from '../support/ports.js'
import { approveDevice, PC_SCOPE, REDIRECT_URI, signInThroughPages, totpCode } from '../support/sign-in.js'

const TLS_DIR = 'PCE_CLIENTS_TLS_DIR'
const PC = 'https://api.partnercenter.microsoft.com'

if (!process.env[TLS_DIR]) {
  const dir = t.testdir()
  await devCertificates(dir, ['localhost', '127.0.0.1'])
  t.spawn(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url)], {
    env: { ...process.env, NODE_EXTRA_CA_CERTS: path.join(dir, 'ca.pem'), [TLS_DIR]: dir }
  }, 'the client libraries, in a process that trusts the development CA')
} else {
  await clientChecks(process.env[TLS_DIR])
}

async function clientChecks (tlsDir: string) {
  const port = await freePort()
  const base = `https://localhost:${port}`
  const app = await build(t, { TLS: 'on', TLS_DIR: tlsDir, PORT: port, PUBLIC_BASE_URL: base })
  await app.listen({ port, host: 'localhost' })
  const consuela = CONTOSO_PARTNER.users[0]!
  const john = FABRIKAM_PARTNER.users.find((u) => u.displayName === 'John')!
  const prashob = WINGTIP_PARTNER.users[0]!
  // Every TOTP code is good once: each sign-in of Consuela's starts from a fresh registration.
  const freshAuthenticator = () => fetch(`${base}/_emulator/tenants/${CONTOSO_PARTNER.id}/users/${consuela.id}/mfaRegistration`, {
    method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ secret: DEMO_TOTP_SECRET })
  })
  const api = async (token: string, url = '/v1/customers') => (await fetch(`${base}${url}`, { headers: { authorization: `Bearer ${token}` } })).status
  const signIn = (url: string, userName: string) => signInThroughPages(new PageBrowser(base), url, { userName, totp: () => totpCode(DEMO_TOTP_SECRET) })
  const deviceSignIn = async (userCode: string, userName: string) => {
    const { steps } = await approveDevice(new PageBrowser(base), userCode, { userName })
    if (steps.at(-1) !== 'You have signed in') throw new Error(`the device sign-in stopped at ${steps.at(-1)}`)
  }

  t.test('openid-client: discovery, code + PKCE with an ID token checked against the JWKS, refresh', async (t) => {
    await freshAuthenticator()
    const config = await client.discovery(new URL(`${base}/${CONTOSO_PARTNER.id}/v2.0`), DEMO_PUBLIC_CLIENT.id, undefined, client.None())
    const verifier = client.randomPKCECodeVerifier()
    const state = client.randomState()
    const nonce = client.randomNonce()
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: REDIRECT_URI, scope: PC_SCOPE, code_challenge: await client.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256', state, nonce
    })
    const { location, steps } = await signIn(url.href, consuela.userPrincipalName)
    t.same(steps, ['Sign in', 'Enter code'])
    const tokens = await client.authorizationCodeGrant(config, location!, { pkceCodeVerifier: verifier, expectedState: state, expectedNonce: nonce })
    t.match(tokens.claims(), { tid: CONTOSO_PARTNER.id, oid: consuela.id, nonce, amr: ['pwd', 'mfa'] }, 'the ID token, verified')
    t.equal(await api(tokens.access_token), 200)
    const refreshed = await client.refreshTokenGrant(config, tokens.refresh_token!)
    t.same(decodeJwt(refreshed.access_token).amr, ['pwd', 'mfa'], 'a refresh keeps the MFA of the sign-in')
    t.not(refreshed.refresh_token, tokens.refresh_token, 'rotated')
    t.equal(await api(refreshed.access_token), 200)
  })

  t.test('openid-client: the device code flow', async (t) => {
    const config = await client.discovery(new URL(`${base}/${FABRIKAM_PARTNER.id}/v2.0`), DEMO_PUBLIC_CLIENT.id, undefined, client.None())
    const device = await client.initiateDeviceAuthorization(config, { scope: `${PC}/user_impersonation offline_access` })
    await deviceSignIn(device.user_code, john.userPrincipalName)
    const tokens = await client.pollDeviceAuthorizationGrant(config, device)
    t.match(decodeJwt(tokens.access_token), { oid: john.id, amr: ['pwd'] }, 'Fabrikam does not enforce MFA')
    t.equal(await api(tokens.access_token), 401, 'so the API answers MFA required')
  })

  t.test('msal-node ConfidentialClientApplication: client credentials; authorization code, then acquireTokenSilent refreshing', async (t) => {
    await freshAuthenticator()
    const cca = new ConfidentialClientApplication({
      auth: { clientId: CONTOSO_PARTNER.app.id, clientSecret: DEMO_CLIENT_SECRET, authority: `${base}/${CONTOSO_PARTNER.domain}`, knownAuthorities: [`localhost:${port}`] }
    })
    const appOnly = await cca.acquireTokenByClientCredential({ scopes: [`${PC}/.default`] })
    t.match(decodeJwt(appOnly!.accessToken), { idtyp: 'app', tid: CONTOSO_PARTNER.id, appid: CONTOSO_PARTNER.app.id })
    t.equal(await api(appOnly!.accessToken), 200, 'an operation app-only tokens may call')

    const scopes = [`${PC}/user_impersonation`]
    const verifier = client.randomPKCECodeVerifier()
    const url = await cca.getAuthCodeUrl({ scopes, redirectUri: REDIRECT_URI, codeChallenge: await client.calculatePKCECodeChallenge(verifier), codeChallengeMethod: 'S256' })
    const { location } = await signIn(url, consuela.userPrincipalName)
    const result = await cca.acquireTokenByCode({ code: location!.searchParams.get('code')!, scopes, redirectUri: REDIRECT_URI, codeVerifier: verifier })
    t.equal(result.account?.homeAccountId, `${consuela.id}.${CONTOSO_PARTNER.id}`, 'the account, from client_info')
    t.equal(result.account?.username, consuela.userPrincipalName)
    t.equal(await api(result.accessToken), 200)
    const silent = await cca.acquireTokenSilent({ account: result.account!, scopes, forceRefresh: true })
    t.not(silent.accessToken, result.accessToken, 'a new access token from the refresh token')
    t.same(decodeJwt(silent.accessToken).amr, ['pwd', 'mfa'])
    t.equal(await api(silent.accessToken, '/v1.0/tenantRelationships/delegatedAdminRelationships'), 401, 'a Partner Center token is not Graph\'s')
  })

  t.test('msal-node: a silent refresh asked for MFA the sign-in did not do raises InteractionRequiredAuthError', async (t) => {
    const cca = new ConfidentialClientApplication({
      auth: { clientId: TEST_TEST_PARTNER.app.id, clientSecret: DEMO_CLIENT_SECRET, authority: `${base}/${TEST_TEST_PARTNER.id}`, knownAuthorities: [`localhost:${port}`] }
    })
    const scopes = [`${PC}/user_impersonation`]
    const verifier = client.randomPKCECodeVerifier()
    const url = await cca.getAuthCodeUrl({ scopes, redirectUri: REDIRECT_URI, codeChallenge: await client.calculatePKCECodeChallenge(verifier), codeChallengeMethod: 'S256' })
    const { location } = await signIn(url, USERS.adminAgent.userPrincipalName)
    const result = await cca.acquireTokenByCode({ code: location!.searchParams.get('code')!, scopes, redirectUri: REDIRECT_URI, codeVerifier: verifier })
    t.same(decodeJwt(result.accessToken).amr, ['pwd'], 'Test Test Partner asks for MFA only on request')
    t.equal(await api(result.accessToken), 401)
    const claims = JSON.stringify({ access_token: { amr: { essential: true, values: ['mfa'] } } })
    await t.rejects(cca.acquireTokenSilent({ account: result.account!, scopes, claims, forceRefresh: true }), InteractionRequiredAuthError, 'the app must send the user to sign in again')
  })

  t.test('msal-node PublicClientApplication: the device code flow under organizations, with the emulator\'s instance discovery', async (t) => {
    const discovery = await (await fetch(`${base}/common/discovery/instance?api-version=1.1&authorization_endpoint=${base}/organizations/oauth2/v2.0/authorize`)).text()
    const pca = new PublicClientApplication({ auth: { clientId: DEMO_PUBLIC_CLIENT.id, authority: `${base}/organizations`, cloudDiscoveryMetadata: discovery } })
    let approval: Promise<void> | undefined
    const request = {
      scopes: [`${PC}/user_impersonation`],
      timeout: 60,
      cancel: false,
      // MSAL polls until the code expires: a failed sign-in cancels it, so that the test fails rather than hangs.
      deviceCodeCallback: (response: { userCode: string }) => {
        approval = deviceSignIn(response.userCode, prashob.userPrincipalName).catch((error) => { request.cancel = true; throw error })
      }
    }
    const result = await pca.acquireTokenByDeviceCode(request)
    await approval
    t.match(decodeJwt(result!.accessToken), { tid: WINGTIP_PARTNER.id, oid: prashob.id, amr: ['fed', 'mfa'] }, 'Prashob\'s federated MFA')
    t.equal(await api(result!.accessToken), 200)
    t.equal(result!.account?.tenantId, WINGTIP_PARTNER.id)
  })

  t.test('@azure/identity ClientSecretCredential with the emulator as authorityHost', async (t) => {
    const credential = new ClientSecretCredential(TEST_TEST_PARTNER.id, TEST_TEST_PARTNER.app.id, DEMO_CLIENT_SECRET, { authorityHost: base, disableInstanceDiscovery: true })
    const token = await credential.getToken(`${PC}/.default`)
    t.match(decodeJwt(token.token), { idtyp: 'app', tid: TEST_TEST_PARTNER.id })
    t.equal(await api(token.token), 200)
    const wrong = new ClientSecretCredential(TEST_TEST_PARTNER.id, TEST_TEST_PARTNER.app.id, 'wrong', { authorityHost: base, disableInstanceDiscovery: true })
    await t.rejects(wrong.getToken(`${PC}/.default`), /AADSTS7000215/, 'Entra\'s error reaches the caller')
  })
}
