// buildApp: the whole service as one Fastify instance, used by the server and by every test.
// Order matters: wire conventions and error handling first (they apply to every route), then the
// database, the dev identity provider's keys, the auth hook's machinery, throttling, the webhook dispatcher, the
// OpenAPI generator, and last the routes (api/index.ts, the table of contents).
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import Fastify, { type FastifyInstance, type RouteOptions } from 'fastify'
import type { Config } from './config.js'
import routes from './api/index.js'
import auth from './auth/plugin.js'
import devKeys from './idp/plugin.js'
import { traceId } from './lib/ids.js'
import db from './plugins/db.js'
import { answerClientError, answerFrameworkError } from './plugins/client-errors.js'
import errorHandler from './plugins/error-handler.js'
import graphWire from './plugins/graph-wire.js'
import { requestForLog } from './plugins/log.js'
import swagger from './plugins/swagger.js'
import wire from './plugins/wire.js'
import { seedDemoDataIfEmpty } from './seed/demo.js'
import { serverTls } from './tls/dev-ca.js'
import throttling from './throttling/plugin.js'
import webhooks from './webhooks/plugin.js'
import billingExport from './billing-export/plugin.js'

declare module 'fastify' {
  interface FastifyInstance {
    /** The development CA's certificate (PEM) when TLS=on serves one of its certificates. */
    devCaCert: string | undefined
  }
}

export interface BuildOptions {
  /** Pino logger options, or false for none (tests). */
  logger?: boolean | object
  /** Where the log goes (default stdout); the tests that read the log pass a stream. */
  logStream?: NodeJS.WritableStream
  /** Called with every route as it is declared (the generated documents list them). */
  onRoute?: (route: RouteOptions) => void
}

export async function buildApp (config: Readonly<Config>, options: BuildOptions = {}): Promise<FastifyInstance> {
  const tls = config.TLS === 'on' ? await serverTls(config) : undefined
  const headersTimeout = 30_000
  const app = Fastify({
    logger: options.logger ?? {
      level: config.LOG_LEVEL,
      redact: [
        'req.headers.authorization', 'req.headers.cookie', '*.password', '*.client_secret', '*.access_token', '*.token',
        '*.refresh_token', '*.id_token', '*.code_verifier', '*.device_code', '*.secret'
      ],
      serializers: { req: requestForLog },
      ...(options.logStream ? { stream: options.logStream } : {})
    },
    genReqId: (req) => traceId(req.headers['ms-requestid']),
    // Starting the embedded database (WASM) can take several seconds on a busy machine.
    pluginTimeout: 60_000,
    // Bounds on every request: a body of at most 1 MiB (413 beyond), headers within 30 s, the whole
    // request within 60 s, an idle socket closed after 30 s; keep-alive outlasts common proxies' 60 s.
    bodyLimit: 1_048_576,
    connectionTimeout: 30_000,
    requestTimeout: 60_000,
    keepAliveTimeout: 72_000,
    // What fails before any route runs answers in the API's envelope too.
    frameworkErrors: answerFrameworkError,
    clientErrorHandler: answerClientError,
    ...(tls ? { https: { key: tls.key, cert: tls.cert, headersTimeout } } : { http: { headersTimeout } })
  }).withTypeProvider<TypeBoxTypeProvider>() as unknown as FastifyInstance

  app.decorate('devCaCert', tls?.caCert)

  if (options.onRoute) app.addHook('onRoute', options.onRoute)
  await app.register(wire)
  await app.register(graphWire, { config })
  await app.register(errorHandler)
  await app.register(db, { config })
  if (config.DEV_MODE && config.SEED_DEMO_DATA) await seedDemoDataIfEmpty(app.db)
  await app.register(devKeys, { config })
  await app.register(auth, { config })
  await app.register(throttling, { config })
  await app.register(webhooks, { config })
  await app.register(billingExport, { config })
  await app.register(swagger)
  await app.register(routes, { config })
  return app
}
