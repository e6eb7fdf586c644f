// Deployment hardening every surface gets: security headers, a body limit answered in the envelope,
// and server timeouts; and the shipped docker-compose.yml and Dockerfile keep a dev instance private.
// Subtests share one app and write nothing.
import { readFile } from 'node:fs/promises'
import t from 'tap'
import { build, call, userToken, USERS } from '../helper.js'

const app = await build(t)
const admin = await userToken(app, USERS.adminAgent)

t.test('security headers on the API, the identity provider and the control plane; pages keep their own policy', async (t) => {
  const answers = {
    api: await call(app, admin, { url: '/v1/customers' }),
    refusal: await app.inject({ url: '/v1/customers' }),
    graph: await app.inject({ url: '/v1.0/tenantRelationships/delegatedAdminRelationships' }),
    metadata: await app.inject({ url: '/organizations/v2.0/.well-known/openid-configuration' }),
    controlPlane: await app.inject({ url: '/_emulator/health' })
  }
  for (const [name, res] of Object.entries(answers)) {
    t.match(res.headers, {
      'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer', 'x-frame-options': 'DENY', 'content-security-policy': "default-src 'none'; frame-ancestors 'none'"
    }, name)
  }
  const page = await app.inject({ url: '/devicelogin' })
  t.match(page.headers['content-security-policy'], /script-src 'none'/, 'a sign-in page keeps its own policy')
  t.equal(page.headers['x-content-type-options'], 'nosniff')
})

t.test('a body over 1 MiB is refused with 413 in the envelope, before any handler', async (t) => {
  const res = await call(app, admin, { method: 'POST', url: '/v1/customers', headers: { 'content-type': 'application/json' }, payload: `{"x":"${'a'.repeat(1_100_000)}"}` })
  t.equal(res.statusCode, 413)
  t.match(res.json(), { code: 413, source: 'PartnerFD' })
})

t.test('the server bounds headers, requests and idle sockets', async (t) => {
  t.equal(app.server.headersTimeout, 30_000)
  t.equal(app.server.requestTimeout, 60_000)
  t.equal(app.server.keepAliveTimeout, 72_000)
  t.equal(app.server.timeout, 30_000, 'an idle socket')
  t.equal(app.initialConfig.bodyLimit, 1_048_576)
})

t.test('docker-compose publishes on the loopback only, keeps the data in volumes; the image runs unprivileged', async (t) => {
  const compose = await readFile(new URL('../../docker-compose.yml', import.meta.url), 'utf8')
  const published = [...compose.matchAll(/^\s*ports: \[(.*)\]/gm)].map((m) => m[1])
  t.same(published, ['"127.0.0.1:8080:8080"'], 'only the emulator, only on 127.0.0.1')
  t.match(compose, /pgdata:\/var\/lib\/postgresql\/data/, 'PostgreSQL keeps its data in a named volume')
  t.notMatch(compose, /POSTGRES_PASSWORD: postgres\b/, 'no fixed password')
  const dockerfile = await readFile(new URL('../../Dockerfile', import.meta.url), 'utf8')
  t.match(dockerfile, /^USER node$/m, 'not root')
  t.match(dockerfile, /npm prune --omit=dev/, 'no dev dependencies in the image')
  t.match(dockerfile, /^FROM .* AS build$/m, 'built in a stage of its own')
})
