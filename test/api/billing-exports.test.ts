// Graph's partner billing export through the HTTP API: export requests start operations, the job writes
// gzip JSON lines files, the manifest names them with a SAS token, and the files download (whole or by
// range) only with that token. The exported records are the same lines the v1 reconciliation API shows.
// Scenario: the subtests share one app; billing accumulates, so each reads what it bought by its ids.
import { gunzipSync } from 'node:zlib'
import t from 'tap'
import { RECONCILIATION_COLUMNS } from '../../src/billing-export/records.js'
import { build, call, mint, PARTNER, OTHER_PARTNER, userToken, USERS } from '../helper.js'

const GRAPH = 'https://graph.microsoft.com'
const BASE = '/v1.0/reports/partners/billing'
const app = await build(t, { BILLING_EXPORT_ROWS_PER_FILE: 2, BILLING_EXPORT_POLL_MS: 50 })
const [contoso] = PARTNER.customers
const E3 = 'CFQ7TTC0LFLX:0001:CFQ7TTC0LFLY'
const WINDOWS_SERVER = 'DG7GMGF0FKZV:0001:DG7GMGF0FKZW'
const AZURE_PLAN = 'DZH318Z0BQ3Q:0001:DZH318Z0BXWC'
const admin = await userToken(app, USERS.adminAgent)
const billingAdmin = await userToken(app, USERS.billingAdmin)
const graph = await userToken(app, USERS.billingAdmin, { audience: GRAPH })
const agreement = { primaryContact: { firstName: 'Ann', lastName: 'Lee', email: 'ann@example.com' }, templateId: '117a1a3b-b1b6-4a4b-8d7c-0f0f2b8d8d5e', dateAgreed: '2026-11-01T00:00:00Z', type: 'MicrosoftCustomerAgreement' }
await call(app, admin, { method: 'POST', url: `/v1/customers/${contoso!.id}/agreements`, payload: agreement })

async function buy (lineItems: unknown[]) {
  const cart = (await call(app, admin, { method: 'POST', url: `/v1/customers/${contoso!.id}/carts`, payload: { lineItems } })).json()
  const result = await call(app, admin, { method: 'POST', url: `/v1/customers/${contoso!.id}/carts/${cart.id}/checkout` })
  if (result.statusCode !== 201) throw new Error(result.body)
  return result.json()
}
const close = () => app.inject({ method: 'POST', url: '/_emulator/billing/close', payload: { tenantId: PARTNER.id } })
const pathOf = (url: string) => url.replace(/^https?:\/\/[^/]+/, '')

/** Starts an export and polls its operation (honouring Retry-After's meaning, faster) until it ends. */
async function exportAndWait (path: string, body: Record<string, unknown>, token = graph) {
  const started = await call(app, token, { method: 'POST', url: `${BASE}/${path}`, payload: body })
  if (started.statusCode !== 202) throw new Error(`${started.statusCode} ${started.body}`)
  const location = pathOf(started.headers.location as string)
  for (let i = 0; i < 400; i++) {
    const res = await call(app, token, { url: location })
    const operation = res.json()
    if (operation.status === 'succeeded' || operation.status === 'failed') return { operation, location }
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
  throw new Error('the export did not end')
}

/** Every record of a succeeded operation's files, in file order. */
async function recordsOf (operation: { resourceLocation: { rootDirectory: string, sasToken: string, blobs: Array<{ name: string }> } }) {
  const records: Array<Record<string, unknown>> = []
  for (const blob of operation.resourceLocation.blobs) {
    const res = await app.inject({ url: `${pathOf(operation.resourceLocation.rootDirectory)}/${blob.name}?${operation.resourceLocation.sasToken}` })
    if (res.statusCode !== 200) throw new Error(`${res.statusCode} ${res.body}`)
    const text = gunzipSync(res.rawPayload).toString('utf8')
    records.push(...text.split('\n').filter(Boolean).map((line) => JSON.parse(line)))
  }
  return records
}

t.test('unbilled reconciliation: 202 + Location, running → succeeded, the manifest, and the same lines as the v1 API', async (t) => {
  await buy([{ catalogItemId: E3, quantity: 3, billingCycle: 'annual', termDuration: 'P1Y' }])
  await buy([{ catalogItemId: WINDOWS_SERVER, quantity: 2, billingCycle: 'one_time' }])
  await buy([{ catalogItemId: WINDOWS_SERVER, quantity: 1, billingCycle: 'one_time' }])

  const started = await call(app, graph, { method: 'POST', url: `${BASE}/reconciliation/unbilled/export`, payload: { currencyCode: 'USD', billingPeriod: 'current', attributeSet: 'full' } })
  t.equal(started.statusCode, 202, started.body)
  t.match(started.headers.location, new RegExp(`${BASE}/operations/[0-9a-f-]{36}$`))
  t.equal(started.body, '', 'no body, as documented')
  const { operation, location } = await exportAndWait('reconciliation/unbilled/export', { currencyCode: 'usd', billingPeriod: 'current' })
  t.match(operation, {
    '@odata.type': '#microsoft.graph.partners.billing.exportSuccessOperation', status: 'succeeded',
    'resourceLocation@odata.navigationLink': new RegExp(`${BASE}/manifests/[0-9a-f-]{36}$`),
    resourceLocation: { schemaVersion: '2', dataFormat: 'compressedJSON', partitionType: 'default', partnerTenantId: PARTNER.id, blobCount: 2 }
  })
  t.match(operation.resourceLocation.rootDirectory, /\/blobs\/partnerbilling\/unbilledreconfastpath\/v1\/ExportId=.+\/Fragment=full\/PartitionType=default$/)
  t.match(operation.resourceLocation.blobs[0], { name: /^part-00000-[0-9a-f-]{36}\.c000\.json\.gz$/, partitionValue: 'default' })
  const manifest = await call(app, graph, { url: pathOf(operation['resourceLocation@odata.navigationLink']) })
  t.equal(manifest.statusCode, 200)
  t.match(manifest.json(), { id: operation.resourceLocation.id, blobs: operation.resourceLocation.blobs, '@odata.context': /reports\/partners\/billing\/manifests\/\$entity$/ })
  t.match(manifest.json().sasToken, /^sv=2021-08-06&se=[^&]+&sr=d&sp=r&sig=/)
  t.equal((await call(app, graph, { url: location })).headers['retry-after'], undefined, 'no Retry-After once it ended')

  const records = await recordsOf(operation)
  const v1 = (await call(app, billingAdmin, { url: '/v1/invoices/unbilled/lineitems?provider=onetime&invoicelineitemtype=billinglineitems&currencycode=USD&period=current&size=2000' })).json()
  t.equal(records.length, v1.totalCount, 'one record per unbilled USD line item')
  t.equal(operation.resourceLocation.blobs.length, Math.ceil(records.length / 2), 'two records per file (BILLING_EXPORT_ROWS_PER_FILE)')
  t.same(records.map((r) => r.ReferenceId), v1.items.map((i: { referenceId: string }) => i.referenceId), 'the same lines, in the same order')
  const first = v1.items[0]
  t.match(records[0], {
    PartnerId: PARTNER.id, CustomerId: first.customerId, CustomerName: first.customerName, InvoiceNumber: '', OrderId: first.orderId,
    ProductId: first.productId, SkuId: first.skuId, ChargeType: 'New', UnitPrice: first.unitPrice, Quantity: first.quantity,
    Subtotal: first.subtotal, Total: first.totalForCustomer, Currency: 'USD', ChargeStartDate: first.chargeStartDate, ProductCategory: 'OnlineServices'
  })
  t.equal(RECONCILIATION_COLUMNS.length, 47)
  t.same(Object.keys(records[0]!), RECONCILIATION_COLUMNS, 'the reconciliation file\'s 47 columns, in its order')

  const basic = await recordsOf((await exportAndWait('reconciliation/unbilled/export', { currencyCode: 'USD', billingPeriod: 'current', attributeSet: 'basic' })).operation)
  t.equal(basic.length, records.length)
  t.ok(Object.keys(basic[0]!).length < 47, 'basic is a subset of the columns')
  t.notOk('CustomerDomainName' in basic[0]!)
  t.equal(basic[0]!.Total, records[0]!.Total)
})

t.test('billed reconciliation and billed usage of an invoice; unbilled usage agrees with the v1 usage lines', async (t) => {
  await buy([{ catalogItemId: AZURE_PLAN, quantity: 1, billingCycle: 'one_time' }])
  await app.inject({ method: 'PUT', url: '/_emulator/clock', payload: { advanceSeconds: 3 * 86_400 } })
  const unbilledUsage = (await exportAndWait('usage/unbilled/export', { currencyCode: 'USD', billingPeriod: 'current' })).operation
  const usageRecords = await recordsOf(unbilledUsage)
  const v1Usage = (await call(app, billingAdmin, { url: '/v1/invoices/unbilled/lineitems?provider=onetime&invoicelineitemtype=usagelineitems&currencycode=USD&period=current&size=2000' })).json()
  t.ok(usageRecords.length >= 3, 'at least three whole days metered')
  t.equal(usageRecords.length, v1Usage.totalCount)
  t.match(usageRecords[0], { MeterName: 'D2s v5', Quantity: 24, UnitPrice: 0.1, BillingPreTaxTotal: 2.4, BillingCurrency: 'USD', InvoiceNumber: '', ChargeType: 'New' })
  t.equal(Object.keys(usageRecords[0]!).length, 55, 'the usage columns (Graph attributeSet page, and PCToBCExchangeRateDate)')
  const basicUsage = await recordsOf((await exportAndWait('usage/unbilled/export', { currencyCode: 'USD', billingPeriod: 'current', attributeSet: 'basic' })).operation)
  t.equal(Object.keys(basicUsage[0]!).length, 30, 'the 30 basic usage columns')

  const invoice = (await close()).json().invoices.find((i: { currencyCode: string }) => i.currencyCode === 'USD')
  const billed = await recordsOf((await exportAndWait('reconciliation/billed/export', { invoiceId: invoice.id })).operation)
  const v1Billed = (await call(app, billingAdmin, { url: `/v1/invoices/${invoice.id}/lineitems?provider=onetime&invoicelineitemtype=billinglineitems&currencycode=USD&size=2000` })).json()
  t.equal(billed.length, v1Billed.totalCount)
  t.ok(billed.every((r) => r.InvoiceNumber === invoice.id), 'every record names the invoice')
  const billedUsage = await recordsOf((await exportAndWait('usage/billed/export', { invoiceId: invoice.id })).operation)
  const total = billedUsage.reduce((sum, r) => sum + Math.round(Number(r.BillingPreTaxTotal) * 100), 0)
  const v1BilledUsage = (await call(app, billingAdmin, { url: `/v1/invoices/${invoice.id}/lineitems?provider=onetime&invoicelineitemtype=usagelineitems&currencycode=USD&size=2000` })).json()
  t.equal(billedUsage.length, v1BilledUsage.totalCount)
  t.equal(total, v1BilledUsage.items.reduce((sum: number, i: { billingPreTaxTotal: number }) => sum + Math.round(i.billingPreTaxTotal * 100), 0), 'the usage totals agree')
  const last = await recordsOf((await exportAndWait('reconciliation/unbilled/export', { currencyCode: 'USD', billingPeriod: 'last' })).operation)
  t.equal(last.length, billed.length, 'last: the last closed period')
})

t.test('an export with no lines fails with Graph\'s "No data available"', async (t) => {
  for (const [path, body] of [['reconciliation/billed/export', { invoiceId: 'G000000999' }], ['usage/unbilled/export', { currencyCode: 'EUR', billingPeriod: 'current' }]] as const) {
    const { operation } = await exportAndWait(path, body)
    t.match(operation, { '@odata.type': '#microsoft.graph.partners.billing.failedOperation', status: 'failed', error: { code: '5000', message: 'No data available' } }, path)
    t.notOk('resourceLocation' in operation)
  }
})

t.test('bad requests answer 400 in the Graph envelope', async (t) => {
  const cases: Array<[string, unknown, RegExp]> = [
    ['reconciliation/billed/export', {}, /invoiceId/],
    ['reconciliation/billed/export', { invoiceId: ' ' }, /invoiceId is required/],
    ['reconciliation/billed/export', { invoiceId: 'G1', attributeSet: 'everything' }, /attributeSet must be full or basic/],
    ['reconciliation/unbilled/export', { currencyCode: 'USD', billingPeriod: 'previous' }, /billingPeriod must be current or last/],
    ['usage/unbilled/export', { currencyCode: 'dollars', billingPeriod: 'current' }, /currencyCode/],
    ['usage/unbilled/export', { billingPeriod: 'current' }, /currencyCode/]
  ]
  for (const [path, body, message] of cases) {
    const res = await call(app, graph, { method: 'POST', url: `${BASE}/${path}`, payload: body as object })
    t.equal(res.statusCode, 400, `${path} ${JSON.stringify(body)}`)
    t.match(res.json().error, { code: /BadRequest|invalid/i, message, innerError: { 'request-id': String } })
  }
  t.equal((await call(app, graph, { url: `${BASE}/operations/not-a-guid` })).json().error.code, 'Request_ResourceNotFound')
  t.equal((await call(app, graph, { url: `${BASE}/manifests/00000000-0000-4000-8000-000000000000` })).statusCode, 404)
})

t.test('PartnerBilling.Read.All, delegated or application; billing roles; each partner sees its own', async (t) => {
  await buy([{ catalogItemId: WINDOWS_SERVER, quantity: 1, billingCycle: 'one_time' }]) // unbilled after the last close
  const { location, operation } = await exportAndWait('reconciliation/unbilled/export', { currencyCode: 'USD', billingPeriod: 'current' }, await mint(app, { audience: GRAPH }))
  t.equal(operation.status, 'succeeded', 'an app-only token with the application permission exports')
  const gdapOnly = await userToken(app, USERS.billingAdmin, { audience: GRAPH, claims: { scp: 'DelegatedAdminRelationship.ReadWrite.All' } })
  const denied = await call(app, gdapOnly, { url: location })
  t.equal(denied.statusCode, 403)
  t.match(denied.json().error, { code: 'Authorization_RequestDenied' })
  t.match(denied.headers['www-authenticate'], /insufficient_scope/)
  t.equal((await call(app, await userToken(app, USERS.helpdeskAgent, { audience: GRAPH }), { url: location })).statusCode, 403, 'a helpdesk agent reads no billing')
  t.equal((await call(app, billingAdmin, { url: location })).statusCode, 401, 'a Partner Center token is not a Graph token')
  const other = await mint(app, { tenantId: OTHER_PARTNER.id, audience: GRAPH })
  t.equal((await call(app, other, { url: location })).statusCode, 404, 'another partner\'s operation does not exist for it')
  t.equal((await call(app, other, { url: pathOf(operation['resourceLocation@odata.navigationLink']) })).statusCode, 404)
})

t.test('files: only with the SAS token, by range, HEAD, and never another export\'s', async (t) => {
  await buy([{ catalogItemId: WINDOWS_SERVER, quantity: 1, billingCycle: 'one_time' }])
  const { operation } = await exportAndWait('reconciliation/unbilled/export', { currencyCode: 'USD', billingPeriod: 'current' })
  const { rootDirectory, sasToken, blobs } = operation.resourceLocation
  const file = `${pathOf(rootDirectory)}/${blobs[0].name}`
  const whole = await app.inject({ url: `${file}?${sasToken}` })
  t.equal(whole.statusCode, 200)
  t.match(whole.headers, { 'content-type': 'application/octet-stream', 'x-ms-blob-type': 'BlockBlob', 'accept-ranges': 'bytes', 'content-length': String(whole.rawPayload.length) })
  t.equal(whole.rawPayload.subarray(0, 2).toString('hex'), '1f8b', 'gzip')

  const ranged = await app.inject({ url: `${file}?${sasToken}`, headers: { range: 'bytes=2-9' } })
  t.equal(ranged.statusCode, 206)
  t.equal(ranged.headers['content-range'], `bytes 2-9/${whole.rawPayload.length}`)
  t.same(ranged.rawPayload, whole.rawPayload.subarray(2, 10))
  const tail = await app.inject({ url: `${file}?${sasToken}`, headers: { 'x-ms-range': 'bytes=-4' } })
  t.same(tail.rawPayload, whole.rawPayload.subarray(-4), 'a suffix range')
  const past = await app.inject({ url: `${file}?${sasToken}`, headers: { range: `bytes=${whole.rawPayload.length}-` } })
  t.equal(past.statusCode, 416)
  t.equal(past.headers['x-ms-error-code'], 'InvalidRange')
  const head = await app.inject({ method: 'HEAD', url: `${file}?${sasToken}` })
  t.equal(head.statusCode, 200)
  t.equal(head.headers['content-length'], String(whole.rawPayload.length))
  t.equal(head.rawPayload.length, 0)

  const refused = async (url: string) => {
    const res = await app.inject({ url })
    return res.statusCode === 403 && res.headers['x-ms-error-code'] === 'AuthenticationFailed' && res.body.includes('<Code>AuthenticationFailed</Code>')
  }
  t.ok(await refused(file), 'no token')
  t.ok(await refused(`${file}?${sasToken.replace(/sig=[^&]+/, 'sig=AAAA')}`), 'a forged signature')
  t.ok(await refused(`${file}?${sasToken.replace(/se=[^&]+/, 'se=2099-01-01T00%3A00%3A00Z')}`), 'a longer expiry than signed')
  t.ok(await refused(`${file}?${sasToken.replace(/sp=r/, 'sp=rw')}`), 'other permissions')
  const another = (await exportAndWait('reconciliation/unbilled/export', { currencyCode: 'USD', billingPeriod: 'current' })).operation.resourceLocation
  t.ok(await refused(`${pathOf(another.rootDirectory)}/${another.blobs[0].name}?${sasToken}`), 'one export\'s token opens no other export')
  t.equal((await app.inject({ url: `${pathOf(rootDirectory)}/part-09999.json.gz?${sasToken}` })).headers['x-ms-error-code'], 'BlobNotFound')
})

t.test('an export its job left half-written (the process died) is written again from scratch', async (t) => {
  await buy([{ catalogItemId: WINDOWS_SERVER, quantity: 1, billingCycle: 'one_time' }])
  const { operation } = await exportAndWait('reconciliation/unbilled/export', { currencyCode: 'USD', billingPeriod: 'current' })
  const before = await recordsOf(operation)
  // As a dead job leaves it: running, its lease over, a stray chunk of a file it never finished.
  await app.db.updateTable('billing_exports').set({ status: 'running', lease_until: new Date(Date.now() - 1000), blobs: '[]' }).where('id', '=', operation.id).execute()
  await app.db.insertInto('billing_export_chunks').values({ export_id: operation.id, blob_index: 99, seq: 0, byte_offset: 0, data: Buffer.from('junk') }).execute()
  app.billingExports.wake()
  let again = (await call(app, graph, { url: `${BASE}/operations/${operation.id}` })).json()
  for (let i = 0; i < 400 && again.status !== 'succeeded'; i++) {
    await new Promise((resolve) => setTimeout(resolve, 25))
    again = (await call(app, graph, { url: `${BASE}/operations/${operation.id}` })).json()
  }
  t.equal(again.status, 'succeeded')
  t.same(await recordsOf(again), before, 'the same records')
  const stray = await app.db.selectFrom('billing_export_chunks').select('seq').where('export_id', '=', operation.id).where('blob_index', '=', 99).execute()
  t.equal(stray.length, 0, 'the stray chunk is gone')
})
