// npm run bench:export: a Graph billing export of BENCH_EXPORT_LINE_ITEMS unbilled line items (default
// one million) on PostgreSQL, against a raw pg cursor read of the same rows. Reports the export's rows
// per second over the cursor's (target: at least half) and the process's memory growth while the export
// runs (target: under 100 MB), then downloads every file over a socket, streaming, and counts its lines.
// Reported, not asserted. Needs PostgreSQL (the cursor): BENCH_DATABASE_URL names a server and
// database the bench may create a database in (default postgres://postgres@127.0.0.1:5432/postgres).
import { Readable } from 'node:stream'
import { createGunzip } from 'node:zlib'
import pg from 'pg'
import Cursor from 'pg-cursor'
import { buildApp } from '../src/app.js'
import { testableConfig } from '../src/config.js'
import { TEST_TEST_PARTNER } from '../src/seed/demo-data.js'

const N = Number(process.env.BENCH_EXPORT_LINE_ITEMS ?? 1_000_000)
const admin = new URL(process.env.BENCH_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres')
const gc = (globalThis as { gc?: () => void }).gc
const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1)
const say = (line: string) => process.stdout.write(`${line}\n`)

// A database of its own, dropped at the end.
const name = `pce_bench_export_${process.pid}`
const adminQuery = async (text: string) => { const c = new pg.Client({ connectionString: admin.toString() }); await c.connect(); try { await c.query(text) } finally { await c.end() } }
await adminQuery(`create database ${name}`)
const url = new URL(admin.toString())
url.pathname = `/${name}`
const partner = TEST_TEST_PARTNER.id
const customer = TEST_TEST_PARTNER.customers[0]!.id

try {
  const app = await buildApp(testableConfig({ DATABASE_URL: url.toString(), LOG_LEVEL: 'silent', BILLING_EXPORT_POLL_MS: 60_000 }), { logger: false })
  await app.listen({ port: 0, host: '127.0.0.1' })
  const origin = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`
  const client = new pg.Client({ connectionString: url.toString() })
  await client.connect()
  const seeded = Date.now()
  await client.query(`insert into charges (partner_tenant_id, customer_id, subscription_id, order_id, charge_type, catalog_item_id, quantity, unit_price_minor, amount_minor, currency_code, occurred_at)
    select $1::uuid, $2::uuid, null, 'bench' || i, 'new', 'CFQ7TTC0LFLX:0001:CFQ7TTC0LFLY', 1 + i % 7, 43200, 43200 * (1 + i % 7), 'USD', now()
    from generate_series(1, $3::int) as i`, [partner, customer, N])
  await client.query('analyze')
  say(`seeded ${N} unbilled line items in ${((Date.now() - seeded) / 1000).toFixed(1)} s`)

  // The baseline: the export's own query (billing/repository.ts lineItemsQuery), read with a cursor, rows parsed and dropped.
  const cursorStart = Date.now()
  const cursor = client.query(new Cursor(`select ch.id, ch.charge_type, ch.catalog_item_id, ch.quantity, ch.unit_price_minor, ch.amount_minor, ch.currency_code,
      ch.occurred_at, ch.invoice_id, ch.order_id, ch.subscription_id, ch.customer_id, cu.company_name, cu.domain, cu.billing_address,
      o.created_at as order_date, o.alternate_id, coalesce(ch.offer_name, s.offer_name) as offer_name, s.friendly_name, s.created_at as subscription_start,
      coalesce(ch.term_end_at, s.commitment_end_at) as commitment_end_at, coalesce(ch.term_duration, s.term_duration) as term_duration,
      coalesce(ch.billing_cycle, s.billing_cycle) as billing_cycle, s.unit_type, s.reseller_mpn_id
    from charges ch join customers cu on cu.id = ch.customer_id left join subscriptions s on s.id = ch.subscription_id left join orders o on o.id = ch.order_id
    where ch.partner_tenant_id = $1 and ch.catalog_item_id like '%:%' and ch.invoice_id is null and ch.currency_code = 'USD' order by ch.id`, [partner]))
  let cursorRows = 0
  for (let rows = await cursor.read(5000); rows.length > 0; rows = await cursor.read(5000)) cursorRows += rows.length
  await cursor.close()
  const cursorSeconds = (Date.now() - cursorStart) / 1000
  say(`raw pg cursor: ${cursorRows} rows in ${cursorSeconds.toFixed(1)} s (${Math.round(cursorRows / cursorSeconds)} rows/s)`)
  await client.end()

  const token = (await app.inject({ method: 'POST', url: '/_emulator/tokens', payload: { tenantId: partner, audience: 'https://graph.microsoft.com' } })).json().access_token as string
  const auth = { authorization: `Bearer ${token}`, 'content-type': 'application/json' }
  gc?.()
  const before = process.memoryUsage()
  let peakRss = before.rss
  let peakHeap = before.heapUsed
  const sampler = setInterval(() => {
    const m = process.memoryUsage()
    peakRss = Math.max(peakRss, m.rss)
    peakHeap = Math.max(peakHeap, m.heapUsed)
  }, 50)
  const exportStart = Date.now()
  const started = await fetch(`${origin}/v1.0/reports/partners/billing/reconciliation/unbilled/export`, {
    method: 'POST', headers: auth, body: JSON.stringify({ currencyCode: 'USD', billingPeriod: 'current', attributeSet: 'full' })
  })
  // Links name PUBLIC_BASE_URL; the bench listens on a port of its own.
  const local = (link: string) => `${origin}${new URL(link).pathname}`
  const location = local(started.headers.get('location')!)
  let operation: { status: string, resourceLocation?: { rootDirectory: string, sasToken: string, blobs: Array<{ name: string }> } }
  do {
    await new Promise((resolve) => setTimeout(resolve, 100))
    operation = await (await fetch(location, { headers: auth })).json() as typeof operation
  } while (operation.status !== 'succeeded' && operation.status !== 'failed')
  const exportSeconds = (Date.now() - exportStart) / 1000
  clearInterval(sampler)
  if (operation.status !== 'succeeded') throw new Error(`the export ended ${operation.status}`)
  say(`export: ${N} records in ${operation.resourceLocation!.blobs.length} files in ${exportSeconds.toFixed(1)} s (${Math.round(N / exportSeconds)} rows/s)`)
  say(`rows per second, export / raw cursor: ${((N / exportSeconds) / (cursorRows / cursorSeconds)).toFixed(2)} (target ≥ 0.5)`)
  say(`memory growth during the export: rss ${mb(peakRss - before.rss)} MB, heap ${mb(peakHeap - before.heapUsed)} MB (target < 100 MB)${gc ? '' : ' (run with --expose-gc for a settled baseline)'}`)

  // The files over a socket, decompressed as they stream: every record is there.
  let lines = 0
  let bytes = 0
  for (const blob of operation.resourceLocation!.blobs) {
    const res = await fetch(`${local(operation.resourceLocation!.rootDirectory)}/${blob.name}?${operation.resourceLocation!.sasToken}`)
    bytes += Number(res.headers.get('content-length'))
    for await (const chunk of Readable.fromWeb(res.body as never).pipe(createGunzip())) {
      for (const byte of chunk as Buffer) if (byte === 10) lines++
    }
  }
  say(`downloaded ${mb(bytes)} MB of gzip: ${lines} lines (${lines === N ? 'all records' : `expected ${N}`})`)
  await app.close()
} finally {
  await adminQuery(`drop database if exists ${name} with (force)`)
}
