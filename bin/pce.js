#!/usr/bin/env node
// pce: command-line helper for a running emulator (dev mode).
//   pce token [--url U] [--tenant T] [--user ID|UPN] [--app APPID] [--amr pwd,mfa | --no-mfa]
//             [--audience A] [--expires SECONDS] [--claim name=value ...] [--json]
//   pce login [--url U] [--tenant T] [--app APPID] [--scope S] [--out FILE] [--json]
//   pce personas [--url U]
//   pce ca [--url U] [--dir TLS_DIR]
// token calls POST /_emulator/tokens and writes the token to stdout; login signs a user in with the
// device code flow (MFA in a browser, as Entra does it); ca writes the development CA.
import { X509Certificate } from 'node:crypto'
import { chmod, readFile, writeFile } from 'node:fs/promises'
import { request } from 'node:https'
import path from 'node:path'
import { parseArgs } from 'node:util'

const DEFAULT_TENANT = 'df845f1a-7b35-40a2-ba78-6481de91f8ae'
/** The demo data's public client (src/seed/demo-data.ts): no secret, as a command-line tool is. */
const CLI_APP = 'c0a2e8f4-5d1b-4e7a-9c3f-6b8d0e2a4f17'
const LOGIN_SCOPE = 'https://api.partnercenter.microsoft.com/user_impersonation openid profile offline_access'
const DEFAULT_URL = process.env.PCE_URL || 'http://127.0.0.1:8080'
/** The audiences the service accepts (src/directory/resources.ts): anything else mints a token it refuses. */
const AUDIENCES = [
  'https://api.partnercenter.microsoft.com', 'https://api.partnercenter.microsoft.com/', 'fa3d9a0c-3fb0-42cc-9193-47c7ecd2edbd',
  'https://graph.microsoft.com', 'https://graph.microsoft.com/', '00000003-0000-0000-c000-000000000000'
]
const usage = `usage:
  pce token [--url ${DEFAULT_URL}] [--tenant ID|DOMAIN] [--user ID|UPN] [--app APPID]
            [--amr pwd,mfa | --no-mfa] [--audience URI] [--expires SECONDS] [--claim name=json ...] [--json]
  pce login [--url ${DEFAULT_URL}] [--tenant ID|DOMAIN|organizations] [--app APPID] [--scope SCOPES]
            [--out FILE] [--json]
  pce personas [--url ${DEFAULT_URL}]
  pce ca [--url ${DEFAULT_URL}] [--dir ./data/tls]
No --user: an app-only token. A user token has amr ["pwd","mfa"] unless --amr or --no-mfa says otherwise.
--audience: ${AUDIENCES.filter((a) => a.startsWith('https') && !a.endsWith('/')).join(' or ')} (default the first);
a token for anything else is refused by the service (craft one on purpose with --claim aud=...).
login: the device code flow. Open the page it names, enter the code, sign in (and do MFA) there; it
writes the access token (--json: the whole answer, refresh token included; --out FILE: the answer to
FILE, readable by you only). Default tenant organizations, scope ${LOGIN_SCOPE}.
ca: the development CA that signs the HTTPS certificate (TLS=on), from --dir when it is there, else from
the service; point NODE_EXTRA_CA_CERTS at the file: pce ca > pce-ca.pem
PCE_URL sets the default URL.`

class UsageError extends Error {}

async function main () {
  let parsed
  try {
    parsed = parseArgs({
      allowPositionals: true,
      options: {
        url: { type: 'string', default: DEFAULT_URL },
        tenant: { type: 'string' },
        user: { type: 'string' },
        app: { type: 'string' },
        amr: { type: 'string' },
        'no-mfa': { type: 'boolean', default: false },
        audience: { type: 'string' },
        scope: { type: 'string', default: LOGIN_SCOPE },
        out: { type: 'string' },
        expires: { type: 'string' },
        claim: { type: 'string', multiple: true, default: [] },
        json: { type: 'boolean', default: false },
        dir: { type: 'string', default: process.env.TLS_DIR || './data/tls' },
        help: { type: 'boolean', short: 'h', default: false }
      }
    })
  } catch (error) {
    throw new UsageError(error.message)
  }
  const { values, positionals } = parsed
  const command = positionals[0]
  if (values.help) {
    process.stdout.write(`${usage}\n`)
    return 0
  }
  if (!['token', 'login', 'personas', 'ca'].includes(command)) throw new UsageError(command ? `unknown command ${command}` : 'no command')
  const base = baseUrl(values.url)
  if (command === 'personas') {
    const res = await get(base, '/_emulator/personas')
    process.stdout.write(`${JSON.stringify(await res.json(), null, 2)}\n`)
    return res.ok ? 0 : 1
  }
  if (command === 'ca') return writeCa(base, values.dir)
  if (command === 'login') return login(base, values)
  return token(base, { ...values, tenant: values.tenant ?? DEFAULT_TENANT })
}

async function token (base, values) {
  if (values.audience && !AUDIENCES.includes(values.audience)) {
    throw new UsageError(`the service accepts no token for ${values.audience}; use https://api.partnercenter.microsoft.com or https://graph.microsoft.com`)
  }
  if (values.expires !== undefined && !/^-?\d+$/.test(values.expires)) throw new UsageError(`--expires wants whole seconds, got ${values.expires}`)
  const claims = Object.fromEntries(values.claim.map((pair) => {
    const eq = pair.indexOf('=')
    if (eq < 1) throw new UsageError(`--claim wants name=value, got ${pair}`)
    const raw = pair.slice(eq + 1)
    try { return [pair.slice(0, eq), JSON.parse(raw)] } catch { return [pair.slice(0, eq), raw] }
  }))
  const body = {
    tenantId: values.tenant,
    ...(values.user ? { userId: values.user } : {}),
    ...(values.app ? { appId: values.app } : {}),
    ...(values.amr ? { amr: values.amr.split(',') } : values['no-mfa'] ? { amr: ['pwd'] } : {}),
    ...(values.audience ? { audience: values.audience } : {}),
    ...(values.expires ? { expiresInSeconds: Number(values.expires) } : {}),
    ...(Object.keys(claims).length > 0 ? { claims } : {})
  }
  const res = await get(base, '/_emulator/tokens', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
  const answer = await res.json()
  if (!res.ok) {
    process.stderr.write(`pce: ${answer.description ?? JSON.stringify(answer)}\n`)
    return 1
  }
  process.stdout.write(values.json ? `${JSON.stringify(answer, null, 2)}\n` : `${answer.access_token}\n`)
  return 0
}

/** The device code flow (RFC 8628): the user signs in on the emulator's /devicelogin page; this polls until then. */
async function login (base, values) {
  const tenant = encodeURIComponent(values.tenant ?? 'organizations')
  const clientId = values.app ?? CLI_APP
  const form = (fields) => ({ method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields).toString() })
  const started = await get(base, `/${tenant}/oauth2/v2.0/devicecode`, form({ client_id: clientId, scope: values.scope }))
  const device = await started.json()
  if (!started.ok) return oauthFailure(device)
  process.stderr.write(`${device.message}\n`)
  let interval = Number.isFinite(device.interval) && device.interval > 0 ? device.interval : 5
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, interval * 1000))
    const res = await get(base, `/${tenant}/oauth2/v2.0/token`, form({ grant_type: 'urn:ietf:params:oauth:grant-type:device_code', client_id: clientId, device_code: device.device_code }))
    const answer = await res.json()
    if (answer.error === 'authorization_pending') continue
    if (answer.error === 'slow_down') { interval += 5; continue }
    if (!res.ok) return oauthFailure(answer)
    if (values.out) {
      // mode applies only to a new file: an existing one is narrowed too, before the tokens go in.
      await writeFile(values.out, '', { mode: 0o600 })
      await chmod(values.out, 0o600)
      await writeFile(values.out, `${JSON.stringify(answer, null, 2)}\n`)
    }
    process.stdout.write(values.json ? `${JSON.stringify(answer, null, 2)}\n` : `${answer.access_token}\n`)
    return 0
  }
}

function oauthFailure (answer) {
  process.stderr.write(`pce: ${answer.error_description?.split(' Trace ID:')[0] ?? JSON.stringify(answer)}\n`)
  return 1
}

/**
 * The CA's certificate: the file the service keeps, when this machine has it; else the service's copy.
 * Over HTTPS that copy cannot be checked against the CA it is (nothing is trusted yet): its SHA-256
 * fingerprint goes to stderr, to compare with the one the service logs at start.
 */
async function writeCa (base, dir) {
  let pem
  try {
    pem = await readFile(path.join(dir, 'ca.pem'), 'utf8')
  } catch {
    pem = base.protocol === 'https:' ? await unverifiedGet(new URL('/_emulator/ca.pem', base)) : await (await get(base, '/_emulator/ca.pem')).text()
    if (!pem.startsWith('-----BEGIN CERTIFICATE-----')) throw new Error(`${base.origin} has no development CA (TLS off, or a certificate of its own)`)
    const fingerprint = new X509Certificate(pem).fingerprint256
    process.stderr.write(`pce: fetched from ${base.origin}; compare its SHA-256 fingerprint with the service's log: ${fingerprint}\n`)
  }
  process.stdout.write(pem)
  return 0
}

function unverifiedGet (url) {
  return new Promise((resolve, reject) => {
    request(url, { rejectUnauthorized: false }, (res) => {
      let text = ''
      res.setEncoding('utf8').on('data', (chunk) => { text += chunk }).on('end', () => resolve(text))
    }).on('error', (error) => reject(unreachable(url, error))).end()
  })
}

function baseUrl (value) {
  try {
    const url = new URL(value)
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('not http')
    return url
  } catch {
    throw new UsageError(`--url (or PCE_URL) must be an http or https URL, got "${value}"`)
  }
}

async function get (base, pathname, init) {
  const url = new URL(pathname, base)
  try {
    return await fetch(url, init)
  } catch (error) {
    throw unreachable(url, error.cause ?? error)
  }
}

function unreachable (url, cause) {
  const why = cause?.code === 'ECONNREFUSED' ? 'nothing listens there (is the emulator running?)' : cause?.code ?? cause?.message ?? 'unknown error'
  return new Error(`cannot reach ${url.origin}: ${why}`)
}

main().then((code) => { process.exitCode = code }, (error) => {
  process.stderr.write(`pce: ${error.message}\n`)
  if (error instanceof UsageError) process.stderr.write(`${usage}\n`)
  process.exitCode = error instanceof UsageError ? 2 : 1
})
