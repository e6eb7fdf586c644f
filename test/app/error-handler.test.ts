// Database failures that no service expected still answer in the surface's envelope, never 500: a
// refused write is a 409, a lost race a 503 with Retry-After. Routes that throw such errors are added
// to the real app before it starts.
import t from 'tap'
import { buildApp } from '../../src/app.js'
import { testableConfig } from '../../src/config.js'
import { freshDatabaseUrl } from '../helper.js'

const pgError = (code: string) => Object.assign(new Error(`database error ${code}`), { code })

const app = await buildApp(testableConfig({ PGLITE_DATA_DIR: 'memory://', DATABASE_URL: await freshDatabaseUrl(t) }), { logger: false })
t.teardown(() => app.close())
for (const [name, code] of [['unique', '23505'], ['foreign-key', '23503'], ['serialization', '40001'], ['deadlock', '40P01'], ['other', '42P01']]) {
  app.get(`/v1/test/${name}`, async () => { throw pgError(code!) })
  app.get(`/v1.0/test/${name}`, async () => { throw pgError(code!) })
}
await app.ready()

t.test('a unique or foreign-key violation is a 409', async (t) => {
  for (const name of ['unique', 'foreign-key']) {
    const res = await app.inject({ url: `/v1/test/${name}` })
    t.equal(res.statusCode, 409, name)
    t.match(res.json(), { code: 1000, description: /conflicts with the current state/, source: 'PartnerFD' })
    const graph = await app.inject({ url: `/v1.0/test/${name}` })
    t.equal(graph.statusCode, 409)
    t.match(graph.json(), { error: { code: 'Conflict' } })
  }
})

t.test('a serialization failure or a deadlock is a 503 to retry', async (t) => {
  for (const name of ['serialization', 'deadlock']) {
    const res = await app.inject({ url: `/v1/test/${name}` })
    t.equal(res.statusCode, 503, name)
    t.equal(res.headers['retry-after'], '1')
    t.match(res.json(), { code: 503, description: /retry it/ })
  }
})

t.test('any other database error stays a 500 that names nothing of the database', async (t) => {
  const res = await app.inject({ url: '/v1/test/other' })
  t.equal(res.statusCode, 500)
  t.same(res.json(), { code: 500, description: 'An internal error occurred.', data: [], source: 'PartnerFD' })
})
