// The development identity provider: metadata, keys (kept in the database across restarts), the
// token endpoint, and the control plane's token minting.
// Subtests share one app and write nothing another reads (the restart and DEV_MODE ones build their own).
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { decodeJwt, decodeProtectedHeader } from 'jose'
import t from 'tap'
import { DEMO_CLIENT_SECRET, DEMO_USER_PASSWORD } from '../../src/seed/demo-data.js'
import { build, call, freshDatabaseUrl, mint, PARTNER, USERS } from '../helper.js'

const app = await build(t)
const tokenUrl = `/${PARTNER.id}/oauth2/v2.0/token`
const form = (fields: Record<string, string>) => ({
  method: 'POST' as const, url: tokenUrl, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams(fields).toString()
})

t.test('OpenID metadata and keys, by tenant id or domain', async (t) => {
  for (const tenant of [PARTNER.id, PARTNER.domain]) {
    const meta = await app.inject({ url: `/${tenant}/v2.0/.well-known/openid-configuration` })
    t.equal(meta.statusCode, 200)
    t.match(meta.json(), { issuer: `http://127.0.0.1:8080/${PARTNER.id}/v2.0`, jwks_uri: `http://127.0.0.1:8080/${PARTNER.id}/discovery/v2.0/keys` })
  }
  const keys = (await app.inject({ url: `/${PARTNER.id}/discovery/v2.0/keys` })).json()
  const byAlg = (alg: string) => keys.keys.find((k: { alg: string }) => k.alg === alg)
  t.match(byAlg('ES256'), { kty: 'EC', crv: 'P-256', use: 'sig', kid: String }, 'access tokens')
  t.match(byAlg('RS256'), { kty: 'RSA', use: 'sig', kid: String }, 'ID tokens')
  for (const key of keys.keys) t.notOk('d' in key, 'no private part is published')
  const unknown = await app.inject({ url: `/${crypto.randomUUID()}/v2.0/.well-known/openid-configuration` })
  t.equal(unknown.statusCode, 400)
  t.match(unknown.json(), { error: 'invalid_request', error_description: /not found/ })
})

t.test('metadata of the v1 layout, of common and organizations, and instance discovery', async (t) => {
  const v1 = (await app.inject({ url: `/${PARTNER.domain}/.well-known/openid-configuration` })).json()
  t.match(v1, {
    issuer: `http://127.0.0.1:8080/${PARTNER.id}/v2.0`,
    token_endpoint: `http://127.0.0.1:8080/${PARTNER.id}/oauth2/token`,
    jwks_uri: `http://127.0.0.1:8080/${PARTNER.id}/discovery/keys`
  })
  t.same((await app.inject({ url: `/${PARTNER.id}/discovery/keys` })).json(), (await app.inject({ url: `/${PARTNER.id}/discovery/v2.0/keys` })).json())
  for (const alias of ['common', 'organizations']) {
    const meta = (await app.inject({ url: `/${alias}/v2.0/.well-known/openid-configuration` })).json()
    t.match(meta, { issuer: 'http://127.0.0.1:8080/{tenantid}/v2.0', token_endpoint: `http://127.0.0.1:8080/${alias}/oauth2/v2.0/token` }, alias)
  }
  const discovery = await app.inject({
    url: '/common/discovery/instance',
    query: { 'api-version': '1.1', authorization_endpoint: `http://127.0.0.1:8080/${PARTNER.id}/oauth2/v2.0/authorize` }
  })
  t.same(discovery.json(), {
    tenant_discovery_endpoint: `http://127.0.0.1:8080/${PARTNER.id}/v2.0/.well-known/openid-configuration`,
    'api-version': '1.1',
    metadata: [{ preferred_network: '127.0.0.1:8080', preferred_cache: '127.0.0.1:8080', aliases: ['127.0.0.1:8080'] }]
  })
})

t.test('the token endpoint under common and on the v1 layout', async (t) => {
  const common = (fields: Record<string, string>) => ({ ...form(fields), url: '/common/oauth2/v2.0/token' })
  const byUser = await app.inject(common({ grant_type: 'password', client_id: PARTNER.app.id, client_secret: DEMO_CLIENT_SECRET, username: USERS.adminAgent.userPrincipalName, password: DEMO_USER_PASSWORD }))
  t.equal(byUser.statusCode, 200, 'a password sign-in finds the user\'s tenant')
  t.match(decodeJwt(byUser.json().access_token), { tid: PARTNER.id, oid: USERS.adminAgent.id })
  const appOnly = await app.inject(common({ grant_type: 'client_credentials', client_id: PARTNER.app.id, client_secret: DEMO_CLIENT_SECRET }))
  t.match({ status: appOnly.statusCode, body: appOnly.json() }, { status: 400, body: { error: 'invalid_request', error_codes: [900023] } }, 'an app needs a tenant')
  const v1 = await app.inject({
    ...form({ grant_type: 'client_credentials', client_id: PARTNER.app.id, client_secret: DEMO_CLIENT_SECRET, resource: 'https://graph.microsoft.com' }),
    url: `/${PARTNER.id}/oauth2/token`
  })
  t.equal(v1.statusCode, 200)
  t.match(decodeJwt(v1.json().access_token), { aud: 'https://graph.microsoft.com', idtyp: 'app' })
})

t.test('client credentials: an app-only token that works on app-only operations', async (t) => {
  const res = await app.inject(form({ grant_type: 'client_credentials', client_id: PARTNER.app.id, client_secret: DEMO_CLIENT_SECRET, scope: 'https://api.partnercenter.microsoft.com/.default' }))
  t.equal(res.statusCode, 200)
  t.match(res.json(), { token_type: 'Bearer', expires_in: 3599, access_token: String })
  const token = res.json().access_token
  t.match(decodeJwt(token), { idtyp: 'app', appid: PARTNER.app.id, tid: PARTNER.id, aud: 'https://api.partnercenter.microsoft.com' })
  t.match(decodeProtectedHeader(token), { alg: 'ES256', typ: 'at+jwt' })
  t.equal((await call(app, token, { url: '/v1/customers' })).statusCode, 200)

  const basic = Buffer.from(`${PARTNER.app.id}:${DEMO_CLIENT_SECRET}`).toString('base64')
  const viaBasic = await app.inject({ ...form({ grant_type: 'client_credentials', resource: 'https://api.partnercenter.microsoft.com' }), headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${basic}` } })
  t.equal(viaBasic.statusCode, 200, 'client_secret_basic')
})

t.test('password grant: an app+user token without MFA, refused by Partner Center', async (t) => {
  const res = await app.inject(form({ grant_type: 'password', client_id: PARTNER.app.id, client_secret: DEMO_CLIENT_SECRET, username: USERS.adminAgent.userPrincipalName, password: DEMO_USER_PASSWORD }))
  t.equal(res.statusCode, 200)
  const token = res.json().access_token
  t.match(decodeJwt(token), { idtyp: 'user', amr: ['pwd'], scp: 'user_impersonation', oid: USERS.adminAgent.id })
  const denied = await call(app, token, { url: '/v1/customers' })
  t.equal(denied.statusCode, 401)
  t.equal(denied.json().code, 900421)
})

t.test('token endpoint errors are OAuth errors', async (t) => {
  const cases: Array<[Record<string, string>, number, string]> = [
    [{ grant_type: 'client_credentials', client_id: PARTNER.app.id, client_secret: 'wrong' }, 401, 'invalid_client'],
    [{ grant_type: 'client_credentials', client_id: crypto.randomUUID(), client_secret: DEMO_CLIENT_SECRET }, 400, 'unauthorized_client'],
    [{ grant_type: 'password', client_id: PARTNER.app.id, client_secret: DEMO_CLIENT_SECRET, username: USERS.adminAgent.userPrincipalName, password: 'wrong' }, 400, 'invalid_grant'],
    [{ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', client_id: PARTNER.app.id, client_secret: DEMO_CLIENT_SECRET }, 400, 'unsupported_grant_type'],
    [{ grant_type: 'client_credentials', client_id: PARTNER.app.id, client_secret: DEMO_CLIENT_SECRET, resource: 'https://management.azure.com' }, 400, 'invalid_resource'],
    [{ client_id: PARTNER.app.id }, 400, 'invalid_request']
  ]
  for (const [fields, status, error] of cases) {
    const res = await app.inject(form(fields))
    t.equal(res.statusCode, status, error)
    t.equal(res.json().error, error)
    t.equal(res.headers['cache-control'], 'no-store')
  }
  // Entra's shape: the AADSTS code, the ids and the time, in the description and beside it.
  const clientRequestId = crypto.randomUUID()
  const entra = await app.inject({ ...form(cases[2]![0]), headers: { 'content-type': 'application/x-www-form-urlencoded', 'client-request-id': clientRequestId } })
  t.match(entra.json(), {
    error: 'invalid_grant',
    error_description: new RegExp(`^AADSTS50126: Error validating credentials due to invalid username or password\\. Trace ID: [0-9a-f-]{36} Correlation ID: ${clientRequestId} Timestamp: \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\dZ$`),
    error_codes: [50126],
    timestamp: /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ$/,
    trace_id: /^[0-9a-f-]{36}$/,
    correlation_id: clientRequestId,
    error_uri: 'https://login.microsoftonline.com/error?code=50126'
  })
  const codes = await Promise.all(cases.map(async ([fields]) => (await app.inject(form(fields))).json().error_codes[0]))
  t.same(codes, [7000215, 700016, 50126, 70003, 500011, 900144], 'the AADSTS code of each')
  const badBasic = await app.inject({
    ...form({ grant_type: 'client_credentials' }),
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from('%zz:secret').toString('base64')}` }
  })
  t.equal(badBasic.statusCode, 400, 'badly encoded Basic credentials')
  t.equal(badBasic.json().error, 'invalid_request')
})

t.test('POST /_emulator/tokens', async (t) => {
  const byUpn = decodeJwt(await mint(app, { userId: USERS.salesAgent.userPrincipalName.toUpperCase() }))
  t.match(byUpn, { oid: USERS.salesAgent.id, amr: ['pwd', 'mfa'], scp: 'user_impersonation', upn: USERS.salesAgent.userPrincipalName })
  t.match(decodeJwt(await mint(app, { userId: USERS.salesAgent.id, audience: 'https://graph.microsoft.com' })), { scp: 'DelegatedAdminRelationship.ReadWrite.All' })
  const unknownUser = await app.inject({ method: 'POST', url: '/_emulator/tokens', payload: { tenantId: PARTNER.id, userId: 'nobody@example.com' } })
  t.equal(unknownUser.statusCode, 404)
  const noTenant = await app.inject({ method: 'POST', url: '/_emulator/tokens', payload: {} })
  t.equal(noTenant.statusCode, 400)
})

t.test('signing keys survive a restart', async (t) => {
  const dir = await mkdtemp(path.join(tmpdir(), 'pce-keys-'))
  t.teardown(() => rm(dir, { recursive: true, force: true }))
  const databaseUrl = await freshDatabaseUrl(t)
  const first = await build({ teardown: () => {} }, { PGLITE_DATA_DIR: dir, DATABASE_URL: databaseUrl })
  const token = await mint(first, { userId: USERS.adminAgent.id })
  await first.close()
  const second = await build(t, { PGLITE_DATA_DIR: dir, DATABASE_URL: databaseUrl })
  t.equal((await call(second, token, { url: '/v1/customers' })).statusCode, 200)
})

t.test('without DEV_MODE there is no dev identity provider and no control plane', async (t) => {
  const prod = await build(t, { DEV_MODE: false })
  t.equal((await prod.inject({ method: 'POST', url: '/_emulator/tokens', payload: { tenantId: PARTNER.id } })).statusCode, 404)
  t.equal((await prod.inject({ url: `/${PARTNER.id}/discovery/v2.0/keys` })).statusCode, 404)
  t.equal((await prod.inject({ url: '/_emulator/health' })).statusCode, 200, 'health stays')
  const devToken = await mint(app, { userId: USERS.adminAgent.id })
  const res = await call(prod, devToken, { url: '/v1/customers' })
  t.equal(res.statusCode, 401, 'dev tokens are not trusted')
})
