// Throttling (docs/throttling.md): `app.throttle(scope)` counts every request of that scope's routes
// that falls under a limit, per partner tenant (and customer), after the auth hook has named the
// caller: an unauthenticated request is answered by the hook and counts against nobody. Over the
// limit: 429 with Retry-After, in the surface's envelope (the error handler renders `throttled`).
import type { FastifyInstance, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import type { Config } from '../config.js'
import { throttled } from '../errors.js'
import { withHook } from '../lib/route-hooks.js'
import { memoryCounters, redisCounters, type Counters } from './counters.js'
import { counterKey, documentedLimits, LimitTable, type Limit } from './limits.js'

export interface Throttling {
  /** The documented limits and those the control plane set. */
  limits: () => { limits: Limit[], overrides: Limit[] }
  setOverrides: (limits: Limit[]) => Promise<void>
  /** Drops the control plane's limits and every counter. */
  reset: () => Promise<void>
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Adds the throttling hook to every route of a scope (after the auth hook). */
    throttle: (scope: FastifyInstance) => void
    throttling: Throttling
  }
}

async function throttlingPlugin (app: FastifyInstance, { config }: { config: Config }) {
  const table = new LimitTable(config.THROTTLING_REQUESTS > 0 ? documentedLimits(config.THROTTLING_REQUESTS, config.THROTTLING_WINDOW_S) : [])
  // The URL may hold a password: it is never logged, only the error.
  const counters: Counters = config.REDIS_URL
    ? redisCounters(config.REDIS_URL, config.REDIS_KEY_PREFIX, (err) => app.log.warn({ err }, 'redis error (throttling counters)'))
    : memoryCounters()
  app.addHook('onClose', () => counters.close())

  app.decorate('throttling', {
    limits: () => ({ limits: table.all(), overrides: [...table.overrides] }),
    // New limits start with fresh counters: a test that lowers a limit counts from zero.
    async setOverrides (limits: Limit[]) {
      table.setOverrides(limits)
      await counters.clear()
    },
    async reset () {
      table.setOverrides([])
      await counters.clear()
    }
  } satisfies Throttling)

  app.decorate('throttle', (scope: FastifyInstance) => {
    scope.addHook('onRoute', (route) => {
      const key = { operation: route.schema?.operationId ?? route.url, url: route.url }
      // Appended: the auth hook is the route's first onRequest hook, so the caller is known here.
      route.onRequest = withHook(route.onRequest, async (request: FastifyRequest) => {
        const partner = request.principal?.tenantId
        const limit = partner === undefined ? undefined : table.match(key)
        if (partner === undefined || limit === undefined) return
        const customerId = (request.params as Record<string, string | undefined>).customerId
        let hit
        try {
          hit = await counters.hit(counterKey(limit, key, partner, customerId), limit.windowSeconds * 1000)
        } catch (err) {
          // Counters out of reach must not take the API down with them: the request goes through.
          request.log.warn({ err }, 'throttling counters unavailable; request not counted')
          return
        }
        if (hit.count > limit.requests) throw throttled(Math.max(1, Math.ceil(hit.resetMs / 1000)))
      })
    })
  })
}

export default fp(throttlingPlugin, { name: 'throttling', dependencies: ['auth'] })
