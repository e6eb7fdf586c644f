// The table of contents: public routes first, then every protected domain inside one scope that
// carries the auth hook (see plugins/auth). A protected route without a policy fails the start.
import type { FastifyInstance } from 'fastify'
import type { Config } from '../config.js'
import customers from './customers/index.js'
import billing from './billing/index.js'
import catalog from './catalog/index.js'
import commerce from './commerce/index.js'
import customerUsers from './customer-users/index.js'
import controlPlane from './emulator/index.js'
import gdap from './gdap/index.js'
import mfaReports from './mfa-reports/index.js'
import health from './health.js'
import idempotency from '../plugins/idempotency.js'
import identityProvider from './identity/index.js'

export default async function routes (app: FastifyInstance, { config }: { config: Config }) {
  await app.register(health)
  if (config.DEV_MODE) {
    await app.register(identityProvider, { config })
    await app.register(controlPlane, { config })
  }
  await app.register(async (api) => {
    app.protect(api)
    await api.register(idempotency)
    await api.register(customers)
    await api.register(customerUsers)
    await api.register(catalog)
    await api.register(commerce)
    await api.register(billing)
    await api.register(mfaReports)
    await api.register(gdap, { config })
  })
}
