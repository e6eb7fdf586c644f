// npm run bench:reconciliation: reconciliation line items are paged, so memory stays flat however many
// there are. Seeds N unbilled charges (BENCH_LINE_ITEMS, default 200,000), pages through all of them
// (2,000 per page, as Partner Center clients do), and reports the heap after a forced GC at intervals.
// Run with --expose-gc (the npm script does). Reported, not asserted.
import { sql } from 'kysely'
import { buildApp } from '../src/app.js'
import { testableConfig } from '../src/config.js'
import { TEST_TEST_PARTNER } from '../src/seed/demo-data.js'

const N = Number(process.env.BENCH_LINE_ITEMS ?? 200_000)
const PAGE = 2000
const gc = (globalThis as { gc?: () => void }).gc
const heapMb = () => { gc?.(); return process.memoryUsage().heapUsed / 1024 / 1024 }

const app = await buildApp(testableConfig({ PGLITE_DATA_DIR: 'memory://', DATABASE_URL: process.env.BENCH_DATABASE_URL ?? '', LOG_LEVEL: 'silent' }), { logger: false })
await app.listen({ port: 0, host: '127.0.0.1' })
const origin = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`
const partner = TEST_TEST_PARTNER.id
const customer = TEST_TEST_PARTNER.customers[0]!.id
const started = Date.now()
await sql`insert into charges (partner_tenant_id, customer_id, subscription_id, order_id, charge_type, catalog_item_id, quantity, unit_price_minor, amount_minor, currency_code, occurred_at)
  select ${partner}::uuid, ${customer}::uuid, null, 'bench' || i, 'new', 'CFQ7TTC0LFLX:0001:CFQ7TTC0LFLY', 1 + i % 7, 43200, 43200 * (1 + i % 7), 'USD', now()
  from generate_series(1, ${N}) as i`.execute(app.db)
// As autovacuum would after a bulk load: without statistics the planner sorts every remaining row per page.
await sql`analyze charges`.execute(app.db)
process.stdout.write(`backend ${app.database.backend}: seeded ${N} unbilled line items in ${((Date.now() - started) / 1000).toFixed(1)} s\n`)

const token = (await app.inject({ method: 'POST', url: '/_emulator/tokens', payload: { tenantId: partner, userId: TEST_TEST_PARTNER.users[3]!.id } })).json().access_token as string
const base = `/v1/invoices/unbilled/lineitems?provider=onetime&invoicelineitemtype=billinglineitems&currencycode=USD&period=current&size=${PAGE}`
let continuation: string | undefined
let pages = 0
let items = 0
let peak = 0
const samples: string[] = []
const before = heapMb()
const readStart = Date.now()
do {
  // Over a real socket, as a client would read it.
  const res = await fetch(`${origin}${continuation ? `${base}&seekOperation=Next` : base}`, {
    headers: { authorization: `Bearer ${token}`, ...(continuation ? { 'ms-continuationtoken': continuation } : {}) }
  })
  const body = await res.json() as { items: unknown[], continuationToken?: string }
  items += body.items.length
  continuation = body.continuationToken
  pages++
  if (pages === 1 || pages % 25 === 0 || !continuation) {
    const heap = heapMb()
    peak = Math.max(peak, heap)
    samples.push(`page ${pages}: ${heap.toFixed(1)} MB`)
  }
} while (continuation)
const seconds = (Date.now() - readStart) / 1000
process.stdout.write(`read ${items} line items in ${pages} pages of ${PAGE} in ${seconds.toFixed(1)} s (${Math.round(items / seconds)} items/s)\n`)
process.stdout.write(`heap after GC: before ${before.toFixed(1)} MB; ${samples.join('; ')}\n`)
process.stdout.write(`heap growth over the whole read: ${(heapMb() - before).toFixed(1)} MB for ${items} line items${gc ? '' : ' (run with --expose-gc for exact figures)'}\n`)
await app.close()
