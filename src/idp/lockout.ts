// Entra's smart lockout, as the emulator keeps it: ten failed passwords or codes in a row lock the
// account for a minute (AADSTS50053), for the sign-in pages and the password grant alike. The count
// starts again after a completed sign-in, so that a known password cannot be used to reset it between
// guesses of the authenticator's code.
import type { Kysely } from 'kysely'
import type { Database } from '../db/schema.js'
import { accountLocked } from './errors.js'
import { createSignInRepository } from './sign-in/repository.js'

export const LOCKOUT_THRESHOLD = 10
export const LOCKOUT_MS = 60_000

export function createLockout (db: Kysely<Database>) {
  const signIns = createSignInRepository(db)
  return {
    /** The error for a locked-out user, or undefined. */
    async refusal (userId: string, now: Date) {
      return await signIns.lockedUntil(userId, now) ? accountLocked() : undefined
    },

    failed: (userId: string, now: Date) => signIns.recordFailure(userId, LOCKOUT_THRESHOLD, new Date(now.getTime() + LOCKOUT_MS)),

    succeeded: (userId: string) => signIns.clearFailures(userId)
  }
}
