// npm run bench: the auth hook's cost, measured as ratios in one run on one machine.
// Four servers answer GET /v1/customers/{id} with the same indexed query and the same JSON mapping,
// and every request carries the same Authorization header:
//   bare:       a bare Fastify instance, no hooks at all
//   unhooked:   our app, the same handler and schemas registered outside the protected scope (wire
//               conventions, validation, serialization, error handler; no auth hook)
//   decision:   our app's real route, auth hook and policy, measured while the journal drops its rows
//   protected:  our app's real route as it runs: auth hook, policy, and a durable journal row per request
// The verdict is decision / unhooked >= 0.9: the hook's decision keeps 90% of the route's throughput.
// protected / unhooked adds what the journal costs (PostgreSQL storing one indexed row per request,
// which the MFA reports read one by one): reported, not chased. protected / bare gives the cost of the
// whole stack. Reported, not asserted: machines here are shared. The load generator runs in a process
// of its own so that it does not share the servers' event loop (which would flatten the differences).
// On a virtual machine the hypervisor takes CPU time from the guest ("steal", /proc/stat) whenever
// its other guests are busy, and a round that loses a third of its CPU says nothing about the hook.
// Each measurement therefore reports the share of the machine's time stolen while it ran, and the
// machine's own CPU time per request (all processes and the kernel: server, PostgreSQL, load
// generator), split into the server's, PostgreSQL's and the rest (load generator, kernel); the verdict
// is also given over the quiet rounds alone, and the summary says where the hook's extra CPU went.
import { execFile } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import { promisify } from 'node:util'
import Fastify, { type FastifyInstance } from 'fastify'
import { buildApp } from '../src/app.js'
import { testableConfig } from '../src/config.js'
import { createCustomersRepository } from '../src/api/customers/repository.js'
import { CustomerParams, CustomerSchema } from '../src/api/customers/schemas.js'
import { customerOf } from '../src/api/customers/service.js'
import { TEST_TEST_PARTNER } from '../src/seed/demo-data.js'

const DURATION_S = Number(process.env.BENCH_SECONDS ?? 2)
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 21)
const CONNECTIONS = 10
/** A round is quiet when the hypervisor took less than this share of the machine's time from any of its three measurements. */
const QUIET_STEAL = 0.05
const run = promisify(execFile)
/** USER_HZ: Linux reports /proc/stat in hundredths of a second on every architecture Node runs on. */
const TICKS_PER_S = 100

const config = testableConfig({ PGLITE_DATA_DIR: 'memory://', DATABASE_URL: process.env.BENCH_DATABASE_URL ?? '', LOG_LEVEL: 'silent' })
const app = await buildApp(config, { logger: false })
const customers = createCustomersRepository(app.db)
const sameWork = async (customerId: string) => customerOf((await customers.findById(TEST_TEST_PARTNER.id, customerId))!, true)
type ById = { Params: { customerId: string } }
// The same schemas as the real route, so that validation and serialization cost the same on both.
app.get<ById>('/unhooked/v1/customers/:customerId', { schema: { params: CustomerParams, response: { 200: CustomerSchema } } },
  async (request) => sameWork(request.params.customerId))
await app.listen({ port: 0, host: '127.0.0.1' })
// The decision alone is the protected route measured while the journal drops its rows: the same app,
// route and caches, so that the two differ only by the journal.
const record = app.journal.record.bind(app.journal)
const journalOff = (off: boolean) => { app.journal.record = off ? () => {} : record }
const bare = Fastify({ logger: false })
bare.get<ById>('/v1/customers/:customerId', async (request) => sameWork(request.params.customerId))
await bare.listen({ port: 0, host: '127.0.0.1' })

const token = (await app.inject({
  method: 'POST', url: '/_emulator/tokens', payload: { tenantId: TEST_TEST_PARTNER.id, userId: TEST_TEST_PARTNER.users[0]!.id }
})).json().access_token as string
const path = `/v1/customers/${TEST_TEST_PARTNER.customers[0]!.id}`
const urlOf = (server: FastifyInstance, prefix = '') => `http://127.0.0.1:${(server.server.address() as { port: number }).port}${prefix}${path}`
const targets = { bare: urlOf(bare), unhooked: urlOf(app, '/unhooked'), decision: urlOf(app), protected: urlOf(app) }

interface Measurement { rate: number, steal: number, machineCpu: number, serverCpu: number, databaseCpu: number }

/** The machine's CPU time so far, in clock ticks: busy (all processes and the kernel) and stolen by the hypervisor. */
function machineTicks (): { busy: number, steal: number, all: number } {
  const [user, nice, system, idle, iowait, irq, softirq, steal] = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!
    .trim().split(/\s+/).slice(1, 9).map(Number) as [number, number, number, number, number, number, number, number]
  const busy = user + nice + system + irq + softirq
  return { busy, steal, all: busy + idle + iowait + steal }
}

/** CPU time so far of the PostgreSQL server's processes, in clock ticks (none with PGlite, which runs inside the server). */
function databaseTicks (): number {
  if (app.database.backend !== 'postgres') return 0
  let ticks = 0
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
      const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'))
      if (name !== 'postgres') continue
      // utime and stime, the 14th and 15th fields (the 12th and 13th after the name).
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
      ticks += Number(fields[11]) + Number(fields[12])
    } catch { /* the process ended meanwhile */ }
  }
  return ticks
}

async function measure (name: string, url: string): Promise<Measurement> {
  journalOff(name.endsWith('decision'))
  const cpuBefore = process.cpuUsage()
  const ticksBefore = machineTicks()
  const databaseBefore = databaseTicks()
  const { stdout } = await run(process.execPath, [
    'node_modules/autocannon/autocannon.js', '--json', '-c', String(CONNECTIONS), '-d', String(DURATION_S),
    '-H', `authorization=Bearer ${token}`, url
  ], { maxBuffer: 16 * 1024 * 1024 })
  // The journal's last rows are written now, counted in this measurement rather than in the next one.
  await app.journal.flush()
  const ticks = machineTicks()
  const databaseAfter = databaseTicks()
  const result = JSON.parse(stdout) as { requests: { average: number, total: number }, latency: { p99: number }, '2xx': number, non2xx: number, errors: number }
  if (result.non2xx > 0 || result.errors > 0) throw new Error(`${name}: ${result.non2xx} non-2xx answers, ${result.errors} errors`)
  const cpu = process.cpuUsage(cpuBefore)
  const serverCpu = (cpu.user + cpu.system) / result.requests.total
  const machineCpu = (ticks.busy - ticksBefore.busy) * (1e6 / TICKS_PER_S) / result.requests.total
  const databaseCpu = (databaseAfter - databaseBefore) * (1e6 / TICKS_PER_S) / result.requests.total
  const steal = (ticks.steal - ticksBefore.steal) / Math.max(1, ticks.all - ticksBefore.all)
  process.stdout.write(`${name.padEnd(18)} ${result.requests.average.toFixed(0).padStart(7)} req/s  p99 ${String(result.latency.p99).padStart(3)} ms` +
    `  CPU µs/request: server ${serverCpu.toFixed(0).padStart(4)}, database ${databaseCpu.toFixed(0).padStart(3)}, rest ${(machineCpu - serverCpu - databaseCpu).toFixed(0).padStart(3)}, machine ${machineCpu.toFixed(0).padStart(4)}  steal ${(100 * steal).toFixed(0).padStart(2)}%\n`)
  return { rate: result.requests.average, steal, machineCpu, serverCpu, databaseCpu }
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!
const list = (values: number[]) => values.map((v) => v.toFixed(2)).join(' ')
const sum = (values: number[]) => values.reduce((a, b) => a + b, 0)
const journalRows = async () => Number((await app.db.selectFrom('request_journal').select((eb) => eb.fn.countAll<string>().as('rows')).executeTakeFirstOrThrow()).rows)

process.stdout.write(`backend ${app.database.backend}, ${CONNECTIONS} connections, ${ROUNDS} rounds of ${DURATION_S} s per server (after a warm-up)\n`)
for (const [name, url] of Object.entries(targets)) await measure(`warm-up ${name}`, url)
await app.journal.flush()
const rowsBefore = await journalRows()
// Each round measures the four servers, in an order that rotates from round to round, so that load
// from other tenants of the machine and the order itself hit all of them alike. The median of the
// per-round ratios is the figure to read; the pooled ratio (all requests over all rounds) backs it up.
const rounds: Record<keyof typeof targets, Measurement>[] = []
const names = Object.keys(targets) as (keyof typeof targets)[]
for (let round = 0; round < ROUNDS; round++) {
  const measured: Partial<Record<keyof typeof targets, Measurement>> = {}
  for (let i = 0; i < names.length; i++) {
    const name = names[(round + i) % names.length]!
    measured[name] = await measure(name, targets[name])
  }
  rounds.push(measured as Record<keyof typeof targets, Measurement>)
}
await app.journal.flush()
process.stdout.write(`journal rows written: ${await journalRows() - rowsBefore}\n`)

const quiet = rounds.filter((r) => names.every((name) => r[name].steal < QUIET_STEAL))
type Name = keyof typeof targets
function report (label: string, of: typeof rounds, server: Name, over: Name, target?: number) {
  if (of.length === 0) return
  const ratios = of.map((r) => r[server].rate / r[over].rate)
  const pooled = sum(of.map((r) => r[server].rate)) / sum(of.map((r) => r[over].rate))
  // The same comparison in CPU time: what a request costs the whole machine, whatever the hypervisor did.
  const cpuRatio = median(of.map((r) => r[over].machineCpu / r[server].machineCpu))
  const verdict = target === undefined ? '' : ` (target >= ${target.toFixed(2)}: ${median(ratios) >= target ? 'met' : 'NOT met'})`
  process.stdout.write(`${label.padEnd(44)} ${list(ratios)}; median ${median(ratios).toFixed(2)}, pooled ${pooled.toFixed(2)}, machine CPU ratio ${cpuRatio.toFixed(2)}${verdict}\n`)
}
/** Where a server's extra CPU goes per request, against the unhooked route: the server process, PostgreSQL, the rest (load generator, kernel). */
function extraCpu (label: string, server: Name) {
  const extra = (of: (m: Measurement) => number) => median(rounds.map((r) => of(r[server]) - of(r.unhooked))).toFixed(0)
  process.stdout.write(`${label.padEnd(44)} server ${extra((m) => m.serverCpu)}, database ${extra((m) => m.databaseCpu)}, ` +
    `rest ${extra((m) => m.machineCpu - m.serverCpu - m.databaseCpu)}, machine ${extra((m) => m.machineCpu)}\n`)
}
process.stdout.write('VERDICT: the auth hook\'s decision (journal left out) against the same route without the hook\n')
report('  decision/unhooked, all rounds', rounds, 'decision', 'unhooked', 0.9)
report(`  decision/unhooked, ${quiet.length} quiet rounds`, quiet, 'decision', 'unhooked', quiet.length >= 5 ? 0.9 : undefined)
extraCpu('  extra CPU µs/request (median)', 'decision')
process.stdout.write('REPORTED: the hook as it runs, with a durable journal row per request (no target)\n')
report('  protected/unhooked, all rounds', rounds, 'protected', 'unhooked')
report(`  protected/unhooked, ${quiet.length} quiet rounds`, quiet, 'protected', 'unhooked')
report('  protected/decision (the journal alone)', rounds, 'protected', 'decision')
extraCpu('  extra CPU µs/request (median)', 'protected')
report('  stack: protected/bare', rounds, 'protected', 'bare')
if (quiet.length < 5) process.stdout.write(`only ${quiet.length} of ${ROUNDS} rounds had less than ${100 * QUIET_STEAL}% steal: the machine is too busy for a verdict over quiet rounds\n`)
await bare.close()
await app.close()
