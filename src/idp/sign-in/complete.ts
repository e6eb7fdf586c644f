// The two ends of a sign-in. `begin` keeps the authorization request (and, for a step-up, the
// signed-in user) in a sign_in_requests row, so any instance sharing the database serves the next
// page. `complete` ends it in one transaction: the request is gone (only once: a second completion of
// the same sign-in is refused), the browser's session, the lockout count cleared, and an authorization
// code for the client or the device's approval.
import type { Kysely } from 'kysely'
import type { Database, SignInRequestRow } from '../../db/schema.js'
import { appServesTenant } from '../../directory/accounts.js'
import { createDirectoryRepository, type UserAccount } from '../../directory/repository.js'
import { hashToken, randomToken } from '../../lib/secrets.js'
import { applicationNotFound, deviceCodeUsed, expiredSignIn } from '../errors.js'
import { createGrantsRepository } from '../grants/repository.js'
import { createLockout } from '../lockout.js'
import type { SignedIn } from './authorize.js'
import { respond, type Outcome, type SignInParams } from './outcome.js'
import { createSignInRepository } from './repository.js'

const REQUEST_TTL_MS = 15 * 60_000
const CODE_TTL_MS = 10 * 60_000
export const SESSION_TTL_MS = 12 * 3_600_000

export interface Completion {
  /** The sign-in in progress; none when a signed-in session answers the request. */
  request?: SignInRequestRow
  params: SignInParams
  user: UserAccount
  amr: string[]
  authTime: Date
  /** A new session for the browser; not when its session answered the request. */
  newSession: boolean
}

export function createSignInEnds ({ db, publicBaseUrl }: { db: Kysely<Database>, publicBaseUrl: string }) {
  const directory = createDirectoryRepository(db)

  return {
    /** A new sign-in under `authority` (a tenant id, or common / organizations): the browser goes to its first page. */
    async begin (authority: string, params: SignInParams, now: Date, signedIn?: SignedIn): Promise<Outcome> {
      const id = crypto.randomUUID()
      const signIns = createSignInRepository(db)
      // What expired (unfinished sign-ins, sessions, codes) goes when a new sign-in begins: no other job runs.
      await signIns.purgeExpired(now)
      await createGrantsRepository(db).purgeExpired(now)
      await signIns.insertRequest({
        id,
        authority,
        params: JSON.stringify(params),
        ...(signedIn ? { user_id: signedIn.user.id, amr: signedIn.amr } : {}),
        created_at: now,
        expires_at: new Date(now.getTime() + REQUEST_TTL_MS)
      })
      return { kind: 'redirect', location: `${publicBaseUrl}/sign-in/${id}` }
    },

    async complete ({ request, params, user, amr, authTime, newSession }: Completion, now: Date): Promise<Outcome> {
      const app = await directory.app(undefined, params.client_id)
      if (!app || !appServesTenant(app, user.tenantId)) throw applicationNotFound(params.client_id ?? '', user.tenantId)
      const session = newSession ? { id: randomToken(), expiresAt: new Date(now.getTime() + SESSION_TTL_MS) } : undefined
      const code = randomToken()
      await db.transaction().execute(async (trx) => {
        const signIns = createSignInRepository(trx)
        const grants = createGrantsRepository(trx)
        if (request && !await signIns.deleteRequest(request.id)) throw expiredSignIn()
        if (session) await signIns.insertSession({ idHash: hashToken(session.id), tenantId: user.tenantId, userId: user.id, amr, authTime, expiresAt: session.expiresAt })
        await createLockout(trx).succeeded(user.id)
        if (params.device_code_hash) {
          const approval = { status: 'approved' as const, tenant_id: user.tenantId, user_id: user.id, amr, auth_time: authTime }
          if (!await grants.decideDeviceCode(params.device_code_hash, approval, now)) throw deviceCodeUsed()
          return
        }
        await grants.insertCode({
          code_hash: hashToken(code),
          tenant_id: user.tenantId,
          app_id: app.id,
          user_id: user.id,
          redirect_uri: params.redirect_uri!,
          scope: params.scope ?? '',
          code_challenge: params.code_challenge ?? null,
          code_challenge_method: params.code_challenge ? (params.code_challenge_method ?? 'plain') : null,
          nonce: params.nonce ?? null,
          amr,
          auth_time: authTime,
          expires_at: new Date(now.getTime() + CODE_TTL_MS)
        })
      })
      if (params.device_code_hash) return { kind: 'page', page: { step: 'device-done', appName: app.displayName }, ...(session ? { session } : {}) }
      return respond(params, { code, ...(params.state ? { state: params.state } : {}), session_state: crypto.randomUUID() }, session)
    }
  }
}
