// Decision table steps 1-3 (transport, scheme, token shape), including through a real socket where
// Node's HTTP parser decides what the app sees.
import t from 'tap'
import { build, mint, userToken, USERS } from '../helper.js'
import { listen, rawGet } from '../support/raw-http.js'

// One app for the whole file (starting an embedded database costs seconds): subtests only read from it,
// and none depends on another.
const app = await build(t)
const token = await userToken(app, USERS.adminAgent)

t.test('step 1: transport', async (t) => {
  t.test('an access_token in the query string is a 400 invalid_request', async (t) => {
    const res = await app.inject({ url: `/v1/customers?access_token=${token}`, headers: { authorization: `Bearer ${token}` } })
    t.equal(res.statusCode, 400)
    t.equal(res.headers['www-authenticate'], 'Bearer error="invalid_request"')
    t.match(res.json(), { code: 800002, description: /query string/, source: 'PartnerFD' })
  })

  t.test('an access_token in the body is a 400 invalid_request', async (t) => {
    const res = await app.inject({
      method: 'POST', url: '/v1/customers', headers: { authorization: `Bearer ${token}` }, payload: { access_token: token }
    })
    t.equal(res.statusCode, 400)
    t.equal(res.headers['www-authenticate'], 'Bearer error="invalid_request"')
    t.match(res.json().description, /request body/)
  })

  t.test('through a real socket', async (t) => {
    const send = await listen(app)

    t.test('two Authorization lines are a 400, even when both are valid', async (t) => {
      const res = await send(rawGet('/v1/customers', [`Authorization: Bearer ${token}`, `Authorization: Bearer ${token}`]))
      t.equal(res.status, 400)
      t.match(res.headers, /WWW-Authenticate: Bearer error="invalid_request"/i)
      t.match(JSON.parse(res.body), { code: 800002, description: /exactly one Authorization/ })
    })

    t.test('one valid Authorization line passes', async (t) => {
      const res = await send(rawGet('/v1/customers', [`Authorization: Bearer ${token}`]))
      t.equal(res.status, 200)
    })

    t.test('headers larger than the parser allows are refused by the parser, before the hook', async (t) => {
      const res = await send(rawGet('/v1/customers', [`Authorization: Bearer ${'a'.repeat(20_000)}.b.c`]))
      t.equal(res.status, 431)
    })
  })
})

t.test('step 2: scheme', async (t) => {
  t.test('no Authorization header: 401 with a bare Bearer challenge', async (t) => {
    const res = await app.inject({ url: '/v1/customers' })
    t.equal(res.statusCode, 401)
    t.equal(res.headers['www-authenticate'], 'Bearer')
    t.match(res.json(), { code: 800001, description: /No bearer token/ })
  })

  t.test('another scheme: 401 with a bare Bearer challenge', async (t) => {
    const res = await app.inject({ url: '/v1/customers', headers: { authorization: 'Basic dXNlcjpwYXNz' } })
    t.equal(res.statusCode, 401)
    t.equal(res.headers['www-authenticate'], 'Bearer')
  })

  t.test('Bearer with no token: 401 bare challenge', async (t) => {
    const res = await app.inject({ url: '/v1/customers', headers: { authorization: 'Bearer ' } })
    t.equal(res.statusCode, 401)
    t.equal(res.headers['www-authenticate'], 'Bearer')
  })

  t.test('the scheme is case-insensitive', async (t) => {
    for (const scheme of ['bearer', 'BEARER', 'bEaReR']) {
      const res = await app.inject({ url: '/v1/customers', headers: { authorization: `${scheme} ${token}` } })
      t.equal(res.statusCode, 200, scheme)
    }
  })
})

t.test('step 3: token shape', async (t) => {
  for (const [name, token] of [
    ['two segments', 'abc.def'],
    ['four segments', 'a.b.c.d'],
    ['characters outside base64url', 'a+b.c/d.e='],
    ['not JSON inside', 'bm90anNvbg.bm90anNvbg.c2ln']
  ]) {
    t.test(`${name}: 401 invalid_token`, async (t) => {
      const res = await app.inject({ url: '/v1/customers', headers: { authorization: `Bearer ${token}` } })
      t.equal(res.statusCode, 401)
      t.equal(res.headers['www-authenticate'], 'Bearer error="invalid_token"')
      t.equal(res.json().code, 400)
    })
  }

  t.test('a token over the size cap (but within header limits) is refused unparsed', async (t) => {
    const big = `${'a'.repeat(13_000)}.b.c`
    const res = await app.inject({ url: '/v1/customers', headers: { authorization: `Bearer ${big}` } })
    t.equal(res.statusCode, 401)
    t.match(res.json().description, /larger than/)
  })

  t.test('error descriptions never echo the token', async (t) => {
    const token = await mint(app, { userId: USERS.adminAgent.id, audience: 'https://graph.microsoft.com' })
    const res = await app.inject({ url: '/v1/customers', headers: { authorization: `Bearer ${token}` } })
    t.equal(res.statusCode, 401)
    t.notMatch(res.body, token.split('.')[1]!)
  })
})
