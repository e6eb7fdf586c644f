// The pce CLI against a running app on a real socket.
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { decodeJwt } from 'jose'
import t from 'tap'
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
  t.equal(personas.length, 2)
})
