// Starts the service: configuration from the environment, then buildApp, then listen.
import { X509Certificate } from 'node:crypto'
import closeWithGrace from 'close-with-grace'
import { buildApp } from './app.js'
import { environmentWithDotEnv, loadConfig } from './config.js'

let config
try {
  config = loadConfig(environmentWithDotEnv())
} catch (error) {
  process.stderr.write(`Invalid configuration: ${(error as Error).message}\n`)
  process.exit(1)
}

const app = await buildApp(config)
closeWithGrace({ delay: config.CLOSE_GRACE_DELAY_MS }, async ({ err }) => {
  if (err) app.log.error({ err }, 'shutting down after an error')
  await app.close()
})
await app.listen({ port: config.PORT, host: config.HOST })
app.log.info({ backend: app.database.backend, devMode: config.DEV_MODE, publicBaseUrl: config.PUBLIC_BASE_URL }, 'Partner Center emulator ready')
if (app.devCaCert) {
  // What `npx pce ca` prints when it fetches the CA over HTTPS, to compare.
  app.log.info({ tlsDir: config.TLS_DIR, caFingerprint256: new X509Certificate(app.devCaCert).fingerprint256 },
    'HTTPS with the development CA: trust it with NODE_EXTRA_CA_CERTS (npx pce ca > pce-ca.pem)')
}
