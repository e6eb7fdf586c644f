// The billing export job as part of the app: started when the app is ready, woken by each export
// request, and stopped with the app (the export it was writing let go for the next start to redo).
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import type { Config } from '../config.js'
import { createExportJobs } from './job.js'

declare module 'fastify' {
  interface FastifyInstance {
    /** The export job: `wake()` after an export is asked for. */
    billingExports: { wake: () => void }
  }
}

async function billingExportPlugin (app: FastifyInstance, { config }: { config: Config }) {
  const jobs = createExportJobs({
    db: app.db,
    log: app.log.child({ module: 'billing-export' }),
    clock: app.clock,
    pollMs: config.BILLING_EXPORT_POLL_MS,
    rowsPerFile: config.BILLING_EXPORT_ROWS_PER_FILE
  })
  app.decorate('billingExports', { wake: jobs.wake })
  app.addHook('onReady', async () => jobs.start())
  app.addHook('onClose', async () => jobs.stop())
}

export default fp(billingExportPlugin, { name: 'billing-export', dependencies: ['db'] })
