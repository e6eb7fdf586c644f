// Hostile input gets 400 in the surface's envelope, never a 500: what PostgreSQL cannot store (a NUL,
// half a surrogate pair, a number not finite or beyond 2^53) in a path, query or body; what Fastify
// and Node's parser refuse before any route (a URL that does not decode, malformed HTTP); and the
// clock cannot be moved out of range.
// Subtests share one app and write nothing another reads.
import t from 'tap'
import { build, call, mint, userToken, USERS } from '../helper.js'
import { listen } from '../support/raw-http.js'

const app = await build(t)
const admin = await userToken(app, USERS.adminAgent)
const graph = await userToken(app, USERS.adminAgent, { audience: 'https://graph.microsoft.com' })
const json = { 'content-type': 'application/json' }
const isPartnerCenterRefusal = (res: { statusCode: number, json: () => any }) => res.statusCode === 400 && res.json().code === 800002 && res.json().source === 'PartnerFD'

t.test('a NUL or half a surrogate pair in a path, query or body: 400 in the envelope', async (t) => {
  const refused = [
    await call(app, admin, { url: '/v1/invoices/abc%00def' }),
    await call(app, admin, { url: '/v1/customers?filter=%00' }),
    await call(app, admin, { url: '/v1/invoices/abc%ED%A0%80def' }),
    await call(app, admin, { method: 'POST', url: '/v1/customers', headers: json, payload: '{"companyProfile":{"domain":"a\\u0000b.onmicrosoft.com"},"billingProfile":{}}' }),
    await call(app, admin, { method: 'PUT', url: '/v1/customers/c9a0c3f2-1b2d-4e5f-8a9b-0c1d2e3f4a51/profiles/billing', headers: { ...json, 'if-match': '*' }, payload: '{"firstName":"\\ud800"}' })
  ]
  for (const res of refused) t.ok(isPartnerCenterRefusal(res), `${res.statusCode} ${res.body.slice(0, 120)}`)
  t.match(refused[0]!.json(), { data: [{ field: 'path.invoiceId' }] })

  const head = await call(app, admin, { method: 'HEAD', url: '/v1/domains/%00' })
  t.equal(head.statusCode, 400, 'HEAD too')
  const graphNul = await call(app, graph, { url: '/v1.0/tenantRelationships/delegatedAdminRelationships/%00' })
  t.equal(graphNul.statusCode, 400)
  t.match(graphNul.json(), { error: { code: String, message: /cannot be stored/ } }, 'Graph\'s envelope')
  const token = await app.inject({
    method: 'POST', url: '/organizations/oauth2/v2.0/token', headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: 'grant_type=password&client_id=c0a2e8f4-5d1b-4e7a-9c3f-6b8d0e2a4f17&username=a%00b&password=x'
  })
  t.match({ status: token.statusCode, ...token.json() }, { status: 400, error: 'invalid_request', error_codes: [90014] }, 'OAuth\'s envelope')
})

t.test('numbers that are not finite or beyond 2^53: 400; the clock stays in range and working', async (t) => {
  t.ok(isPartnerCenterRefusal(await call(app, admin, { url: '/v1/customers?size=1e400' })), 'size=1e400 is Infinity')
  t.ok(isPartnerCenterRefusal(await call(app, await mint(app), { method: 'POST', url: '/v1/customers', headers: json, payload: '{"companyProfile":{"domain":"n.onmicrosoft.com"},"billingProfile":{},"x":1e400}' })))
  for (const advanceSeconds of ['9007199254740993', '1e308', '3155760001']) {
    const res = await app.inject({ method: 'PUT', url: '/_emulator/clock', headers: json, payload: `{"advanceSeconds":${advanceSeconds}}` })
    t.equal(res.statusCode, 400, `advanceSeconds ${advanceSeconds}`)
  }
  const farFuture = await app.inject({ method: 'PUT', url: '/_emulator/clock', payload: { now: '9999-12-31T23:59:59Z' } })
  t.equal(farFuture.statusCode, 200)
  const past = await app.inject({ method: 'PUT', url: '/_emulator/clock', payload: { advanceSeconds: 86400 } })
  t.match({ status: past.statusCode, ...past.json() }, { status: 400, description: /cannot go past 9999-12-31/ })
  t.equal((await app.inject({ url: '/_emulator/clock' })).statusCode, 200, 'the clock still answers')
  await app.inject({ method: 'POST', url: '/_emulator/reset' })
})

t.test('what fails before any route runs answers in the envelope too', async (t) => {
  const badUrl = await call(app, admin, { url: '/v1/customers/%zz' })
  t.ok(isPartnerCenterRefusal(badUrl), badUrl.body)
  const badJson = await call(app, admin, { method: 'POST', url: '/v1/customers', headers: json, payload: '{"a":' })
  t.ok(isPartnerCenterRefusal(badJson), badJson.body)
  const xml = await call(app, admin, { method: 'POST', url: '/v1/customers', headers: { 'content-type': 'text/xml' }, payload: '<a/>' })
  t.match({ status: xml.statusCode, ...xml.json() }, { status: 415, source: 'PartnerFD' })

  const send = await listen(app)
  const tooLarge = await send(`GET /v1/customers HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`)
  t.equal(tooLarge.status, 431)
  t.match(JSON.parse(tooLarge.body), { code: 431, source: 'PartnerFD' })
  const garbage = await send('GARBAGE\r\n\r\n')
  t.equal(garbage.status, 400)
  t.match(JSON.parse(garbage.body), { code: 800002, source: 'PartnerFD' })
})
