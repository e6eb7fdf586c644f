// Sets the actor (audit/actor.ts) around every write route of the protected scope it is registered in:
// the handler and every query it makes run with the caller known, for recordActivity. Also forgets
// records past the 90 days the API can show (hourly, by whichever instance runs).
import type { FastifyInstance, FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify'
import fp from 'fastify-plugin'
import { listOf, withFirstHook } from '../lib/route-hooks.js'
import { runAsActor } from './actor.js'
import { createAuditRepository } from './repository.js'

const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])
const RETENTION_MS = 90 * 86_400_000
const SWEEP_MS = 3_600_000

async function auditPlugin (app: FastifyInstance) {
  const sweep = () => createAuditRepository(app.db).sweep(new Date(Date.now() - RETENTION_MS))
    .catch((err: unknown) => app.log.warn({ err }, 'audit records could not be swept'))
  const sweeper = setInterval(sweep, SWEEP_MS).unref()
  app.addHook('onClose', () => clearInterval(sweeper))

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
