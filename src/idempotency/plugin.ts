// MS-RequestId idempotency for every Partner Center write (POST, PUT, PATCH, DELETE under /v1 and /webhooks/v1).
// A write with an MS-RequestId runs in one transaction with its idempotency record, keyed by
// (partner, MS-RequestId, method, path): the record is inserted first, the answer stored last, and the
// transaction commits only then, before the answer leaves. So after any crash a retry finds either the
// committed write with its answer, and replays it, or nothing, and runs the write once.
// A retry concurrent with the first request waits for it (the unique index waits for the first
// transaction) at most CLAIM_WAIT_MS, then answers 409. 5xx answers roll everything back.
// Records are kept for 24 hours. The request's transaction is seen by its queries through db/scope.ts.
import type { FastifyInstance, FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify'
import fp from 'fastify-plugin'
import type { Kysely } from 'kysely'
import { partnerOf } from '../auth/policy.js'
import { databaseErrorKind } from '../db/errors.js'
import { runInScope, type RequestScope } from '../db/scope.js'
import type { Database, IdempotentRequestRow } from '../db/schema.js'
import { ApiError, transientFailure } from '../errors.js'
import { listOf, withHook } from '../lib/route-hooks.js'
import { pathOf } from '../lib/url.js'
import { createIdempotencyRepository, type IdempotencyKey } from './repository.js'

interface IdempotentWrite extends RequestScope { key: IdempotencyKey }

declare module 'fastify' {
  interface FastifyRequest { idempotentWrite: IdempotentWrite | null }
}

const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])
/** How long a retry waits for a concurrent first request with its MS-RequestId before answering 409. */
const CLAIM_WAIT_MS = 5_000
/** Answers are kept for retries this long, then swept (every SWEEP_MS, by whichever instance runs). */
export const RETENTION_MS = 24 * 3_600_000
const SWEEP_MS = 10 * 60_000

const inProgress = () => new ApiError(409, 800064, 'A request with this MS-RequestId is still in progress; retry it later.', { headers: { 'Retry-After': '1' } })

/** Forgets answers older than the retention. */
export async function sweepIdempotencyRecords (db: Kysely<Database>, now: Date): Promise<void> {
  await createIdempotencyRepository(db).sweep(new Date(now.getTime() - RETENTION_MS))
}

async function idempotencyPlugin (app: FastifyInstance) {
  app.decorateRequest('idempotentWrite', null)

  const sweep = () => sweepIdempotencyRecords(app.db, new Date()).catch((err: unknown) => app.log.warn({ err }, 'idempotency records could not be swept'))
  const sweeper = setInterval(sweep, SWEEP_MS).unref()
  app.addHook('onClose', () => clearInterval(sweeper))

  /** The first request with its key gets a transaction holding its record; a retry gets the stored answer. */
  async function claim (key: IdempotencyKey): Promise<{ write: IdempotentWrite } | { answer: IdempotentRequestRow }> {
    const trx = await app.db.startTransaction().execute()
    try {
      if (await createIdempotencyRepository(trx).claim(key, new Date(), CLAIM_WAIT_MS)) return { write: { trx, key } }
      await trx.rollback().execute()
    } catch (error) {
      await trx.rollback().execute().catch(() => {})
      throw databaseErrorKind(error) === 'lockNotAvailable' ? inProgress() : error
    }
    // Record and answer commit together: a record that exists has its answer.
    const answer = await createIdempotencyRepository(app.db).find(key)
    if (answer?.status_code == null) throw inProgress()
    return { answer }
  }

  // Callback style, so that the rest of the request (the handler, its queries) runs in the write's scope.
  function claimOrReplay (request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction) {
    if (request.headers['ms-requestid'] !== request.id) return done()
    const key: IdempotencyKey = { partner_tenant_id: partnerOf(request), request_id: request.id, method: request.method, path: pathOf(request.url) }
    claim(key).then((outcome) => {
      if ('answer' in outcome) return replay(reply, outcome.answer)
      request.idempotentWrite = outcome.write
      runInScope(outcome.write, done)
    }, done)
  }

  /** Stores the answer and commits the write with it, before the answer leaves; a 5xx rolls both back. */
  async function commit (request: FastifyRequest, reply: FastifyReply, payload: unknown) {
    const write = request.idempotentWrite
    const trx = write?.trx
    if (!write || !trx) return payload
    write.trx = undefined
    try {
      if (reply.statusCode >= 500) {
        await trx.rollback().execute()
        return payload
      }
      const records = createIdempotencyRepository(trx)
      if (payload === null || payload === undefined || typeof payload === 'string') {
        const location = reply.getHeader('location')
        const contentType = reply.getHeader('content-type')
        await records.storeAnswer(write.key, {
          status_code: reply.statusCode,
          body: typeof payload === 'string' ? payload : null,
          location: typeof location === 'string' ? location : null,
          content_type: typeof contentType === 'string' ? contentType : null
        })
      } else {
        // An answer that cannot be stored (a stream): the write commits, a retry runs again.
        await records.release(write.key)
      }
      await trx.commit().execute()
      return payload
    } catch (err) {
      await trx.rollback().execute().catch(() => {})
      // A refusal stands whether or not it could be recorded; a success that did not commit must not be told.
      if (reply.statusCode >= 400) return payload
      request.log.error({ err }, 'a write could not commit')
      const failure = transientFailure(err)
      reply.code(failure.statusCode).headers(failure.headers).type('application/json; charset=utf-8')
      return JSON.stringify({ code: failure.code, description: 'The write could not be committed; nothing was changed. Retry it.', data: [], source: 'PartnerFD' })
    }
  }

  /** A request that ended without an answer (the client went away): its transaction must not stay open. */
  async function abandon (request: FastifyRequest) {
    const trx = request.idempotentWrite?.trx
    if (!trx) return
    request.idempotentWrite!.trx = undefined
    await trx.rollback().execute().catch(() => {})
  }

  // Only the writes of the Partner Center surface get the hooks: reads pay nothing for idempotency.
  app.addHook('onRoute', (route) => {
    if (!/^\/(v1|webhooks\/v1)\//.test(route.url) || !listOf(route.method).some((m) => WRITES.has(m))) return
    route.preHandler = withHook(route.preHandler, claimOrReplay)
    route.onSend = withHook(route.onSend, commit)
    route.onResponse = withHook(route.onResponse, abandon)
  })
}

function replay (reply: FastifyReply, answer: IdempotentRequestRow) {
  if (answer.location) reply.header('Location', answer.location)
  if (answer.content_type) reply.type(answer.content_type)
  reply.code(answer.status_code!).send(answer.body ?? undefined)
}

export default fp(idempotencyPlugin, { name: 'idempotency' })
