// HTTPS (TLS=on) over a real socket: a development CA kept in TLS_DIR signs a server certificate for
// the loopback names and the PUBLIC_BASE_URL host; clients that trust the CA (GET /_emulator/ca.pem)
// connect, others do not; the CA survives restarts; a certificate of one's own replaces it.
import { X509Certificate } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { request } from 'node:https'
import path from 'node:path'
import t from 'tap'
import { loadConfig } from '../../src/config.js'
import { devCertificates } from '../../src/tls/dev-ca.js'
import { build } from '../helper.js'

/** GET over HTTPS, trusting `ca`; resolves with the status, or rejects with the TLS error. */
function httpsGet (url: string, ca?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    request(url, { ca, agent: false }, (res) => { res.resume(); res.on('end', () => resolve(res.statusCode!)) }).on('error', reject).end()
  })
}

async function listen (app: Awaited<ReturnType<typeof build>>): Promise<number> {
  await app.listen({ port: 0, host: '127.0.0.1' })
  return (app.server.address() as { port: number }).port
}

t.test('a development CA signs the server certificate; clients that trust it connect by name or address', async (t) => {
  const dir = t.testdir()
  const app = await build(t, { TLS: 'on', TLS_DIR: dir, PUBLIC_BASE_URL: 'https://pce.example:8443' })
  const ca = await app.inject({ url: '/_emulator/ca.pem' })
  t.equal(ca.statusCode, 200)
  t.match(ca.headers['content-type'], /application\/x-pem-file/)
  t.match(ca.body, /^-----BEGIN CERTIFICATE-----/)
  const port = await listen(app)
  t.equal(await httpsGet(`https://localhost:${port}/_emulator/health`, ca.body), 200, 'localhost')
  t.equal(await httpsGet(`https://127.0.0.1:${port}/_emulator/health`, ca.body), 200, '127.0.0.1')
  await t.rejects(httpsGet(`https://127.0.0.1:${port}/_emulator/health`), /unable to verify the first certificate|self-signed certificate|unable to get local issuer/, 'untrusted without the CA')

  const server = new X509Certificate(await readFile(path.join(dir, 'server.pem')))
  t.match(server.subjectAltName, /DNS:localhost/)
  t.match(server.subjectAltName, /DNS:pce\.example/, 'the PUBLIC_BASE_URL host')
  t.match(server.subjectAltName, /IP Address:127\.0\.0\.1/)
  t.match(server.subjectAltName, /IP Address:0:0:0:0:0:0:0:1|IP Address:::1/)
  t.ok(server.checkIssued(new X509Certificate(ca.body)), 'issued by the CA')
  t.ok(new X509Certificate(ca.body).ca, 'the CA is a CA')
  const days = (Date.parse(server.validTo) - Date.now()) / 86_400_000
  t.ok(days > 390 && days < 398, `valid for ${days.toFixed(0)} days (browsers refuse more than 398)`)
})

t.test('the CA survives restarts; the server certificate is made again when the hosts change', async (t) => {
  const dir = t.testdir()
  const first = await devCertificates(dir, ['localhost', '127.0.0.1'])
  const again = await devCertificates(dir, ['localhost', '127.0.0.1'])
  t.equal(again.caCert, first.caCert, 'the same CA')
  t.equal(again.cert, first.cert, 'the same server certificate while it fits')
  const moved = await devCertificates(dir, ['localhost', '127.0.0.1', 'emulator.internal'])
  t.equal(moved.caCert, first.caCert, 'still the same CA')
  t.not(moved.cert, first.cert, 'a new server certificate')
  t.match(new X509Certificate(moved.cert).subjectAltName, /DNS:emulator\.internal/)
  const renewed = await devCertificates(dir, ['localhost', '127.0.0.1', 'emulator.internal'], new Date(Date.now() + 380 * 86_400_000))
  t.not(renewed.cert, moved.cert, 'made again near its end')
})

t.test('a certificate of one\'s own replaces the development CA', async (t) => {
  const own = await devCertificates(t.testdir(), ['localhost', '127.0.0.1'])
  const dir = t.testdir({ 'cert.pem': own.cert, 'key.pem': own.key })
  const app = await build(t, { TLS: 'on', TLS_CERT_FILE: path.join(dir, 'cert.pem'), TLS_KEY_FILE: path.join(dir, 'key.pem') })
  const ca = await app.inject({ url: '/_emulator/ca.pem' })
  t.equal(ca.statusCode, 404, 'no development CA to hand out')
  t.match(ca.json(), { description: /certificate of your own/ })
  const port = await listen(app)
  t.equal(await httpsGet(`https://localhost:${port}/_emulator/health`, own.caCert), 200)
})

t.test('configuration: HTTPS base URL by default, and the certificate and key files go together', async (t) => {
  t.equal(loadConfig({ TLS: 'on', PORT: '8443' }).PUBLIC_BASE_URL, 'https://127.0.0.1:8443')
  t.throws(() => loadConfig({ TLS: 'on', TLS_CERT_FILE: 'cert.pem' }), /TLS_CERT_FILE and TLS_KEY_FILE go together/)
  t.throws(() => loadConfig({ TLS: 'yes' }), /TLS/)
  const off = await build(t)
  t.equal((await off.inject({ url: '/_emulator/ca.pem' })).statusCode, 404, 'no CA while TLS is off')
})
