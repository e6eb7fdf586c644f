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
  app.addHook('onRequest', async (request, reply) => {
    request.correlationId = traceId(request.headers['ms-correlationid'])
    reply.header('MS-RequestId', request.id)
    reply.header('MS-CorrelationId', request.correlationId)
  })
  app.addHook('preValidation', async (request) => {
    const schema = request.routeOptions.schema?.body
    if (schema && request.body !== null && typeof request.body === 'object') {
      request.body = normalizeKeys(request.body, schema as object)
    }
  })
}

export default fp(wirePlugin, { name: 'wire' })
