// Wire conventions shared by every route: MS-RequestId / MS-CorrelationId echoed or generated,
// request bodies read case-insensitively against the route's body schema, and input PostgreSQL cannot
// store (a NUL, half a surrogate pair, a number out of range) refused with a 400 before any route runs.
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { invalidRequest } from '../errors.js'
import { normalizeKeys } from '../lib/case-insensitive.js'
import { traceId } from '../lib/ids.js'
import { firstUnstorable } from '../lib/storable.js'

declare module 'fastify' {
  interface FastifyRequest { correlationId: string }
  /** A route that stores nothing of its input, and takes any text and number (token minting crafts odd claims on purpose). */
  interface FastifyContextConfig { storesNoInput?: boolean }
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
  // Security headers on every answer, unless the route set its own (the sign-in pages' CSP): no MIME
  // sniffing, no referrer, no framing; and for JSON, a policy that lets a browser run nothing from it.
  app.addHook('onSend', (_request, reply, payload, done) => {
    if (!reply.hasHeader('x-content-type-options')) reply.header('X-Content-Type-Options', 'nosniff')
    if (!reply.hasHeader('referrer-policy')) reply.header('Referrer-Policy', 'no-referrer')
    if (!reply.hasHeader('x-frame-options')) reply.header('X-Frame-Options', 'DENY')
    if (!reply.hasHeader('content-security-policy') && String(reply.getHeader('content-type') ?? '').includes('json')) {
      reply.header('Content-Security-Policy', "default-src 'none'; frame-ancestors 'none'")
    }
    done(null, payload)
  })
  // After validation: the query's numbers are numbers by then (size=1e400 is Infinity).
  app.addHook('preHandler', (request, _reply, done) => {
    if (request.routeOptions.config.storesNoInput) return done()
    const parts = { path: request.params, query: request.query, body: request.body }
    for (const [part, value] of Object.entries(parts)) {
      const field = firstUnstorable(value, part)
      if (field) return done(unstorable(field))
    }
    done()
  })
}

function unstorable (field: string) {
  const why = `${field} holds a value that cannot be stored: a NUL character, half a surrogate pair, or a number that is not finite or beyond 2^53`
  return invalidRequest(`The request is not valid: ${why}.`, [{ field, message: 'cannot be stored' }])
}

export default fp(wirePlugin, { name: 'wire' })
