// The pce CLI against a running app on a real socket.
import { execFile, spawn } from 'node:child_process'
import { readFile, stat } from 'node:fs/promises'
import { promisify } from 'node:util'
import { decodeJwt } from 'jose'
import t from 'tap'
import { CONTOSO_PARTNER, DEMO_PARTNERS, DEMO_PUBLIC_CLIENT, DEMO_TOTP_SECRET } from '../../src/seed/demo-data.js'
import { build, call, USERS } from '../helper.js'
import { PageBrowser } from '../support/pages.js'
import { approveDevice, totpCode } from '../support/sign-in.js'

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

t.test('pce login: the device code flow, with the sign-in and MFA done in a browser', async (t) => {
  const app = await build(t)
  await app.listen({ port: 0, host: '127.0.0.1' })
  const url = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`
  const out = `${t.testdir()}/tokens.json`
  const child = spawn('node', [cli, 'login', '--url', url, '--json', '--out', out])
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (chunk) => { stdout += chunk })
  const userCode = await new Promise<string>((resolve) => child.stderr.on('data', (chunk) => {
    stderr += chunk
    const code = /enter the code ([A-Z0-9]+)/.exec(stderr)?.[1]
    if (code) resolve(code)
  }))
  t.match(stderr, /open the page http:\/\/127\.0\.0\.1:8080\/devicelogin/, 'the page at PUBLIC_BASE_URL')
  const consuela = CONTOSO_PARTNER.users[0]!
  const { steps } = await approveDevice(new PageBrowser(app), userCode, { userName: consuela.userPrincipalName, totp: () => totpCode(DEMO_TOTP_SECRET) })
  t.same(steps, ['Are you trying to sign in to Partner Center emulator CLI?', 'Sign in', 'Enter code', 'You have signed in'])
  const exitCode = await new Promise((resolve) => child.on('close', resolve))
  t.equal(exitCode, 0)
  const tokens = JSON.parse(stdout)
  t.match(decodeJwt(tokens.access_token), { oid: consuela.id, amr: ['pwd', 'mfa'], appid: DEMO_PUBLIC_CLIENT.id })
  t.type(tokens.refresh_token, 'string', 'a refresh token for the Secure Application Model')
  t.equal((await call(app, tokens.access_token, { url: '/v1/customers' })).statusCode, 200)
  t.same(JSON.parse(await readFile(out, 'utf8')), tokens)
  t.equal((await stat(out)).mode & 0o777, 0o600, 'the file is readable by its owner only')
})
