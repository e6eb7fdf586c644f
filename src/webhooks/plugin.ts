// Webhook delivery as part of the app: the signer (its key made on first use) and the dispatcher,
// started when the app is ready and stopped, with the POSTs in flight, when it closes.
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import type { Config } from '../config.js'
import { createDispatcher } from './dispatcher.js'
import { loadSigner, type Signer } from './signing.js'

declare module 'fastify' {
  interface FastifyInstance {
    /** The webhook signer (the signing key and its certificate), loaded or made on first use. */
    webhookSigner: () => Promise<Signer>
  }
}

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
  app.addHook('onReady', async () => dispatcher.start())
  app.addHook('onClose', () => dispatcher.stop())
}

export default fp(webhooksPlugin, { name: 'webhooks', dependencies: ['db'] })
