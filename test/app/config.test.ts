// Configuration: defaults, derived values, and one clear message for bad values.
import { readFileSync } from 'node:fs'
import t from 'tap'
import { ConfigSchema, environmentWithDotEnv, loadConfig } from '../../src/config.js'

t.test('defaults', async (t) => {
  const config = loadConfig({})
  t.match(config, { PORT: 8080, HOST: '127.0.0.1', DATABASE_URL: '', PGLITE_DATA_DIR: './data/pglite', DEV_MODE: true, PUBLIC_BASE_URL: 'http://127.0.0.1:8080' })
  t.ok(Object.isFrozen(config))
  t.equal(loadConfig({ HOST: '::1', PORT: '9000' }).PUBLIC_BASE_URL, 'http://[::1]:9000')
  t.equal(loadConfig({ PUBLIC_BASE_URL: 'https://pce.example' }).PUBLIC_BASE_URL, 'https://pce.example')
})

t.test('bad values are refused with a message naming them', async (t) => {
  t.throws(() => loadConfig({ PORT: 'eighty' }), /PORT/)
  t.throws(() => loadConfig({ PUBLIC_BASE_URL: 'https://pce.example/path' }), /PUBLIC_BASE_URL/)
  t.throws(() => loadConfig({ ENTRA_JWKS_URI: 'ftp://x' }), /ENTRA_JWKS_URI/)
  t.throws(() => loadConfig({ DEV_MODE: 'perhaps' }), /DEV_MODE/)
})

t.test('a .env file fills what the environment leaves unset; the environment wins', async (t) => {
  const dir = t.testdir({ '.env': '# comment\nPORT=9100\nLOG_LEVEL=debug\nPUBLIC_BASE_URL="https://from-dotenv.example"\n' })
  const env = environmentWithDotEnv(`${dir}/.env`, { LOG_LEVEL: 'warn' })
  t.match(loadConfig(env), { PORT: 9100, LOG_LEVEL: 'warn', PUBLIC_BASE_URL: 'https://from-dotenv.example' })
  t.same(environmentWithDotEnv(`${dir}/missing.env`, { PORT: '1' }), { PORT: '1' }, 'no file: the environment as it is')
})

t.test('every variable is documented in docs/configuration.md and listed in .env.example', async (t) => {
  const docs = readFileSync(new URL('../../docs/configuration.md', import.meta.url), 'utf8')
  const example = readFileSync(new URL('../../.env.example', import.meta.url), 'utf8')
  for (const name of Object.keys(ConfigSchema.properties)) {
    t.match(docs, `| \`${name}\` |`, `${name} in docs/configuration.md`)
    t.match(example, new RegExp(`^${name}=`, 'm'), `${name} in .env.example`)
  }
})
