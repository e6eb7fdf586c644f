// Graph's wire conventions on /v1.0, as Graph answers: `request-id` (this request's id) and
// `client-request-id` (the client's, echoed; else the request id) on every answer, the same ids in
// error bodies, and `@odata.context` on an entity's answer, naming its entity set
// (`$metadata#tenantRelationships/delegatedAdminRelationships('id')/accessAssignments/$entity`).
import type { FastifyInstance, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import type { Config } from '../config.js'
import { traceId } from '../lib/ids.js'

declare module 'fastify' {
  interface FastifyRequest { clientRequestId: string }
}

async function graphWirePlugin (app: FastifyInstance, { config }: { config: Config }) {
  app.decorateRequest('clientRequestId', '')
  app.addHook('onRequest', (request, reply, done) => {
    if (!request.url.startsWith('/v1.0/')) return done()
    const sent = request.headers['client-request-id']
    request.clientRequestId = typeof sent === 'string' && sent !== '' ? traceId(sent) : request.id
    reply.header('request-id', request.id).header('client-request-id', request.clientRequestId)
    done()
  })
  app.addHook('onSend', (request, reply, payload, done) => {
    if (!request.url.startsWith('/v1.0/') || (reply.statusCode !== 200 && reply.statusCode !== 201) || typeof payload !== 'string' ||
      !payload.startsWith('{') || payload.startsWith('{"@odata.context"') || payload.includes('"value":[')) return done(null, payload)
    const context = entityContext(config.PUBLIC_BASE_URL, request)
    done(null, context ? `{"@odata.context":${JSON.stringify(context)}${payload === '{}' ? '' : ','}${payload.slice(1)}` : payload)
  })
}

/** The context of the entity a route answers, from its template and the ids in the request. */
function entityContext (base: string, request: FastifyRequest): string | undefined {
  const template = request.routeOptions.url
  if (!template) return undefined
  const params = request.params as Record<string, string>
  const segments = template.replace(/^\/v1\.0\//, '').split('/')
  const parts: string[] = []
  for (const [i, segment] of segments.entries()) {
    if (!segment.startsWith(':')) parts.push(segment)
    // An id keys its entity set, but the last one: that is the entity itself.
    else if (i < segments.length - 1) parts[parts.length - 1] += `('${params[segment.slice(1)] ?? ''}')`
  }
  return `${base}/v1.0/$metadata#${parts.join('/')}/$entity`
}

export default fp(graphWirePlugin, { name: 'graph-wire', dependencies: ['wire'] })
