// npm run bench: the auth hook's cost, measured as a ratio in one run on one machine.
// Both sides do the same work (one indexed query on the same database, the same JSON mapping):
//   protected: GET /v1/customers/{id} through the whole app (hook, policy, journal, response schema)
//   bare:      the same query and mapping on a bare Fastify route with no hook
// Target: protected >= 0.9 x bare throughput. Reported, not asserted: machines here are shared.
import autocannon from 'autocannon'
import Fastify from 'fastify'
import { buildApp } from '../src/app.js'
import { testableConfig } from '../src/config.js'
import { createCustomersRepository } from '../src/routes/customers/repository.js'
import { customerOf } from '../src/routes/customers/service.js'
import { TEST_TEST_PARTNER } from '../src/seed/demo-data.js'

const DURATION_S = Number(process.env.BENCH_SECONDS ?? 5)
const CONNECTIONS = 10

const app = await buildApp(testableConfig({ PGLITE_DATA_DIR: 'memory://', DATABASE_URL: process.env.BENCH_DATABASE_URL ?? '', LOG_LEVEL: 'silent' }), { logger: false })
await app.listen({ port: 0, host: '127.0.0.1' })
const token = (await app.inject({
  method: 'POST', url: '/_emulator/tokens', payload: { tenantId: TEST_TEST_PARTNER.id, userId: TEST_TEST_PARTNER.users[0]!.id }
})).json().access_token as string

const customers = createCustomersRepository(app.db)
const bare = Fastify({ logger: false })
bare.get('/v1/customers/:customerId', async (request) =>
  customerOf((await customers.findById(TEST_TEST_PARTNER.id, (request.params as { customerId: string }).customerId))!, true))
await bare.listen({ port: 0, host: '127.0.0.1' })

const portOf = (server: typeof app) => (server.server.address() as { port: number }).port
const path = `/v1/customers/${TEST_TEST_PARTNER.customers[0]!.id}`

async function measure (name: string, port: number, headers: Record<string, string>) {
  const result = await autocannon({ url: `http://127.0.0.1:${port}${path}`, headers, connections: CONNECTIONS, duration: DURATION_S })
  const ok = result['2xx']
  if (result.errors > 0) process.stdout.write(`${name}: ${result.errors} errors, ${result.timeouts} timeouts\n`)
  process.stdout.write(`${name.padEnd(10)} ${result.requests.average.toFixed(0).padStart(7)} req/s  p99 ${result.latency.p99} ms  2xx ${ok}  non-2xx ${result.non2xx}\n`)
  return result.requests.average
}

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3)
process.stdout.write(`backend ${app.database.backend}, ${CONNECTIONS} connections, ${ROUNDS} alternating rounds of ${DURATION_S} s (after a warm-up)\n`)
await measure('warm-up', portOf(app), { authorization: `Bearer ${token}` })
// Alternate the two sides so that load from other tenants of the machine hits both alike;
// the median of the per-round ratios is the figure to read.
const ratios: number[] = []
for (let round = 1; round <= ROUNDS; round++) {
  const bareRate = await measure('bare', portOf(bare), {})
  const protectedRate = await measure('protected', portOf(app), { authorization: `Bearer ${token}` })
  ratios.push(protectedRate / bareRate)
}
const median = [...ratios].sort((a, b) => a - b)[Math.floor(ratios.length / 2)]!
process.stdout.write(`ratios protected/bare: ${ratios.map((r) => r.toFixed(2)).join(' ')}; median ${median.toFixed(2)} (target >= 0.90: ${median >= 0.9 ? 'met' : 'NOT met'})\n`)
await bare.close()
await app.close()
