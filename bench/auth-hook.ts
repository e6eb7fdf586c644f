// npm run bench: the auth hook's cost, measured as ratios in one run on one machine.
// Three servers answer GET /v1/customers/{id} with the same indexed query and the same JSON mapping,
// and every request carries the same Authorization header:
//   bare:       a bare Fastify instance, no hooks at all
//   unhooked:   our app, the same handler and schemas registered outside the protected scope (wire
//               conventions, validation, serialization, error handler; no auth hook)
//   protected:  our app's real route: auth hook, policy, journal write, response schema
// Target (issue 2): protected >= 0.9 x unhooked, i.e. the hook keeps 90% of the route's throughput.
// protected / bare is reported too, for the cost of the whole stack. Reported, not asserted: machines
// here are shared. The load generator runs in a process of its own so that it does not share the
// servers' event loop (which would flatten the differences).
// BENCH_JOURNAL=off drops the journal rows of this run (the app is otherwise unchanged), to show how
// much of the hook's cost is the journal and how much the decision itself.
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import Fastify, { type FastifyInstance } from 'fastify'
import { buildApp } from '../src/app.js'
import { testableConfig } from '../src/config.js'
import { createCustomersRepository } from '../src/routes/customers/repository.js'
import { CustomerParams, CustomerSchema } from '../src/routes/customers/schemas.js'
import { customerOf } from '../src/routes/customers/service.js'
import { TEST_TEST_PARTNER } from '../src/seed/demo-data.js'

const DURATION_S = Number(process.env.BENCH_SECONDS ?? 2)
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 21)
const JOURNAL = process.env.BENCH_JOURNAL !== 'off'
const CONNECTIONS = 10
const run = promisify(execFile)

const app = await buildApp(testableConfig({ PGLITE_DATA_DIR: 'memory://', DATABASE_URL: process.env.BENCH_DATABASE_URL ?? '', LOG_LEVEL: 'silent' }), { logger: false })
const customers = createCustomersRepository(app.db)
const sameWork = async (customerId: string) => customerOf((await customers.findById(TEST_TEST_PARTNER.id, customerId))!, true)
type ById = { Params: { customerId: string } }
// The same schemas as the real route, so that validation and serialization cost the same on both.
app.get<ById>('/unhooked/v1/customers/:customerId', { schema: { params: CustomerParams, response: { 200: CustomerSchema } } },
  async (request) => sameWork(request.params.customerId))
if (!JOURNAL) app.identity.journal.record = () => {}
await app.listen({ port: 0, host: '127.0.0.1' })
const bare = Fastify({ logger: false })
bare.get<ById>('/v1/customers/:customerId', async (request) => sameWork(request.params.customerId))
await bare.listen({ port: 0, host: '127.0.0.1' })

const token = (await app.inject({
  method: 'POST', url: '/_emulator/tokens', payload: { tenantId: TEST_TEST_PARTNER.id, userId: TEST_TEST_PARTNER.users[0]!.id }
})).json().access_token as string
const path = `/v1/customers/${TEST_TEST_PARTNER.customers[0]!.id}`
const urlOf = (server: FastifyInstance, prefix = '') => `http://127.0.0.1:${(server.server.address() as { port: number }).port}${prefix}${path}`
const targets = { bare: urlOf(bare), unhooked: urlOf(app, '/unhooked'), protected: urlOf(app) }

async function measure (name: string, url: string): Promise<number> {
  const cpuBefore = process.cpuUsage()
  const { stdout } = await run(process.execPath, [
    'node_modules/autocannon/autocannon.js', '--json', '-c', String(CONNECTIONS), '-d', String(DURATION_S),
    '-H', `authorization=Bearer ${token}`, url
  ], { maxBuffer: 16 * 1024 * 1024 })
  const result = JSON.parse(stdout) as { requests: { average: number }, latency: { p99: number }, '2xx': number, non2xx: number, errors: number }
  if (result.non2xx > 0 || result.errors > 0) throw new Error(`${name}: ${result.non2xx} non-2xx answers, ${result.errors} errors`)
  const cpu = process.cpuUsage(cpuBefore)
  const cpuPerRequest = (cpu.user + cpu.system) / (result.requests.average * DURATION_S)
  process.stdout.write(`${name.padEnd(18)} ${result.requests.average.toFixed(0).padStart(7)} req/s  p99 ${String(result.latency.p99).padStart(3)} ms  server CPU ${cpuPerRequest.toFixed(0)} µs/request\n`)
  return result.requests.average
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!
const list = (values: number[]) => values.map((v) => v.toFixed(2)).join(' ')
const sum = (values: number[]) => values.reduce((a, b) => a + b, 0)
const journalRows = async () => Number((await app.db.selectFrom('request_journal').select((eb) => eb.fn.countAll<string>().as('rows')).executeTakeFirstOrThrow()).rows)

process.stdout.write(`backend ${app.database.backend}, ${CONNECTIONS} connections, ${ROUNDS} rounds of ${DURATION_S} s per server (after a warm-up), journal ${JOURNAL ? 'on' : 'OFF'}\n`)
for (const [name, url] of Object.entries(targets)) await measure(`warm-up ${name}`, url)
await app.identity.journal.flush()
const rowsBefore = await journalRows()
// Each round measures the three servers, in an order that rotates from round to round, so that load
// from other tenants of the machine and the order itself hit all of them alike. The median of the
// per-round ratios is the figure to read; the pooled ratio (all requests over all rounds) backs it up.
const rates: Record<keyof typeof targets, number[]> = { bare: [], unhooked: [], protected: [] }
const names = Object.keys(targets) as (keyof typeof targets)[]
for (let round = 0; round < ROUNDS; round++) {
  for (let i = 0; i < names.length; i++) {
    const name = names[(round + i) % names.length]!
    rates[name].push(await measure(name, targets[name]))
  }
}
const hook = rates.protected.map((rate, i) => rate / rates.unhooked[i]!)
const stack = rates.protected.map((rate, i) => rate / rates.bare[i]!)
await app.identity.journal.flush()
process.stdout.write(`journal rows written: ${await journalRows() - rowsBefore}\n`)
const verdict = !JOURNAL ? 'no verdict with the journal off' : median(hook) >= 0.9 ? 'met' : 'NOT met'
process.stdout.write(`hook   protected/unhooked: ${list(hook)}; median ${median(hook).toFixed(2)}, pooled ${(sum(rates.protected) / sum(rates.unhooked)).toFixed(2)} (target >= 0.90: ${verdict})\n`)
process.stdout.write(`stack  protected/bare:     ${list(stack)}; median ${median(stack).toFixed(2)}, pooled ${(sum(rates.protected) / sum(rates.bare)).toFixed(2)}\n`)
await bare.close()
await app.close()
