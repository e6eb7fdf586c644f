// Who performs a write, for its audit record: set around every protected write (plugin.ts) and read by
// recordActivity wherever the service calls it, so that services need not pass the caller along.
import { AsyncLocalStorage } from 'node:async_hooks'

export interface Actor {
  partnerTenantId: string
  /** The user of an app+user token; null for app-only tokens and for the emulator itself. */
  userPrincipalName: string | null
  applicationId: string
  correlationId: string | null
  /** The emulator clock when the request started: the operation date of its records. */
  now: Date
}

const actors = new AsyncLocalStorage<Actor>()

/** Runs `fn` (and everything it starts) as `actor`. */
export const runAsActor = <T>(actor: Actor, fn: () => T): T => actors.run(actor, fn)

/** The caller of the write in progress, if any. */
export const currentActor = (): Actor | undefined => actors.getStore()
