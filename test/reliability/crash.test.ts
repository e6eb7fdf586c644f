// Nothing lost, nothing doubled across a crash: the service, in a child process, is killed (SIGKILL)
// at moments spread over a write with an MS-RequestId (a customer's creation), then started again on
// the same database; the retry of the same request answers within seconds with the documented answer
// (the replay of the committed write, or the write run once), and exactly one customer exists.
import path from 'node:path'
import t from 'tap'
import { TEST_TEST_PARTNER } from '../../src/seed/demo-data.js'
import { freshDatabaseUrl, TEST_DATABASE_URL, USERS } from '../helper.js'
import { startChildServer } from '../support/child-server.js'
import { freePort } from '../support/ports.js'

/** Kill moments after the request leaves, in milliseconds: before, during and after the write. */
const KILL_AFTER_MS = [0, 3, 8, 15, 30, 60, 120, 250]

t.test('a write killed at any moment, then retried: one resource, a documented answer within seconds', async (t) => {
  const backend: Record<string, string> = TEST_DATABASE_URL ? { DATABASE_URL: await freshDatabaseUrl(t) } : { PGLITE_DATA_DIR: path.join(t.testdir(), 'pglite') }
  const port = await freePort()
  let server = await startChildServer(port, backend)
  t.teardown(() => server.kill())
  const minted = await fetch(`${server.url}/_emulator/tokens`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ tenantId: TEST_TEST_PARTNER.id, userId: USERS.adminAgent.id, expiresInSeconds: 3600 })
  })
  const token = ((await minted.json()) as { access_token: string }).access_token

  for (const [i, delay] of KILL_AFTER_MS.entries()) {
    const domain = `crash${i}-${Date.now()}.onmicrosoft.com`
    const requestId = crypto.randomUUID()
    const create = (signal?: AbortSignal) => fetch(`${server.url}/v1/customers`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'ms-requestid': requestId },
      body: JSON.stringify(newCustomer(domain)),
      ...(signal ? { signal } : {})
    })
    const first = create().then(async (r) => ({ status: r.status, body: await r.json() as { id?: string } }), () => undefined)
    await new Promise((resolve) => setTimeout(resolve, delay))
    await server.kill()
    const firstAnswer = await first
    server = await startChildServer(port, backend)

    const started = Date.now()
    const retry = await create(AbortSignal.timeout(10_000))
    const seconds = (Date.now() - started) / 1000
    const retried = await retry.json() as { id?: string }
    t.equal(retry.status, 201, `killed after ${delay} ms (first answer: ${firstAnswer?.status ?? 'none'}): the retry creates or replays`)
    t.ok(seconds < 5, `answered in ${seconds.toFixed(2)} s`)
    if (firstAnswer?.status === 201) t.equal(retried.id, firstAnswer.body.id, 'the first answer, replayed')
    const filter = encodeURIComponent(JSON.stringify({ Field: 'Domain', Value: domain, Operator: 'starts_with' }))
    const found = await fetch(`${server.url}/v1/customers?filter=${filter}`, { headers: { authorization: `Bearer ${token}` } })
    const ids = ((await found.json()) as { items: Array<{ id: string }> }).items.map((c) => c.id)
    t.same(ids, [retried.id], 'exactly one customer with the domain')
  }
})

function newCustomer (domain: string) {
  return {
    companyProfile: { domain },
    billingProfile: {
      firstName: 'Ann', lastName: 'Lee', email: 'ann@example.com', culture: 'en-US', language: 'en', companyName: 'Crash Test',
      defaultAddress: { country: 'US', city: 'Redmond', addressLine1: '1 Way', postalCode: '98052', firstName: 'Ann', lastName: 'Lee' }
    }
  }
}
