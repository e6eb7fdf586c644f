// Builds the real app for a test, on an in-memory PGlite database, or on PostgreSQL (a schema of its
// own, dropped afterwards) when TEST_DATABASE_URL is set. Tokens come from the real control plane.
import type { FastifyInstance, InjectOptions } from 'fastify'
import { CompactSign, decodeJwt, SignJWT } from 'jose'
import pg from 'pg'
import { buildApp } from '../src/app.js'
import { testableConfig, type Config } from '../src/config.js'
import { FABRIKAM_PARTNER, TEST_TEST_PARTNER } from '../src/seed/demo-data.js'

export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? ''
export const BACKEND = TEST_DATABASE_URL ? 'postgres' : 'pglite'

interface Teardown { teardown: (fn: () => unknown) => void }

export const PARTNER = TEST_TEST_PARTNER
export const OTHER_PARTNER = FABRIKAM_PARTNER
const userOf = (name: string) => PARTNER.users.find((u) => u.displayName === name)!
export const USERS = {
  adminAgent: userOf('Adminagent CSP'),
  salesAgent: userOf('Salesagent CSP'),
  helpdeskAgent: userOf('Helpdeskagent CSP'),
  billingAdmin: userOf('Billingadmin CSP'),
  globalAdmin: userOf('Globaladmin CSP'),
  securityAdmin: userOf('Securityadmin CSP'),
  noRole: userOf('Norole CSP'),
  otherAdminAgent: OTHER_PARTNER.users[0]!
}

/**
 * A fresh database URL (PostgreSQL: a new schema). Schemas are not dropped here: Kysely's migrator
 * reads every schema's tables, and a schema dropped by a test file running in parallel makes that
 * read fail. `npm test` drops them all before and after the PostgreSQL run (scripts/drop-test-schemas.ts).
 */
export async function freshDatabaseUrl (_t: Teardown): Promise<string> {
  if (!TEST_DATABASE_URL) return ''
  const schema = testName()
  await adminQuery(`create schema ${schema}`)
  const url = new URL(TEST_DATABASE_URL)
  url.searchParams.set('options', `-c search_path=${schema}`)
  return url.toString()
}

/**
 * A database of its own (PostgreSQL), for a test that drops tables: every other test file's schema
 * lives in one shared database, where Kysely's migrator reads the tables of all schemas and fails
 * when one disappears under it. Dropped when the test ends (connections still open are closed).
 */
export async function isolatedDatabaseUrl (t: Teardown): Promise<string> {
  if (!TEST_DATABASE_URL) return ''
  const name = testName()
  await adminQuery(`create database ${name}`)
  t.teardown(() => adminQuery(`drop database if exists ${name} with (force)`))
  const url = new URL(TEST_DATABASE_URL)
  url.pathname = `/${name}`
  return url.toString()
}

/** t_ and 32 hex digits: what scripts/drop-test-schemas.ts drops. */
const testName = () => `t_${crypto.randomUUID().replaceAll('-', '')}`

async function adminQuery (text: string): Promise<void> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL })
  await client.connect()
  try { await client.query(text) } finally { await client.end() }
}

/** The real app on a fresh database with the demo data; closed when the test ends. */
export async function build (t: Teardown, overrides: Partial<Config> = {}): Promise<FastifyInstance> {
  const DATABASE_URL = overrides.DATABASE_URL ?? await freshDatabaseUrl(t)
  const app = await buildApp(testableConfig({ PGLITE_DATA_DIR: 'memory://', ...overrides, DATABASE_URL }), { logger: false })
  t.teardown(() => app.close())
  await app.ready()
  return app
}

export interface MintOptions {
  tenantId?: string
  userId?: string
  appId?: string
  amr?: unknown
  audience?: string
  expiresInSeconds?: number
  claims?: Record<string, unknown>
}

/** A dev token from POST /_emulator/tokens (default: the first partner's app). */
export async function mint (app: FastifyInstance, options: MintOptions = {}): Promise<string> {
  const res = await app.inject({ method: 'POST', url: '/_emulator/tokens', payload: { tenantId: PARTNER.id, ...options } })
  if (res.statusCode !== 200) throw new Error(`mint failed: ${res.statusCode} ${res.body}`)
  return res.json().access_token
}

/** An app+user token with MFA for a demo user. */
export const userToken = (app: FastifyInstance, user: { id: string }, options: MintOptions = {}) => mint(app, { userId: user.id, ...options })

/** inject() with a bearer token. */
export function call (app: FastifyInstance, token: string, options: InjectOptions) {
  return app.inject({ ...options, headers: { ...options.headers, authorization: `Bearer ${token}` } })
}

/** Re-signs a minted token's claims (minus `drop`, plus `set`) with the dev key and a chosen header. */
export async function resign (app: FastifyInstance, token: string, change: { set?: Record<string, unknown>, drop?: string[], typ?: string }): Promise<string> {
  const claims: Record<string, unknown> = { ...decodeJwt(token), ...change.set }
  for (const name of change.drop ?? []) delete claims[name]
  const { kid, privateKey } = await app.devKeys!.signingKey()
  return new SignJWT(claims).setProtectedHeader({ alg: 'ES256', typ: change.typ ?? 'at+jwt', kid }).sign(privateKey)
}

/** Signs a payload given as JSON text with the dev key (for what JSON.stringify cannot write, such as 1e400). */
export async function signRawDev (app: FastifyInstance, payloadJson: string): Promise<string> {
  const { kid, privateKey } = await app.devKeys!.signingKey()
  return new CompactSign(new TextEncoder().encode(payloadJson)).setProtectedHeader({ alg: 'ES256', typ: 'at+jwt', kid }).sign(privateKey)
}
