// The webhook dispatcher: polls the outbox (webhook_deliveries) for due events, POSTs each to its URL,
// signed, and records every attempt. A failed attempt is retried with exponential backoff until
// WEBHOOK_MAX_ATTEMPTS; then the event is marked failed (Partner Center's "offline queue"). Deliveries
// are leased while in flight, so a crash loses none: the lease ends and the event comes due again.
import { STATUS_CODES } from 'node:http'
import type { FastifyBaseLogger } from 'fastify'
import type { Kysely } from 'kysely'
import type { Database, WebhookAttemptResult, WebhookDeliveryRow } from '../db/schema.js'
import { eventPayload } from './events.js'
import { createWebhooksRepository } from './repository.js'
import { CERTIFICATE_PATH, SIGNATURE_ALGORITHM, type Signer } from './signing.js'

export interface DispatcherOptions {
  db: Kysely<Database>
  log: FastifyBaseLogger
  publicBaseUrl: string
  signer: () => Promise<Signer>
  maxAttempts: number
  retryBaseMs: number
  pollMs: number
  timeoutMs: number
}

const BATCH = 20
const MAX_BACKOFF_MS = 3_600_000
const MAX_MESSAGE = 1024

export function createDispatcher (options: DispatcherOptions) {
  const outbox = createWebhooksRepository(options.db)
  const inFlight = new AbortController()
  let timer: NodeJS.Timeout | undefined
  let running: Promise<void> | undefined
  let stopped = false

  async function deliver (row: WebhookDeliveryRow, signer: Signer): Promise<void> {
    const body = eventPayload(row, options.publicBaseUrl)
    const signature = signer.sign(body)
    const registration = await outbox.registrationOf(row.partner_tenant_id)
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'x-ms-certificate-url': `${options.publicBaseUrl}${CERTIFICATE_PATH}`,
      'x-ms-signature-algorithm': SIGNATURE_ALGORITHM,
      ...(registration?.signature_token_to_ms_signature_header ? { 'x-ms-signature': signature } : { authorization: `Signature ${signature}` })
    }
    let result: WebhookAttemptResult
    let delivered = false
    try {
      // Redirects are not followed: the registered URL is the only one that receives events.
      const signal = AbortSignal.any([inFlight.signal, AbortSignal.timeout(options.timeoutMs)])
      const res = await fetch(row.webhook_url, { method: 'POST', headers, body, redirect: 'manual', signal })
      const text = (await res.text()).slice(0, MAX_MESSAGE)
      delivered = res.status >= 200 && res.status < 300
      result = { responseCode: statusName(res.status), responseMessage: text, systemError: false, dateTimeUtc: new Date().toISOString() }
    } catch (error) {
      if (stopped) return // Shutting down: the lease ends and another start (or instance) sends it again.
      result = { responseCode: 'None', responseMessage: String((error as Error).message).slice(0, MAX_MESSAGE), systemError: true, dateTimeUtc: new Date().toISOString() }
    }
    const attempts = row.attempts + 1
    const status = delivered ? 'delivered' : attempts >= options.maxAttempts ? 'failed' : 'pending'
    const backoff = Math.min(options.retryBaseMs * 2 ** (attempts - 1), MAX_BACKOFF_MS)
    await outbox.recordAttempt(row.id, { status, nextAttemptAt: new Date(Date.now() + backoff), result })
    if (!delivered) options.log.warn({ deliveryId: row.id, event: row.event_name, attempts, status }, 'webhook delivery failed')
  }

  async function tick (): Promise<void> {
    const now = new Date()
    // Leased long enough for every attempt of the batch to end (each is bounded by the timeout).
    const rows = await outbox.claimDue(now, new Date(now.getTime() + options.timeoutMs * 2 + 1000), BATCH)
    if (rows.length === 0) return
    const signer = await options.signer()
    await Promise.all(rows.map((row) => deliver(row, signer).catch((err: unknown) => {
      if (!stopped) options.log.error({ err, deliveryId: row.id }, 'webhook delivery could not be recorded')
    })))
  }

  function schedule (delayMs: number) {
    if (stopped) return
    timer = setTimeout(() => {
      running = tick()
        .catch((err: unknown) => { if (!stopped) options.log.warn({ err }, 'webhook outbox could not be read') })
        .finally(() => { running = undefined; schedule(options.pollMs) })
    }, delayMs)
    timer.unref()
  }

  return {
    start: () => schedule(0),
    /** Stops polling, aborts the POSTs in flight and waits for the current round to end. */
    async stop (): Promise<void> {
      stopped = true
      clearTimeout(timer)
      inFlight.abort()
      await running
    }
  }
}

/** .NET's HttpStatusCode names, as Partner Center reports them ("OK", "NotFound", "InternalServerError"). */
function statusName (status: number): string {
  const text = STATUS_CODES[status]
  return text ? text.replace(/[^A-Za-z]/g, '') : String(status)
}
