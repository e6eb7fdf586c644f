// MS-RequestId idempotency for every Partner Center write (POST, PUT, PATCH, DELETE under /v1).
// The first request with an id claims a row keyed by (partner, MS-RequestId, method, path) in the
// database; when it answers, its status and body are stored there. A retry (after a lost response,
// concurrent with the first, or on another instance sharing the database) waits for that answer and
// replays it, so nothing is created twice. 5xx answers release the claim so that a retry runs again.
// Records are kept for 24 hours.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import type { Kysely } from 'kysely'
import { partnerOf } from '../auth/policy.js'
import type { Database } from '../db/schema.js'
import { ApiError } from '../errors.js'
import { listOf, withHook } from '../lib/route-hooks.js'
import { pathOf } from '../lib/url.js'
import { createIdempotencyRepository, type IdempotencyKey } from './repository.js'

declare module 'fastify' {
  interface FastifyRequest { idempotencyKey: IdempotencyKey | null }
}

const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])
/** How long a retry waits for the first request's answer before giving up with a 409. */
const WAIT_MS = 30_000
const POLL_MS = 25
/** A claim older than this without an answer belongs to a request that died: a retry takes it over. */
const ABANDONED_MS = 120_000
/** Answers are kept for retries this long, then swept (every SWEEP_MS, by whichever instance runs). */
export const RETENTION_MS = 24 * 3_600_000
const SWEEP_MS = 10 * 60_000

const inProgress = () => new ApiError(409, 800064, 'A request with this MS-RequestId is still in progress; retry it later.')
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** Forgets answers older than the retention. */
export async function sweepIdempotencyRecords (db: Kysely<Database>, now: Date): Promise<void> {
  await createIdempotencyRepository(db).sweep(new Date(now.getTime() - RETENTION_MS))
}

async function idempotencyPlugin (app: FastifyInstance) {
  const records = createIdempotencyRepository(app.db)
  app.decorateRequest('idempotencyKey', null)

  const sweep = () => sweepIdempotencyRecords(app.db, new Date()).catch((err: unknown) => app.log.warn({ err }, 'idempotency records could not be swept'))
  const sweeper = setInterval(sweep, SWEEP_MS).unref()
  app.addHook('onClose', () => clearInterval(sweeper))

  async function replayOrClaim (request: FastifyRequest, reply: FastifyReply) {
    if (request.headers['ms-requestid'] !== request.id) return
    const key: IdempotencyKey = { partner_tenant_id: partnerOf(request), request_id: request.id, method: request.method, path: pathOf(request.url) }
    const deadline = Date.now() + WAIT_MS
    while (true) {
      if (await records.claim(key, new Date())) {
        request.idempotencyKey = key
        return
      }
      const row = await records.find(key)
      if (row?.status_code != null) {
        if (row.location) reply.header('Location', row.location)
        if (row.content_type) reply.type(row.content_type)
        return reply.code(row.status_code).send(row.body ?? undefined)
      }
      if (row && Date.now() - row.claimed_at.getTime() > ABANDONED_MS && await records.takeOver(key, row.claimed_at, new Date())) {
        request.idempotencyKey = key
        return
      }
      if (Date.now() > deadline) throw inProgress()
      await sleep(POLL_MS)
    }
  }

  async function storeAnswer (request: FastifyRequest, reply: FastifyReply, payload: unknown) {
    const key = request.idempotencyKey
    if (!key) return payload
    request.idempotencyKey = null
    if (reply.statusCode >= 500 || (payload !== null && payload !== undefined && typeof payload !== 'string')) {
      await records.release(key)
      return payload
    }
    const location = reply.getHeader('location')
    const contentType = reply.getHeader('content-type')
    await records.storeAnswer(key, {
      status_code: reply.statusCode,
      body: typeof payload === 'string' ? payload : null,
      location: typeof location === 'string' ? location : null,
      content_type: typeof contentType === 'string' ? contentType : null
    })
    return payload
  }

  // Only the writes of the Partner Center surface get the hooks: reads pay nothing for idempotency.
  app.addHook('onRoute', (route) => {
    if (!route.url.startsWith('/v1/') || !listOf(route.method).some((m) => WRITES.has(m))) return
    route.preHandler = withHook(route.preHandler, replayOrClaim)
    route.onSend = withHook(route.onSend, storeAnswer)
  })
}

export default fp(idempotencyPlugin, { name: 'idempotency' })
