// Sets the actor (audit/actor.ts) around every write route of the protected scope it is registered in:
// the handler and every query it makes run with the caller known, for recordActivity.
import type { FastifyInstance, FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify'
import fp from 'fastify-plugin'
import { listOf, withFirstHook } from '../lib/route-hooks.js'
import { runAsActor } from './actor.js'

const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])

async function auditPlugin (app: FastifyInstance) {
  // Callback style, so that the rest of the request runs in the actor's context.
  function withActor (request: FastifyRequest, _reply: FastifyReply, done: HookHandlerDoneFunction) {
    const principal = request.principal
    if (!principal) return done()
    app.clock.now().then((now) => runAsActor({
      partnerTenantId: principal.tenantId,
      userPrincipalName: principal.kind === 'user' ? principal.userPrincipalName : null,
      applicationId: principal.appId,
      correlationId: request.correlationId || null,
      now
    }, done), done)
  }

  app.addHook('onRoute', (route) => {
    if (!listOf(route.method).some((m) => WRITES.has(m))) return
    route.preHandler = withFirstHook(route.preHandler, withActor)
  })
}

export default fp(auditPlugin, { name: 'audit' })
