// The development identity provider's signing keys as `app.devKeys` (dev mode only; undefined
// otherwise, and then no dev token verifies). Loaded, or created on first start, when the app is ready.
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import type { Config } from '../config.js'
import { DevKeyStore } from './keys.js'
import { createSigningKeyRepository } from './repository.js'

declare module 'fastify' {
  interface FastifyInstance { devKeys: DevKeyStore | undefined }
}

async function devKeysPlugin (app: FastifyInstance, { config }: { config: Config }) {
  const devKeys = config.DEV_MODE ? new DevKeyStore(createSigningKeyRepository(app.db), config.JWKS_REFRESH_COOLDOWN_MS) : undefined
  app.decorate('devKeys', devKeys)
  app.addHook('onReady', async () => { await devKeys?.init() })
}

export default fp(devKeysPlugin, { name: 'dev-keys', dependencies: ['db'] })
