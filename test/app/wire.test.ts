// Wire conventions shared by every route: trace ids, 404/405/validation in the Partner Center
// envelope, the OpenAPI document and Swagger UI.
// Subtests share one app and only read; none depends on another.
import { readFile } from 'node:fs/promises'
import t from 'tap'
import { generateDocuments } from '../../src/documents.js'
import { build, call, mint } from '../helper.js'

const app = await build(t)

t.test('MS-RequestId and MS-CorrelationId are echoed, or generated', async (t) => {
  const echoed = await app.inject({ url: '/_emulator/health', headers: { 'ms-requestid': 'req-123', 'ms-correlationid': 'corr-456' } })
  t.equal(echoed.headers['ms-requestid'], 'req-123')
  t.equal(echoed.headers['ms-correlationid'], 'corr-456')
  const generated = await app.inject({ url: '/_emulator/health' })
  t.match(generated.headers['ms-requestid'], /^[0-9a-f-]{36}$/)
  t.match(generated.headers['ms-correlationid'], /^[0-9a-f-]{36}$/)
  const unsafe = await app.inject({ url: '/_emulator/health', headers: { 'ms-requestid': 'has spaces and "quotes"' } })
  t.match(unsafe.headers['ms-requestid'], /^[0-9a-f-]{36}$/, 'a header-unsafe id is replaced')
  const onError = await app.inject({ url: '/v1/customers', headers: { 'ms-requestid': 'req-err' } })
  t.equal(onError.headers['ms-requestid'], 'req-err', 'also on errors')
})

t.test('unknown paths answer 404 and known paths 405, in the Partner Center envelope', async (t) => {
  const missing = await app.inject({ url: '/v1/nothing-here' })
  t.equal(missing.statusCode, 404)
  t.match(missing.json(), { code: 1000, description: /No resource/, data: [], source: 'PartnerFD' })
  const wrongMethod = await app.inject({ method: 'DELETE', url: '/v1/customers' })
  t.equal(wrongMethod.statusCode, 405)
  t.match(wrongMethod.headers.allow, /GET/)
  t.match(wrongMethod.headers.allow, /POST/)
  t.match(wrongMethod.json(), { code: 1000, description: /DELETE is not allowed/ })
  const withParams = await app.inject({ method: 'POST', url: `/v1/customers/${crypto.randomUUID()}/profiles/billing` })
  t.equal(withParams.statusCode, 405)
  t.match(withParams.headers.allow, /PUT/)
})

t.test('Graph paths answer in the Graph error envelope', async (t) => {
  const res = await app.inject({ url: '/v1.0/tenantRelationships/nothing', headers: { 'client-request-id': 'c-1' } })
  t.equal(res.statusCode, 404)
  t.match(res.json(), { error: { code: 'Request_ResourceNotFound', message: String, innerError: { 'request-id': String, 'client-request-id': 'c-1', date: String } } })
})

t.test('a body that is not JSON is a 400 in the envelope', async (t) => {
  const res = await call(app, await mint(app), { method: 'POST', url: '/v1/customers', headers: { 'content-type': 'application/json' }, payload: '{"broken"' })
  t.equal(res.statusCode, 400)
  t.match(res.json(), { code: 800002, source: 'PartnerFD' })
})

t.test('the OpenAPI document is served, and the committed generated documents are current', async (t) => {
  const served = await app.inject({ url: '/openapi.json' })
  t.equal(served.statusCode, 200)
  t.equal(served.json().openapi, '3.1.0')
  t.ok(served.json().paths['/v1/customers'].get, 'lists the routes')
  const generated = await generateDocuments()
  const committed = (file: string) => readFile(new URL(`../../${file}`, import.meta.url), 'utf8')
  t.equal(await committed('openapi/openapi.json'), generated.openapi, 'openapi/openapi.json is stale: run npm run generate')
  t.equal(await committed('docs/api-coverage.md'), generated.coverage, 'docs/api-coverage.md is stale: run npm run generate')
  const docs = await app.inject({ url: '/docs/' })
  t.equal(docs.statusCode, 200)
  t.match(docs.body, /swagger/i)
})
