// Every operation of openapi/openapi.json, with requests generated from its schema and laced with
// hostile values (test/support/fuzz.ts): never a 5xx, every refusal in its surface's envelope, and a
// refused write leaves the data as it was. The seed is FUZZ_SEED (fixed in CI), else random and
// printed, so that a failure can be replayed; FUZZ_RUNS requests per operation (default 20).
import { readFile } from 'node:fs/promises'
import fc from 'fast-check'
import type { FastifyInstance } from 'fastify'
import { sql } from 'kysely'
import t from 'tap'
import * as demo from '../../src/seed/demo-data.js'
import { build, userToken, USERS } from '../helper.js'
import { operationsOf, requestOf, type GeneratedRequest, type Operation } from '../support/fuzz.js'

const SEED = Number(process.env.FUZZ_SEED || Math.floor(Math.random() * 2 ** 31))
const RUNS = Number(process.env.FUZZ_RUNS || 20)
/**
 * Tables a refused request may write by design: the journal, stored idempotent answers, failed sign-in counts, sign-ins in progress;
 * and those background jobs write while requests run (webhook delivery attempts, the signing key made on first use; billing exports being written).
 */
const WRITTEN_BY_REFUSALS = new Set(['request_journal', 'idempotent_requests', 'partner_users', 'sign_in_requests', 'kysely_migration', 'kysely_migration_lock',
  'webhook_deliveries', 'webhook_signing_keys', 'billing_exports', 'billing_export_chunks'])

t.setTimeout(900_000)
t.comment(`fuzz seed ${SEED} (replay: FUZZ_SEED=${SEED} npm run test:reliability), ${RUNS} runs per operation`)

const app = await build(t)
const partnerCenterToken = await userToken(app, USERS.adminAgent)
const graphToken = await userToken(app, USERS.adminAgent, { audience: 'https://graph.microsoft.com' })
const document = JSON.parse(await readFile(new URL('../../openapi/openapi.json', import.meta.url), 'utf8'))
const known = fc.constantFrom(...knownValues())

/** The values the demo data names: ids, domains, user names, so that generated requests find things. */
function knownValues (): string[] {
  const values = new Set<string>(['common', 'organizations'])
  const walk = (value: unknown): void => {
    if (typeof value === 'string' && value.length < 100) values.add(value)
    else if (value !== null && typeof value === 'object') Object.values(value).forEach(walk)
  }
  walk(demo)
  return [...values]
}

/** A fingerprint of every table a refused request must leave alone. */
async function dataFingerprint (app: FastifyInstance): Promise<string> {
  const tables = (await sql<{ name: string }>`select tablename as name from pg_tables where schemaname = current_schema() order by tablename`.execute(app.db)).rows
    .map((r) => r.name).filter((name) => !WRITTEN_BY_REFUSALS.has(name))
  const parts = await Promise.all(tables.map(async (name) =>
    (await sql<{ hash: string | null }>`select md5(string_agg(t::text, ',' order by t::text)) as hash from ${sql.table(name)} t`.execute(app.db)).rows[0]?.hash ?? ''))
  return tables.map((name, i) => `${name}:${parts[i]}`).join(' ')
}

/** The Partner Center surface: /v1, the webhook registration API and the audit records' AuditUri address. */
const isPartnerCenter = (path: string) => /^\/(v1|webhooks\/v1|auditactivity\/v1)\//.test(path)
const tokenFor = (path: string) => path.startsWith('/v1.0/') ? graphToken : isPartnerCenter(path) ? partnerCenterToken : undefined

/** What a refusal must look like on the surface of `url`. */
function envelopeProblem (request: GeneratedRequest, response: Awaited<ReturnType<FastifyInstance['inject']>>): string | undefined {
  if (request.method === 'HEAD' || response.statusCode < 400) return undefined
  const type = String(response.headers['content-type'] ?? '')
  const path = request.url.split('?')[0]!
  if (/^\/(sign-in|devicelogin)|\/oauth2(\/v2\.0)?\/(authorize|logout)$/.test(path)) return type.startsWith('text/html') ? undefined : `not an HTML page: ${type}`
  // Billing export files answer as Azure Storage does: its XML error document.
  if (path.startsWith('/blobs/')) return /^<\?xml[^>]*><Error><Code>\w+<\/Code>/.test(response.body) ? undefined : 'not Azure Storage\'s error document'
  let body: any
  try { body = response.json() } catch { return `not JSON: ${response.body.slice(0, 100)}` }
  if (path.startsWith('/v1.0/')) return typeof body?.error?.code === 'string' && typeof body.error.message === 'string' ? undefined : 'not Graph\'s envelope'
  if (isPartnerCenter(path) || path.startsWith('/_emulator/')) {
    return typeof body?.code === 'number' && typeof body.description === 'string' && body.source === 'PartnerFD' ? undefined : 'not Partner Center\'s envelope'
  }
  return typeof body?.error === 'string' && typeof body.error_description === 'string' ? undefined : 'not an OAuth error'
}

const operations = operationsOf(document).filter((op) => op.path !== '/_emulator/reset')

for (const operation of operations) {
  t.test(`${operation.method} ${operation.path}`, async (t) => {
    await fc.assert(fc.asyncProperty(requestOf(operation, known, tokenFor(operation.path)), async (request) => {
      const write = request.method !== 'GET' && request.method !== 'HEAD'
      const before = write ? await dataFingerprint(app) : ''
      const response = await app.inject({ method: request.method as never, url: request.url, headers: request.headers, ...(request.payload !== undefined ? { payload: request.payload } : {}) })
      const problem = response.statusCode >= 500
        ? `${response.statusCode}: ${response.body.slice(0, 300)}`
        : envelopeProblem(request, response) ?? (write && response.statusCode >= 400 && await dataFingerprint(app) !== before ? 'a refused request changed the data' : undefined)
      if (problem) throw new Error(`${describe(operation, request)} → ${problem}`)
    }), { seed: SEED, numRuns: RUNS, endOnFailure: true, includeErrorInReport: true })
  })
}

function describe (operation: Operation, request: GeneratedRequest): string {
  return `${operation.method} ${request.url.slice(0, 300)} ${request.payload?.slice(0, 300) ?? ''}`
}
