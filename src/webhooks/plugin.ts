// Webhook delivery as part of the app: the signer (its key made on first use) and the dispatcher,
// started when the app is ready and stopped, with the POSTs in flight, when it closes; deliveries
// done for seven days are forgotten (hourly), as Microsoft purges its test events.
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import type { Config } from '../config.js'
import { createDispatcher } from './dispatcher.js'
import { createWebhooksRepository } from './repository.js'
import { loadSigner, type Signer } from './signing.js'

declare module 'fastify' {
  interface FastifyInstance {
    /** The webhook signer (the signing key and its certificate), loaded or made on first use. */
    webhookSigner: () => Promise<Signer>
  }
}

const RETENTION_MS = 7 * 86_400_000

async function webhooksPlugin (app: FastifyInstance, { config }: { config: Config }) {
  let signer: Promise<Signer> | undefined
  const webhookSigner = () => {
    signer ??= loadSigner(app.db).catch((error: unknown) => { signer = undefined; throw error })
    return signer
  }
  app.decorate('webhookSigner', webhookSigner)
  const dispatcher = createDispatcher({
    db: app.db,
    log: app.log.child({ module: 'webhooks' }),
    publicBaseUrl: config.PUBLIC_BASE_URL,
    signer: webhookSigner,
    maxAttempts: config.WEBHOOK_MAX_ATTEMPTS,
    retryBaseMs: config.WEBHOOK_RETRY_BASE_MS,
    pollMs: config.WEBHOOK_POLL_MS,
    timeoutMs: config.WEBHOOK_TIMEOUT_MS
  })
  const sweep = () => createWebhooksRepository(app.db).sweep(new Date(Date.now() - RETENTION_MS))
    .catch((err: unknown) => app.log.warn({ err }, 'webhook deliveries could not be swept'))
  const sweeper = setInterval(sweep, 3_600_000).unref()
  app.addHook('onReady', async () => dispatcher.start())
  app.addHook('onClose', async () => {
    clearInterval(sweeper)
    await dispatcher.stop()
  })
}

export default fp(webhooksPlugin, { name: 'webhooks', dependencies: ['db'] })
