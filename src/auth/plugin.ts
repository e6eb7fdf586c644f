// The auth hook: `app.protect(scope)` adds, to every route declared in that scope, an onRequest hook
// that walks the decision table (bearer.ts: steps 1-2, verifier.ts: 3-6, decision.ts: 7-10) with
// the policy the route declares in `config.auth` (policy.ts); handlers never check tokens or roles
// themselves. Every decision is written to the request journal (journal.ts) when the response is sent.
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify'
import fp from 'fastify-plugin'
import type { Config } from '../config.js'
import { DirectoryCache } from '../directory/cache.js'
import { createDirectoryRepository } from '../directory/repository.js'
import { gdapAccess } from '../gdap/access.js'
import { createGdapRepository } from '../gdap/repository.js'
import { listOf, withFirstHook, withHook } from '../lib/route-hooks.js'
import { bodyTokenError } from './bearer.js'
import { createAuthenticator, type Decision } from './decision.js'
import { journalEntryOf, RequestJournal } from './journal.js'
import { requirePolicy, type Principal } from './policy.js'
import { createJournalRepository } from './repository.js'
import { TokenVerifier } from './verifier.js'

declare module 'fastify' {
  interface FastifyRequest { principal: Principal | null, authDecision: Decision | null }
  interface FastifyInstance {
    /** Adds the auth hook, the policy check and the journal to every route of an encapsulated scope. */
    protect: (scope: FastifyInstance) => void
    journal: RequestJournal
    /** Forgets cached partner tenants, users' roles and verified tokens (after a reset or an onboarding). */
    clearAuthCaches: () => void
  }
}

type HookDone = (error?: Error) => void

async function authPlugin (app: FastifyInstance, { config }: { config: Config }) {
  const directoryRows = createDirectoryRepository(app.db)
  const directory = new DirectoryCache(directoryRows, config.ROLE_CACHE_TTL_MS)
  const verifier = new TokenVerifier({
    devKeys: app.devKeys,
    directory,
    publicBaseUrl: config.PUBLIC_BASE_URL,
    entraJwksUri: config.ENTRA_JWKS_URI,
    clockToleranceS: config.TOKEN_CLOCK_TOLERANCE_S,
    maxTokenAgeS: config.TOKEN_MAX_AGE_S,
    maxLifetimeS: config.TOKEN_MAX_LIFETIME_S,
    jwksCooldownMs: config.JWKS_REFRESH_COOLDOWN_MS,
    jwksCacheMaxAgeMs: config.JWKS_CACHE_MAX_AGE_MS
  })
  const gdapRows = createGdapRepository(app.db)
  const authenticate = createAuthenticator({
    verifier,
    directory,
    gdapAccess: (query) => gdapAccess(directoryRows, gdapRows, query),
    now: () => app.clock.now(),
    acceptNgcmfa: config.ACCEPT_NGCMFA
  })
  const journal = new RequestJournal(createJournalRepository(app.db, app.database.copyRows), app.log)

  app.decorate('journal', journal)
  app.decorate('clearAuthCaches', () => {
    directory.clear()
    verifier.clear()
  })
  app.decorateRequest('principal', null)
  app.decorateRequest('authDecision', null)
  app.addHook('onClose', () => journal.flush())

  /** Step 1 for a body: a token sent there is refused too. */
  function rejectBodyToken (request: FastifyRequest, _reply: FastifyReply, done: HookDone): void {
    const error = bodyTokenError(request.body)
    if (error && request.authDecision) request.authDecision.denied = error.message
    done(error)
  }

  // On send rather than on response: the status is final here, and a route with onResponse hooks
  // makes Fastify listen for the end of every response.
  function recordDecision (request: FastifyRequest, reply: FastifyReply, payload: unknown, done: (error: null, payload: unknown) => void): void {
    journal.record(journalEntryOf(request, request.authDecision, reply.statusCode))
    done(null, payload)
  }

  // Route-level hooks, so that each route has only those it needs: a GET has no body to search for a token.
  app.decorate('protect', (scope: FastifyInstance) => {
    scope.addHook('onRoute', (route) => {
      const policy = requirePolicy(route)
      const operation = route.schema?.operationId ?? route.url
      // First among the route's own onRequest hooks: nothing a route declares runs before its caller is known.
      route.onRequest = withFirstHook(route.onRequest, (request: FastifyRequest, _reply: FastifyReply, done: HookDone) => {
        const decision: Decision = { operation }
        request.authDecision = decision
        authenticate(request, policy, decision, done)
      })
      if (carriesBody(route)) route.preValidation = withHook(route.preValidation, rejectBodyToken)
      route.onSend = withHook(route.onSend, recordDecision)
    })
  })
}

/** Fastify reads no body for GET and HEAD. */
const carriesBody = (route: RouteOptions) => listOf(route.method).some((m) => m !== 'GET' && m !== 'HEAD')

export default fp(authPlugin, { name: 'auth', dependencies: ['db', 'wire', 'dev-keys'] })
