// The pce CLI against a running app on a real socket.
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { decodeJwt } from 'jose'
import t from 'tap'
import { DEMO_PARTNERS } from '../../src/seed/demo-data.js'
import { build, call, USERS } from '../helper.js'

const run = promisify(execFile)
const cli = new URL('../../bin/pce.js', import.meta.url).pathname

t.test('pce token mints tokens the API accepts or refuses as documented', async (t) => {
  const app = await build(t)
  await app.listen({ port: 0, host: '127.0.0.1' })
  const url = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`

  const user = (await run('node', [cli, 'token', '--url', url, '--user', USERS.adminAgent.userPrincipalName])).stdout.trim()
  t.match(decodeJwt(user), { oid: USERS.adminAgent.id, amr: ['pwd', 'mfa'] })
  t.equal((await call(app, user, { url: '/v1/customers' })).statusCode, 200)

  const noMfa = (await run('node', [cli, 'token', '--url', url, '--user', USERS.adminAgent.id, '--no-mfa'])).stdout.trim()
  t.equal((await call(app, noMfa, { url: '/v1/customers' })).json().code, 900421)

  const appOnly = (await run('node', [cli, 'token', '--url', url, '--claim', 'xms_cc=["cp1"]'])).stdout.trim()
  t.match(decodeJwt(appOnly), { idtyp: 'app', xms_cc: ['cp1'] })

  await t.rejects(run('node', [cli, 'token', '--url', url, '--user', 'nobody@example.com']), 'an unknown user fails')
  const personas = JSON.parse((await run('node', [cli, 'personas', '--url', url])).stdout)
  t.equal(personas.length, DEMO_PARTNERS.length)
})

t.test('pce says what is wrong, in one line and the usage, never a stack trace', async (t) => {
  const fails = async (args: string[], env: Record<string, string> = {}) => {
    const error = await run('node', [cli, ...args], { env: { ...process.env, ...env } }).then(() => undefined, (e: { code: number, stderr: string }) => e)
    if (!error) throw new Error(`pce ${args.join(' ')} succeeded`)
    t.notMatch(error.stderr, /\n\s+at /, `no stack trace: pce ${args.join(' ')}`)
    return error
  }
  t.match(await fails(['token', '--nonsense']), { code: 2, stderr: /pce: Unknown option '--nonsense'[\s\S]*usage:/ })
  t.match(await fails(['frobnicate']), { code: 2, stderr: /unknown command frobnicate/ })
  t.match(await fails(['token', '--url', 'http://127.0.0.1:59999']), { code: 1, stderr: /cannot reach http:\/\/127\.0\.0\.1:59999: nothing listens there/ })
  t.match(await fails(['token', '--url', 'not a url']), { code: 2, stderr: /must be an http or https URL, got "not a url"/ })
  t.match(await fails(['token', '--audience', 'https://example.com']), { code: 2, stderr: /accepts no token for https:\/\/example\.com/ })
  const help = await run('node', [cli, '--help'], { env: { ...process.env, PCE_URL: 'http://pce.test:9999' } })
  t.match(help.stdout, /--url http:\/\/pce\.test:9999/, 'the help shows PCE_URL')
  const empty = await fails(['personas'], { PCE_URL: '' })
  t.match(empty.stderr, /cannot reach http:\/\/127\.0\.0\.1:8080/, 'an empty PCE_URL is the default, not a parse error')
})

t.test('pce ca writes the development CA, from TLS_DIR or from the service over HTTPS', async (t) => {
  const dir = t.testdir()
  const app = await build(t, { TLS: 'on', TLS_DIR: dir })
  await app.listen({ port: 0, host: '127.0.0.1' })
  const url = `https://127.0.0.1:${(app.server.address() as { port: number }).port}`
  const local = await run('node', [cli, 'ca', '--dir', dir])
  t.equal(local.stdout, app.devCaCert, 'from the directory')
  const fetched = await run('node', [cli, 'ca', '--url', url, '--dir', t.testdir()])
  t.equal(fetched.stdout, app.devCaCert, 'from the service')
  t.match(fetched.stderr, /compare its SHA-256 fingerprint/)
})
