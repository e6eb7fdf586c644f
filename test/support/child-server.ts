// The service in a child process, as `npm start` runs it (src/server.ts, through tsx), for tests that
// kill it (SIGKILL) or put something between it and its database. Ready when its health check answers.
import { spawn, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const SERVER = fileURLToPath(new URL('../../src/server.ts', import.meta.url))

export interface ChildServer { url: string, process: ChildProcess, kill: () => Promise<void> }

/** Starts the service on `port` with `env` (DATABASE_URL or PGLITE_DATA_DIR, …); resolves once it is healthy. */
export async function startChildServer (port: number, env: Record<string, string>): Promise<ChildServer> {
  const child = spawn(process.execPath, ['--import', 'tsx', SERVER], {
    env: { ...process.env, LOG_LEVEL: 'warn', HOST: '127.0.0.1', PORT: String(port), PUBLIC_BASE_URL: '', ...env },
    stdio: ['ignore', 'ignore', 'pipe']
  })
  let stderr = ''
  child.stderr!.on('data', (chunk) => { stderr += chunk })
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const url = `http://127.0.0.1:${port}`
  const deadline = Date.now() + 60_000
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the server exited (${child.exitCode}): ${stderr}`)
    if (Date.now() > deadline) throw new Error(`the server did not become healthy: ${stderr}`)
    const healthy = await fetch(`${url}/_emulator/health`).then((r) => r.ok, () => false)
    if (healthy) break
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  return {
    url,
    process: child,
    kill: async () => {
      if (child.exitCode === null) child.kill('SIGKILL')
      await exited
    }
  }
}
