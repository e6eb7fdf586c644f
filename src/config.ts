// Configuration: one TypeBox schema, read from the environment (and a .env file) once at start and
// passed in. Every variable is listed in docs/configuration.md.
import { readFileSync } from 'node:fs'
import { parseEnv } from 'node:util'
import { envSchema } from 'env-schema'
import { Type, type Static } from 'typebox'

export const ConfigSchema = Type.Object({
  PORT: Type.Integer({ minimum: 0, maximum: 65535, default: 8080, description: 'HTTP port' }),
  HOST: Type.String({ minLength: 1, default: '127.0.0.1', description: 'Interface to listen on' }),
  DATABASE_URL: Type.String({
    default: '',
    description: 'PostgreSQL connection string; when empty, the embedded PGlite database is used'
  }),
  PGLITE_DATA_DIR: Type.String({
    minLength: 1,
    default: './data/pglite',
    description: 'Where the embedded database keeps its files; memory:// for an ephemeral one'
  }),
  PUBLIC_BASE_URL: Type.String({
    default: '',
    pattern: '^(https?://[^/?#]+)?$',
    description: 'Origin clients use to reach the service (scheme://host[:port], no path); the dev issuer is built from it. Default http://HOST:PORT (https with TLS=on)'
  }),
  TLS: Type.Union([Type.Literal('on'), Type.Literal('off')], {
    default: 'off',
    description: 'on: serve HTTPS on PORT, with TLS_CERT_FILE + TLS_KEY_FILE, or a certificate signed by a development CA kept in TLS_DIR'
  }),
  TLS_DIR: Type.String({ minLength: 1, default: './data/tls', description: 'Where the development CA and its server certificate are kept (TLS=on)' }),
  TLS_CERT_FILE: Type.String({ default: '', description: 'Your own server certificate (PEM, with its chain), instead of the development CA' }),
  TLS_KEY_FILE: Type.String({ default: '', description: 'The private key of TLS_CERT_FILE (PEM)' }),
  ENTRA_JWKS_URI: Type.String({
    pattern: '^https?://',
    default: 'https://login.microsoftonline.com/common/discovery/v2.0/keys',
    description: 'Where Entra ID signing keys are fetched (used only for onboarded partner tenants)'
  }),
  DEV_MODE: Type.Boolean({
    default: true,
    description: 'Turns on the development identity provider, the /_emulator control plane and the demo data'
  }),
  SEED_DEMO_DATA: Type.Boolean({ default: true, description: 'Load the demo data into an empty database (dev mode only)' }),
  LOG_LEVEL: Type.Union([
    Type.Literal('fatal'), Type.Literal('error'), Type.Literal('warn'), Type.Literal('info'),
    Type.Literal('debug'), Type.Literal('trace'), Type.Literal('silent')
  ], { default: 'info' }),
  TOKEN_CLOCK_TOLERANCE_S: Type.Integer({ minimum: 0, maximum: 600, default: 300, description: 'Leeway on exp/nbf/iat (Microsoft uses 300 s)' }),
  TOKEN_MAX_AGE_S: Type.Integer({ minimum: 60, default: 100800, description: 'Oldest iat accepted (28 h, the longest CAE token)' }),
  TOKEN_MAX_LIFETIME_S: Type.Integer({
    minimum: 60,
    default: 86400,
    description: 'Longest token lifetime accepted (exp - iat): a day. Entra CAE tokens live up to 28 h: 100800 accepts them'
  }),
  JWKS_REFRESH_COOLDOWN_MS: Type.Integer({ minimum: 0, default: 300000, description: 'Minimum gap between two key-set refreshes caused by an unknown kid' }),
  JWKS_CACHE_MAX_AGE_MS: Type.Integer({ minimum: 1000, default: 3600000, description: 'How long fetched Entra keys are used before a refresh' }),
  ROLE_CACHE_TTL_MS: Type.Integer({ minimum: 0, default: 5000, description: 'How long a partner user\'s roles (and the emulator clock offset) are cached per process' }),
  ACCEPT_NGCMFA: Type.Boolean({ default: false, description: 'Also accept amr "ngcmfa" as proof of MFA' }),
  DATABASE_TIMEOUT_MS: Type.Integer({
    minimum: 100, maximum: 600000, default: 5000,
    description: 'PostgreSQL: the longest a connection attempt or a statement may take before the request answers 503 (migrations are not bounded)'
  }),
  CLOSE_GRACE_DELAY_MS: Type.Integer({ minimum: 0, default: 10000, description: 'How long a graceful shutdown may take' }),
  WEBHOOK_MAX_ATTEMPTS: Type.Integer({ minimum: 1, maximum: 100, default: 10, description: 'Delivery attempts of one webhook event before it is given up (Partner Center makes 10)' }),
  WEBHOOK_RETRY_BASE_MS: Type.Integer({ minimum: 1, default: 30000, description: 'Wait before the second attempt; doubled after each failure, at most an hour' }),
  WEBHOOK_POLL_MS: Type.Integer({ minimum: 10, default: 1000, description: 'How often the dispatcher looks for due webhook deliveries' }),
  WEBHOOK_TIMEOUT_MS: Type.Integer({ minimum: 100, maximum: 120000, default: 10000, description: 'The longest one webhook POST may take' }),
  BILLING_EXPORT_POLL_MS: Type.Integer({ minimum: 10, default: 1000, description: 'How often the export job looks for billing exports to write (an export request also wakes it)' }),
  BILLING_EXPORT_ROWS_PER_FILE: Type.Integer({ minimum: 1, default: 500000, description: 'Most records in one billing export file; more make several files' }),
  THROTTLING_REQUESTS: Type.Integer({
    minimum: 0, default: 500,
    description: 'Requests per window allowed on each operation Partner Center documents as throttled (per partner and customer); 0: those limits are off'
  }),
  THROTTLING_WINDOW_S: Type.Integer({ minimum: 1, maximum: 86400, default: 60, description: 'The window of those limits, in seconds' }),
  REDIS_URL: Type.String({
    default: '',
    pattern: '^(rediss?://.*)?$',
    description: 'Redis for the throttling counters, shared by every instance given the same URL; empty: counted in this process'
  }),
  REDIS_KEY_PREFIX: Type.String({ default: 'pce:throttling:', description: 'Prefix of the throttling counters\' Redis keys (instances that count together share it)' })
})

export type Config = Static<typeof ConfigSchema>

/** Reads and validates the environment; throws one clear message listing every bad variable. */
export function loadConfig (env: Record<string, string | undefined> = process.env): Readonly<Config> {
  const raw = envSchema<Config>({ schema: ConfigSchema, data: env, dotenv: false })
  return Object.freeze(withDerivedDefaults(raw))
}

/**
 * The environment, with the variables of a `.env` file (when there is one) where the environment does
 * not set them: the environment wins. Read by the server and the CLI scripts, never by tests.
 */
export function environmentWithDotEnv (file = '.env', env: Record<string, string | undefined> = process.env): Record<string, string | undefined> {
  let content: string
  try {
    content = readFileSync(file, 'utf8')
  } catch (error) {
    if ((error as { code?: string }).code === 'ENOENT') return env
    throw error
  }
  return { ...parseEnv(content), ...env }
}

/** Builds a complete config from a partial one (tests, scripts), applying the schema defaults. */
export function testableConfig (overrides: Partial<Config> = {}): Readonly<Config> {
  const env: Record<string, string> = {}
  for (const [key, value] of Object.entries(overrides)) env[key] = String(value)
  return loadConfig(env)
}

function withDerivedDefaults (config: Config): Config {
  if ((config.TLS_CERT_FILE === '') !== (config.TLS_KEY_FILE === '')) throw new Error('TLS_CERT_FILE and TLS_KEY_FILE go together: give both or neither')
  const host = config.HOST.includes(':') ? `[${config.HOST}]` : config.HOST
  const scheme = config.TLS === 'on' ? 'https' : 'http'
  return { ...config, PUBLIC_BASE_URL: config.PUBLIC_BASE_URL || `${scheme}://${host}:${config.PORT}` }
}
