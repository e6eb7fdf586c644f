#!/usr/bin/env node
// pce: command-line helper for a running emulator (dev mode).
//   pce token [--url U] [--tenant T] [--user ID|UPN] [--app APPID] [--amr pwd,mfa | --no-mfa]
//             [--audience A] [--expires SECONDS] [--claim name=value ...] [--json]
//   pce personas [--url U]
// It calls POST /_emulator/tokens and GET /_emulator/personas; the token goes to stdout.
import { parseArgs } from 'node:util'

const DEFAULT_TENANT = 'df845f1a-7b35-40a2-ba78-6481de91f8ae'
const usage = `usage:
  pce token [--url http://127.0.0.1:8080] [--tenant ID|DOMAIN] [--user ID|UPN] [--app APPID]
            [--amr pwd,mfa | --no-mfa] [--audience URI] [--expires SECONDS] [--claim name=json ...] [--json]
  pce personas [--url http://127.0.0.1:8080]
No --user: an app-only token. A user token has amr ["pwd","mfa"] unless --amr or --no-mfa says otherwise.`

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    url: { type: 'string', default: process.env.PCE_URL ?? 'http://127.0.0.1:8080' },
    tenant: { type: 'string', default: DEFAULT_TENANT },
    user: { type: 'string' },
    app: { type: 'string' },
    amr: { type: 'string' },
    'no-mfa': { type: 'boolean', default: false },
    audience: { type: 'string' },
    expires: { type: 'string' },
    claim: { type: 'string', multiple: true, default: [] },
    json: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false }
  }
})

async function main () {
  const command = positionals[0]
  if (values.help || !['token', 'personas'].includes(command)) {
    process.stdout.write(`${usage}\n`)
    return values.help ? 0 : 2
  }
  const base = values.url.replace(/\/$/, '')
  if (command === 'personas') {
    const res = await fetch(`${base}/_emulator/personas`)
    process.stdout.write(`${JSON.stringify(await res.json(), null, 2)}\n`)
    return res.ok ? 0 : 1
  }
  const claims = Object.fromEntries(values.claim.map((pair) => {
    const eq = pair.indexOf('=')
    if (eq < 1) throw new Error(`--claim wants name=value, got ${pair}`)
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
  const res = await fetch(`${base}/_emulator/tokens`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
  const answer = await res.json()
  if (!res.ok) {
    process.stderr.write(`${answer.description ?? JSON.stringify(answer)}\n`)
    return 1
  }
  process.stdout.write(values.json ? `${JSON.stringify(answer, null, 2)}\n` : `${answer.access_token}\n`)
  return 0
}

main().then((code) => { process.exitCode = code }, (error) => {
  process.stderr.write(`pce: ${error.message}\n`)
  process.exitCode = 1
})
