// Decision table steps 4-7: issuer routing, verification with that issuer's keys only,
// classification, and the documented MFA answer.
// Subtests share one app (trusting the fake Entra tenant, set up above them) and only read; none depends
// on another.
import { createSecretKey } from 'node:crypto'
import { SignJWT, UnsecuredJWT, decodeJwt } from 'jose'
import t, { type Test } from 'tap'
import { devIssuer } from '../../src/idp/issuer.js'
import { build, call, mint, OTHER_PARTNER, PARTNER, resign, signRawDev, userToken, USERS } from '../helper.js'
import { listen, rawGet } from '../support/raw-http.js'
import { startFakeEntra, v1UserClaims } from '../support/entra.js'

const entra = await startFakeEntra()
t.teardown(() => entra.close())
const app = await build(t, { ENTRA_JWKS_URI: entra.jwksUri })
const base = 'http://127.0.0.1:8080'
await app.inject({ method: 'PUT', url: `/_emulator/tenants/${PARTNER.id}/entra-trust`, payload: { trusted: true } })

const list = (token: string) => call(app, token, { url: '/v1/customers' })
const expect401 = async (t: Test, token: string, reason: RegExp) => {
  const res = await list(token)
  t.equal(res.statusCode, 401, 'status')
  t.equal(res.headers['www-authenticate'], 'Bearer error="invalid_token"', 'challenge')
  t.match(res.json(), { code: 400, description: reason, source: 'PartnerFD' }, 'reason')
}

t.test('step 4: issuer routing on the unverified iss', async (t) => {
  t.test('an unknown issuer', async (t) => {
    await expect401(t, await userToken(app, USERS.adminAgent, { claims: { iss: 'https://login.example.com/x/v2.0' } }), /issuer is not trusted/)
  })
  t.test('a tid that differs from the issuer tenant', async (t) => {
    await expect401(t, await userToken(app, USERS.adminAgent, { claims: { tid: OTHER_PARTNER.id } }), /does not match its issuer/)
  })
  t.test('a tenant that is no partner tenant', async (t) => {
    const stranger = crypto.randomUUID()
    await expect401(t, await userToken(app, USERS.adminAgent, { claims: { iss: devIssuer(base, stranger), tid: stranger } }), /not a partner tenant/)
  })
  t.test('tid twice under different casings', async (t) => {
    await expect401(t, await userToken(app, USERS.adminAgent, { claims: { TID: PARTNER.id } }), /more than once/)
  })
  t.test('an Entra token for a tenant that is not onboarded', async (t) => {
    const token = await entra.sign(v1UserClaims(OTHER_PARTNER.id, USERS.otherAdminAgent.id))
    await expect401(t, token, /not trusted for this partner tenant/)
  })
  t.test('a dev-signed token claiming an Entra issuer is checked against Entra keys only', async (t) => {
    const token = await userToken(app, USERS.adminAgent, { claims: { iss: `https://sts.windows.net/${PARTNER.id}/`, typ: 'JWT' } })
    const res = await list(token)
    t.equal(res.statusCode, 401)
  })
  t.test('an Entra-signed token claiming the dev issuer is checked against dev keys only', async (t) => {
    const token = await entra.sign({ ...v1UserClaims(PARTNER.id, USERS.adminAgent.id), iss: devIssuer(base, PARTNER.id), jti: 'x' })
    await expect401(t, token, /algorithm is not accepted/)
  })
})

t.test('step 5: verification', async (t) => {
  const good = await userToken(app, USERS.adminAgent)
  t.equal((await list(good)).statusCode, 200, 'a good token passes')

  t.test('alg none', async (t) => {
    const unsecured = new UnsecuredJWT(decodeJwt(good)).encode()
    await expect401(t, unsecured, /algorithm is not accepted|malformed/)
  })
  t.test('HS256 signed with the public key (algorithm confusion)', async (t) => {
    const jwks = (await app.inject({ url: `/${PARTNER.id}/discovery/v2.0/keys` })).json()
    const secret = createSecretKey(Buffer.from(JSON.stringify(jwks.keys[0])))
    const forged = await new SignJWT(decodeJwt(good)).setProtectedHeader({ alg: 'HS256', typ: 'at+jwt', kid: jwks.keys[0].kid }).sign(secret)
    await expect401(t, forged, /algorithm is not accepted/)
  })
  t.test('a tampered signature', async (t) => {
    const [h, p, s] = good.split('.')
    const flipped = `${h}.${p}.${s!.startsWith('A') ? 'B' : 'A'}${s!.slice(1)}`
    await expect401(t, flipped, /signature is invalid|malformed/)
  })
  t.test('a tampered payload', async (t) => {
    const [h, , s] = good.split('.')
    const payload = Buffer.from(JSON.stringify({ ...decodeJwt(good), oid: USERS.globalAdmin.id })).toString('base64url')
    await expect401(t, `${h}.${payload}.${s}`, /signature is invalid/)
  })
  t.test('expired beyond the clock tolerance', async (t) => {
    await expect401(t, await userToken(app, USERS.adminAgent, { expiresInSeconds: -301 }), /expired/)
  })
  t.test('expired within the clock tolerance still passes', async (t) => {
    t.equal((await list(await userToken(app, USERS.adminAgent, { expiresInSeconds: -60 }))).statusCode, 200)
  })
  t.test('not valid yet', async (t) => {
    const now = Math.floor(Date.now() / 1000)
    await expect401(t, await userToken(app, USERS.adminAgent, { claims: { nbf: now + 3600, exp: now + 7200 } }), /not valid yet/)
  })
  t.test('issued in the future', async (t) => {
    const now = Math.floor(Date.now() / 1000)
    await expect401(t, await userToken(app, USERS.adminAgent, { claims: { iat: now + 3600, exp: now + 7200 } }), /issue time/)
  })
  t.test('times must be finite numbers, and no token lives longer than a day: dev and Entra alike', async (t) => {
    const dev = decodeJwt(good)
    // JSON.stringify writes Infinity as null: the payloads are written by hand around the claims.
    const withTime = (claims: Record<string, unknown>, name: string, raw: string) =>
      JSON.stringify({ ...claims, [name]: 0 }).replace(`"${name}":0`, `"${name}":${raw}`)
    // An iat of -Infinity is older than any maximum age: jose itself calls it expired.
    for (const [name, raw, reason] of [['exp', '1e400', /exp is not a finite time/], ['nbf', '-1e400', /nbf is not a finite time/], ['iat', '-1e400', /expired/]] as const) {
      await expect401(t, await signRawDev(app, withTime(dev, name, raw)), reason)
      await expect401(t, await entra.signRaw(withTime(v1UserClaims(PARTNER.id, USERS.adminAgent.id), name, raw)), reason)
    }
    const now = Math.floor(Date.now() / 1000)
    await expect401(t, await resign(app, good, { set: { iat: now - 60, exp: now + 86400 } }), /lives longer than 86400 seconds/)
    await expect401(t, await entra.sign(v1UserClaims(PARTNER.id, USERS.adminAgent.id, { exp: now + 86400 })), /lives longer than 86400 seconds/)
    t.equal((await list(await resign(app, good, { set: { iat: now - 60, exp: now + 86300 } }))).statusCode, 200, 'a day less a little passes')
  })
  t.test('no exp', async (t) => {
    await expect401(t, await resign(app, good, { drop: ['exp'] }), /required claim exp/)
  })
  t.test('the audience of another surface', async (t) => {
    await expect401(t, await userToken(app, USERS.adminAgent, { audience: 'https://graph.microsoft.com' }), /audience/)
  })
  t.test('the dev issuer of another base URL', async (t) => {
    await expect401(t, await userToken(app, USERS.adminAgent, { claims: { iss: devIssuer('http://elsewhere:1', PARTNER.id) } }), /issuer is not trusted/)
  })
  t.test('a dev token typed JWT instead of at+jwt', async (t) => {
    await expect401(t, await resign(app, good, { typ: 'JWT' }), /typ/)
  })
  t.test('the Partner Center app id is an accepted audience', async (t) => {
    t.equal((await list(await userToken(app, USERS.adminAgent, { audience: 'fa3d9a0c-3fb0-42cc-9193-47c7ecd2edbd' }))).statusCode, 200)
  })
})

t.test('Entra ID tokens for an onboarded partner tenant', async (t) => {
  t.test('a v1 app+user token of a known admin agent is accepted', async (t) => {
    const res = await list(await entra.sign(v1UserClaims(PARTNER.id, USERS.adminAgent.id)))
    t.equal(res.statusCode, 200)
    t.ok(res.json().items.length >= 3)
  })
  t.test('a v1 token without MFA gets the documented 401', async (t) => {
    const res = await list(await entra.sign(v1UserClaims(PARTNER.id, USERS.adminAgent.id, { amr: ['pwd'] })))
    t.equal(res.statusCode, 401)
    t.equal(res.json().code, 900421)
  })
  t.test('a v2 app-only token is accepted on an app-only operation', async (t) => {
    const now = Math.floor(Date.now() / 1000)
    const token = await entra.sign({
      aud: 'fa3d9a0c-3fb0-42cc-9193-47c7ecd2edbd', iss: `https://login.microsoftonline.com/${PARTNER.id}/v2.0`, iat: now, nbf: now, exp: now + 600,
      azp: PARTNER.app.id, azpacr: '1', oid: crypto.randomUUID(), tid: PARTNER.id, ver: '2.0', idtyp: 'app'
    })
    t.equal((await list(token)).statusCode, 200)
  })
  t.test('a ver claim that contradicts the issuer', async (t) => {
    await expect401(t, await entra.sign(v1UserClaims(PARTNER.id, USERS.adminAgent.id, { ver: '2.0', azp: PARTNER.app.id })), /version/)
  })
  t.test('an Entra user unknown to the emulator gets partner roles from wids only', async (t) => {
    const stranger = crypto.randomUUID()
    const denied = await list(await entra.sign(v1UserClaims(PARTNER.id, stranger)))
    t.equal(denied.statusCode, 403)
    t.equal(denied.json().code, 900150)
  })
  t.test('an unknown kid refreshes the keys at most once per cooldown', async (t) => {
    const before = entra.fetches()
    for (let i = 0; i < 5; i++) {
      const res = await list(await entra.sign(v1UserClaims(PARTNER.id, USERS.adminAgent.id, { uti: String(i) }), { kid: 'rotated', unpublished: true }))
      t.equal(res.statusCode, 401)
    }
    t.ok(entra.fetches() - before <= 1, `fetched ${entra.fetches() - before} times`)
  })
})

t.test('step 6: classification', async (t) => {
  t.test('idtyp app with a scp', async (t) => {
    await expect401(t, await mint(app, { claims: { scp: 'user_impersonation' } }), /inconsistent/)
  })
  t.test('idtyp user without a scp', async (t) => {
    await expect401(t, await mint(app, { claims: { idtyp: 'user' } }), /inconsistent/)
  })
  t.test('an unknown idtyp', async (t) => {
    await expect401(t, await mint(app, { claims: { idtyp: 'device' } }), /inconsistent/)
  })
  t.test('an empty scp', async (t) => {
    await expect401(t, await userToken(app, USERS.adminAgent, { claims: { scp: '' } }), /scp/)
  })
  t.test('an app-only token from a public client', async (t) => {
    await expect401(t, await mint(app, { claims: { appidacr: '0' } }), /confidential client/)
  })
  t.test('no client application', async (t) => {
    await expect401(t, await mint(app, { claims: { appid: '' } }), /client application/)
  })
  t.test('an object id that is no GUID', async (t) => {
    await expect401(t, await userToken(app, USERS.adminAgent, { claims: { oid: 'admin' } }), /object id/)
  })
  t.test('without idtyp, scp decides: absent is app-only', async (t) => {
    const token = await resign(app, await mint(app), { drop: ['idtyp'] })
    t.equal((await list(token)).statusCode, 200)
  })
})

t.test('step 7: MFA for app+user tokens', async (t) => {
  const good = await userToken(app, USERS.adminAgent)
  const variants: Array<[string, () => Promise<string>]> = [
    ['amr missing', () => resign(app, good, { drop: ['amr'] })],
    ['amr a string', () => userToken(app, USERS.adminAgent, { amr: 'mfa' })],
    ['amr with MFA in upper case', () => userToken(app, USERS.adminAgent, { amr: ['pwd', 'MFA'] })],
    ['amr password only', () => userToken(app, USERS.adminAgent, { amr: ['pwd'] })],
    ['amr ngcmfa (not accepted by default)', () => userToken(app, USERS.adminAgent, { amr: ['ngcmfa'] })],
    ['amr wiaormfa', () => userToken(app, USERS.adminAgent, { amr: ['wiaormfa'] })],
    ['amr null', () => userToken(app, USERS.adminAgent, { amr: null })]
  ]
  for (const [name, make] of variants) {
    t.test(`${name}: 401 MFA required`, async (t) => {
      const res = await list(await make())
      t.equal(res.statusCode, 401)
      t.equal(res.headers['www-authenticate'], 'Bearer error="invalid_token"')
      t.match(res.headers['request-context'], /^appId=cid-v1:[0-9a-f-]{36}$/, 'as in the documentation\'s sample')
      t.match(res.json(), { code: 900421, description: /MFA required/, source: 'PartnerFD' })
    })
  }

  t.test('the MFA answer wins over the role check', async (t) => {
    const res = await list(await userToken(app, USERS.noRole, { amr: ['pwd'] }))
    t.equal(res.json().code, 900421)
  })

  t.test('app-only tokens are never MFA-checked', async (t) => {
    t.equal((await list(await mint(app))).statusCode, 200)
  })

  t.test('the status line is exactly "401 Unauthorized - MFA required" on the wire', async (t) => {
    const send = await listen(app)
    const token = await userToken(app, USERS.adminAgent, { amr: ['pwd'] })
    const res = await send(rawGet('/v1/customers', [`Authorization: Bearer ${token}`]))
    t.equal(res.statusLine, 'HTTP/1.1 401 Unauthorized - MFA required')
    t.match(res.headers, /\r\nWWW-Authenticate: Bearer error="invalid_token"\r\n/i)
    t.match(JSON.parse(res.body), { code: 900421 })
  })
})

t.test('ngcmfa counts as MFA when ACCEPT_NGCMFA is set', async (t) => {
  const lenient = await build(t, { ACCEPT_NGCMFA: true })
  const res = await call(lenient, await userToken(lenient, USERS.adminAgent, { amr: ['ngcmfa'] }), { url: '/v1/customers' })
  t.equal(res.statusCode, 200)
})
