// The request journal: every auth decision (who, which app, which operation, app-only or app+user,
// MFA or not, outcome and reason). Rows are buffered and written in batches so that journaling adds
// no database round trip to a request; the buffer is flushed on close.
import type { FastifyBaseLogger, FastifyRequest } from 'fastify'
import { pathOf } from '../lib/url.js'
import type { Decision } from './decision.js'
import type { JournalEntry, JournalRepository } from './repository.js'

const FLUSH_EVERY_MS = 250
const MAX_BATCH = 500

/** The journal row of a request the hook decided on, once its status is final. */
export function journalEntryOf (request: FastifyRequest, decision: Decision | null, statusCode: number): JournalEntry {
  const principal = decision?.principal
  return {
    occurred_at: Date.now(),
    request_id: request.id,
    correlation_id: request.correlationId,
    method: request.method,
    path: pathOf(request.url),
    operation: decision?.operation ?? null,
    operation_name: operationNameOf(request),
    partner_tenant_id: principal?.tenantId ?? null,
    object_id: principal?.objectId ?? null,
    user_principal_name: principal?.userPrincipalName ?? null,
    app_id: principal?.appId ?? null,
    token_kind: principal?.kind ?? null,
    mfa_compliant: principal?.kind === 'user' ? principal.mfa : null,
    outcome: decision?.denied === undefined ? 'allowed' : 'denied',
    status_code: statusCode,
    reason: decision?.denied ?? 'allowed',
    ip_address: request.ip
  }
}

/**
 * The operation as Partner Center's MFA reports name it: the method and the route's template, its
 * version as a placeholder ("Get /v{version}/customers/{customerId}/subscriptions").
 */
export function operationNameOf (request: FastifyRequest): string | null {
  const template = request.routeOptions.url
  if (!template) return null
  const method = request.method.charAt(0) + request.method.slice(1).toLowerCase()
  return `${method} ${template.replace(/^\/v1(\.0)?\//, '/v{version}/').replace(/:(\w+)/g, '{$1}')}`
}

export class RequestJournal {
  readonly #rows: JournalRepository
  readonly #log: FastifyBaseLogger
  #buffer: JournalEntry[] = []
  #timer: NodeJS.Timeout | undefined
  #flushing: Promise<void> = Promise.resolve()

  constructor (rows: JournalRepository, log: FastifyBaseLogger) {
    this.#rows = rows
    this.#log = log
  }

  record (row: JournalEntry): void {
    this.#buffer.push(row)
    // flush() reports its own failures: nothing to wait for here.
    if (this.#buffer.length >= MAX_BATCH) this.flush()
    else this.#timer ??= setTimeout(() => { this.flush() }, FLUSH_EVERY_MS).unref()
  }

  /** Writes what is buffered; resolves when every row recorded so far is stored. */
  flush (): Promise<void> {
    clearTimeout(this.#timer)
    this.#timer = undefined
    const batch = this.#buffer
    this.#buffer = []
    this.#flushing = this.#flushing.then(async () => {
      if (batch.length === 0) return
      try {
        await this.#rows.insert(batch)
      } catch (err) {
        this.#log.error({ err, rows: batch.length }, 'request journal rows could not be written')
      }
    })
    return this.#flushing
  }
}
