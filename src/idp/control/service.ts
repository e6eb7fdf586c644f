// The control plane's sign-in helpers (dev mode): what a test harness needs to start from a known
// state and to play the administrator. Reset or set a user's MFA registration (and read the code its
// authenticator shows now), reset a password or revoke sign-in sessions (both end every refresh
// token family of the user, as in Entra), register an app's redirect URIs, set a tenant's MFA policy.
import type { Kysely } from 'kysely'
import type { Database } from '../../db/schema.js'
import { requireTenant } from '../../directory/accounts.js'
import { createDirectoryRepository, type MfaPolicy } from '../../directory/repository.js'
import { ApiError } from '../../errors.js'
import { hashSecret } from '../../lib/secrets.js'
import { createGrantsRepository } from '../grants/repository.js'
import { createSignInRepository } from '../sign-in/repository.js'
import { currentTotp, newTotpSecret } from '../sign-in/totp.js'
import type { RegisterMfa } from './schemas.js'

export function createSignInControl (db: Kysely<Database>) {
  const directory = createDirectoryRepository(db)

  async function requireUser (tenantIdOrDomain: string, userIdOrUpn: string) {
    const tenant = await requireTenant(directory, tenantIdOrDomain)
    const user = await directory.user(tenant.id, userIdOrUpn)
    if (!user) throw new ApiError(404, 1000, `User ${userIdOrUpn} does not exist in partner tenant ${tenant.id}.`)
    return user
  }

  const registrationOf = (userId: string, row: { secret: string, registered_at: Date }) => ({
    userId, method: 'totp' as const, registeredAt: row.registered_at.toISOString(), secret: row.secret, currentCode: currentTotp(row.secret)
  })

  /** Ends every session and refresh token family of a user, in the caller's transaction. */
  async function revokeAll (trx: Kysely<Database>, userId: string, at: Date) {
    const refreshTokensRevoked = await createGrantsRepository(trx).revokeUserTokens(userId, at)
    const sessionsEnded = await createSignInRepository(trx).deleteSessionsOf(userId)
    return { refreshTokensRevoked, sessionsEnded }
  }

  return {
    async mfaRegistration (tenantId: string, userId: string) {
      const user = await requireUser(tenantId, userId)
      const row = await createSignInRepository(db).registration(user.id)
      if (!row) throw new ApiError(404, 1000, `User ${user.userPrincipalName} has not registered an MFA method.`)
      return registrationOf(user.id, row)
    },

    /** Registers an authenticator with a known secret, as if the user had done it on the pages. */
    async registerMfa (tenantId: string, userId: string, body: RegisterMfa) {
      const user = await requireUser(tenantId, userId)
      const secret = body.secret?.replace(/=+$/, '') ?? newTotpSecret()
      const signIns = createSignInRepository(db)
      await signIns.replaceRegistration(user.id, secret, new Date())
      return registrationOf(user.id, (await signIns.registration(user.id))!)
    },

    /** Forgets the registration: the user's next MFA sign-in begins with registration. */
    async resetMfa (tenantId: string, userId: string): Promise<void> {
      const user = await requireUser(tenantId, userId)
      await createSignInRepository(db).unregister(user.id)
    },

    async revokeSignInSessions (tenantId: string, userId: string) {
      const user = await requireUser(tenantId, userId)
      return db.transaction().execute((trx) => revokeAll(trx, user.id, new Date()))
    },

    /** A password reset: the new password, and every refresh token refused with AADSTS50173. */
    async setPassword (tenantId: string, userId: string, password: string): Promise<void> {
      const user = await requireUser(tenantId, userId)
      if (user.federation) throw new ApiError(400, 1000, `User ${user.userPrincipalName} is federated: the password lives with the federated identity provider.`)
      const passwordHash = await hashSecret(password)
      await db.transaction().execute(async (trx) => {
        const at = new Date()
        await createDirectoryRepository(trx).setPassword(user.id, passwordHash, at)
        await revokeAll(trx, user.id, at)
      })
    },

    async setRedirectUris (tenantId: string, appId: string, redirectUris: string[]) {
      const tenant = await requireTenant(directory, tenantId)
      const app = await directory.app(tenant.id, appId)
      if (!app) throw new ApiError(404, 1000, `App ${appId} is not registered in partner tenant ${tenant.id}.`)
      const uris = [...new Set(redirectUris)]
      const bad = uris.find((uri) => !/^https:\/\//i.test(uri) && !/^http:\/\/(localhost|127\.0\.0\.1)[:/]/i.test(uri))
      if (bad) throw new ApiError(400, 1000, `Redirect URI ${bad} must use https (or http on localhost or 127.0.0.1), as Entra requires.`)
      await directory.setRedirectUris(app.id, uris)
      return { redirectUris: uris }
    },

    async setMfaPolicy (tenantId: string, mfaPolicy: MfaPolicy) {
      const tenant = await requireTenant(directory, tenantId)
      await directory.setMfaPolicy(tenant.id, mfaPolicy)
      return { mfaPolicy }
    }
  }
}
