// npm start: builds dist/ with tsc only when a source changed since the last build (a fresh clone's
// first start, an edit), then starts the server from dist/. A restart pays no compilation.
import { spawnSync } from 'node:child_process'
import { readdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const DIST = path.join(root, 'dist')
const STAMP = path.join(DIST, '.build-stamp')
/** What the build reads: the sources, the migrations, the catalog data and the compiler settings. */
const INPUTS = ['src', 'migrations', 'data/catalog.json', 'tsconfig.json', 'tsconfig.build.json', 'package-lock.json']

/** The newest modification time under `file` (a file or a folder), in milliseconds. */
function newest (file) {
  const stat = statSync(file, { throwIfNoEntry: false })
  if (!stat) return 0
  if (!stat.isDirectory()) return stat.mtimeMs
  return Math.max(0, ...readdirSync(file).map((entry) => newest(path.join(file, entry))))
}

const builtAt = statSync(STAMP, { throwIfNoEntry: false })?.mtimeMs ?? 0
if (Math.max(...INPUTS.map((input) => newest(path.join(root, input)))) > builtAt) {
  process.stderr.write('Sources changed since the last build: compiling (tsc)...\n')
  const startedAt = new Date()
  // From empty: a source deleted since the last build (a migration!) must not linger in dist/.
  rmSync(DIST, { recursive: true, force: true })
  const tsc = spawnSync(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', path.join(root, 'tsconfig.build.json')], { stdio: 'inherit' })
  if (tsc.status !== 0) process.exit(tsc.status ?? 1)
  // Stamped with the time the build started: a source saved during the build makes the next start build again.
  writeFileSync(STAMP, '')
  utimesSync(STAMP, startedAt, startedAt)
}

await import(pathToFileURL(path.join(DIST, 'src/server.js')).href)
