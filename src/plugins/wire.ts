// Partner Center wire conventions shared by every route: MS-RequestId / MS-CorrelationId echoed or
// generated, and request bodies read case-insensitively against the route's body schema.
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { normalizeKeys } from '../lib/case-insensitive.js'
import { traceId } from '../lib/ids.js'

declare module 'fastify' {
  interface FastifyRequest { correlationId: string }
}

async function wirePlugin (app: FastifyInstance) {
  app.decorateRequest('correlationId', '')
  // Callback-style hooks: they run on every request and have nothing to wait for.
  app.addHook('onRequest', (request, reply, done) => {
    request.correlationId = traceId(request.headers['ms-correlationid'])
    reply.header('MS-RequestId', request.id)
    reply.header('MS-CorrelationId', request.correlationId)
    done()
  })
  app.addHook('preValidation', (request, _reply, done) => {
    if (request.body !== null && typeof request.body === 'object') {
      const schema = request.routeOptions.schema?.body
      if (schema) request.body = normalizeKeys(request.body, schema as object)
    }
    done()
  })
}

export default fp(wirePlugin, { name: 'wire' })
