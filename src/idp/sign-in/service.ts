// Interactive sign-in, as Entra runs it: the authorization request (RFC 6749 §4.1, PKCE; checked in
// authorize.ts), then the pages (user name and password; the federated provider's page for federated
// users; the TOTP code, after registering an authenticator the first time), then the end
// (complete.ts): a signed-in session and an authorization code for the client, or the approval of the
// device that asked (RFC 8628). Failed passwords and codes count towards the smart lockout.
import type { Kysely } from 'kysely'
import type { Database, SignInRequestRow } from '../../db/schema.js'
import { createDirectoryRepository, type UserAccount } from '../../directory/repository.js'
import { hashToken, verifySecret } from '../../lib/secrets.js'
import { expiredSignIn, invalidCredentials, loginRequired, mfaInteractionRequired, userNotInTenant, type OAuthError } from '../errors.js'
import { createGrantsRepository } from '../grants/repository.js'
import { createLockout } from '../lockout.js'
import { isMultiTenantAuthority } from '../metadata.js'
import { allowedRedirect } from '../requests.js'
import { createAuthorizeChecks, isCheckedRequest } from './authorize.js'
import { createSignInEnds } from './complete.js'
import { errorPage, redirectError, type AuthorizeParams, type Outcome, type SignInParams } from './outcome.js'
import { createSignInRepository } from './repository.js'
import { enrolment, newTotpSecret, verifyTotp } from './totp.js'

export { SESSION_TTL_MS } from './complete.js'

const WRONG_CODE = 'The code is wrong or was used already. Enter the current code from your authenticator app.'

export function createSignInService ({ db, publicBaseUrl }: { db: Kysely<Database>, publicBaseUrl: string }) {
  const directory = createDirectoryRepository(db)
  const signIns = createSignInRepository(db)
  const grants = createGrantsRepository(db)
  const lockout = createLockout(db)
  const checks = createAuthorizeChecks(db)
  const ends = createSignInEnds({ db, publicBaseUrl })

  const appName = async (clientId: string | undefined) => (await directory.app(undefined, clientId))?.displayName ?? ''
  const message = (error: OAuthError) => `AADSTS${error.aadsts}: ${error.message}`

  /** The next page of a sign-in, or its end. */
  async function next (request: SignInRequestRow, now: Date): Promise<Outcome> {
    const params: SignInParams = request.params
    if (!request.user_id) return { kind: 'page', page: { step: 'password', requestId: request.id, appName: await appName(params.client_id), loginHint: params.login_hint ?? '' } }
    const user = (await userById(request.user_id))!
    if (user.federation && !request.amr.includes('fed')) return federationPage(request, user)
    if (!user.federation && !request.amr.includes('mfa') && await checks.needsMfa(user.tenantId, params)) return mfaPage(request, user)
    return ends.complete({ request, params, user, amr: request.amr, authTime: now, newSession: true }, now)
  }

  function federationPage (request: SignInRequestRow, user: UserAccount, error?: string): Outcome {
    return { kind: 'page', page: { step: 'federation', requestId: request.id, provider: providerOf(user), userName: user.userPrincipalName, ...(error ? { error } : {}) } }
  }

  async function mfaPage (request: SignInRequestRow, user: UserAccount, error?: string): Promise<Outcome> {
    if (await signIns.registration(user.id)) return { kind: 'page', page: { step: 'mfa', requestId: request.id, userName: user.userPrincipalName, ...(error ? { error } : {}) } }
    // First time: the user registers an authenticator app. The secret waits in the request until a first code confirms it.
    const params: SignInParams = request.params
    const secret = params.pending_secret ?? newTotpSecret()
    if (!params.pending_secret) await signIns.updateRequest(request.id, { params: JSON.stringify({ ...params, pending_secret: secret }) })
    const { uri, qrSvg } = await enrolment(secret, user.userPrincipalName)
    return { kind: 'page', page: { step: 'register', requestId: request.id, userName: user.userPrincipalName, secret, uri, qrSvg, ...(error ? { error } : {}) } }
  }

  async function userById (userId: string): Promise<UserAccount | undefined> {
    const tenant = await directory.tenantOfUserId(userId)
    return tenant ? directory.user(tenant, userId) : undefined
  }

  /** The sign-in in progress with its user, or the page saying it has ended. */
  async function withUser (requestId: string, now: Date) {
    const request = await signIns.request(requestId, now)
    const user = request?.user_id ? await userById(request.user_id) : undefined
    return request && user ? { request, user } : undefined
  }

  return {
    /** GET /{authority}/oauth2/v2.0/authorize: a signed-in session answers at once; otherwise the pages begin. */
    async authorize (authority: string, params: AuthorizeParams, sessionId: string | undefined, now: Date): Promise<Outcome> {
      const checked = await checks.check(authority, params)
      if (!isCheckedRequest(checked)) return checked
      const signedIn = await checks.signedInUser(checked.tenantId, params, sessionId, now)
      if (signedIn && await checks.satisfied(signedIn, params)) {
        return ends.complete({ params, user: signedIn.user, amr: signedIn.amr, authTime: signedIn.authTime, newSession: false }, now)
      }
      if (params.prompt === 'none') return redirectError(params, signedIn ? mfaInteractionRequired(checked.scopes.audience) : loginRequired())
      // A step-up: the signed-in user goes straight to MFA.
      return ends.begin(checked.tenantId ?? authority.toLowerCase(), params, now, signedIn)
    },

    async page (requestId: string, now: Date): Promise<Outcome> {
      const request = await signIns.request(requestId, now)
      return request ? next(request, now) : errorPage(expiredSignIn())
    },

    /** The user name and password page. A federated user goes on to the federated provider's page. */
    async password (requestId: string, userName: string, password: string, now: Date): Promise<Outcome> {
      const request = await signIns.request(requestId, now)
      if (!request) return errorPage(expiredSignIn())
      const retry = async (error: OAuthError): Promise<Outcome> => ({
        kind: 'page', page: { step: 'password', requestId, appName: await appName(request.params.client_id), loginHint: userName, error: message(error) }
      })
      const tenantId = isMultiTenantAuthority(request.authority) ? (await directory.tenantOfUser(userName))?.id : request.authority
      const user = tenantId ? await directory.user(tenantId, userName) : undefined
      if (!user) return retry(userNotInTenant(userName, tenantId ?? request.authority))
      if (!user.federation) {
        const locked = await lockout.refusal(user.id, now)
        if (locked) return retry(locked)
        if (!await verifySecret(password, user.passwordHash)) {
          await lockout.failed(user.id, now)
          return retry(invalidCredentials())
        }
      }
      // A federated user's password is the provider's: it is asked on the next page.
      await signIns.updateRequest(requestId, { user_id: user.id, amr: user.federation ? [] : ['pwd'] })
      return next((await signIns.request(requestId, now))!, now)
    },

    /** The simulated federated provider's page: its password and its own second factor. */
    async federated (requestId: string, password: string, approved: boolean, now: Date): Promise<Outcome> {
      const found = await withUser(requestId, now)
      if (!found || !found.user.federation) return errorPage(expiredSignIn())
      const { request, user } = found
      const locked = await lockout.refusal(user.id, now)
      if (locked) return federationPage(request, user, message(locked))
      if (!await verifySecret(password, user.passwordHash)) {
        await lockout.failed(user.id, now)
        return federationPage(request, user, 'The password is wrong.')
      }
      if (!approved) return federationPage(request, user, 'Approve the sign-in with the provider\'s second factor.')
      // Entra takes the federated provider's MFA only when it is compatible (federatedIdpMfaBehavior).
      await signIns.updateRequest(requestId, { amr: user.federation === 'compatible' ? ['fed', 'mfa'] : ['fed'] })
      return next((await signIns.request(requestId, now))!, now)
    },

    /** The TOTP code: to verify a registered authenticator, or to confirm one being registered. */
    async totp (requestId: string, code: string, now: Date): Promise<Outcome> {
      const found = await withUser(requestId, now)
      if (!found || found.user.federation) return errorPage(expiredSignIn())
      const { request, user } = found
      const locked = await lockout.refusal(user.id, now)
      if (locked) return mfaPage(request, user, message(locked))
      const registration = await signIns.registration(user.id)
      const secret = registration?.secret ?? (request.params as SignInParams).pending_secret
      const step = secret ? verifyTotp(secret, code.trim(), now.getTime()) : undefined
      // The code's time step is used up, and the request moves on, together: a code is good once.
      const accepted = step !== undefined && await db.transaction().execute(async (trx) => {
        const inTrx = createSignInRepository(trx)
        const used = registration ? await inTrx.useStep(user.id, step) : await inTrx.register(user.id, secret!, step, now)
        if (used) await inTrx.updateRequest(requestId, { amr: [...new Set([...request.amr, 'mfa'])] })
        return used
      })
      if (!accepted) {
        await lockout.failed(user.id, now)
        return mfaPage(request, user, WRONG_CODE)
      }
      return next((await signIns.request(requestId, now))!, now)
    },

    /** The device login page's code: the user confirms the app before signing in for it (RFC 8628 §5.4). */
    async deviceLogin (userCode: string, now: Date): Promise<Outcome> {
      const device = await grants.deviceCodeByUserCode(normalUserCode(userCode), now)
      if (!device) return { kind: 'page', page: { step: 'device', error: 'That code is wrong or has expired. Check the code on your device.' } }
      return { kind: 'page', page: { step: 'device-confirm', userCode: device.user_code, appName: await appName(device.app_id) } }
    },

    /** Continue: the sign-in pages, for the device. Cancel: the device is told the user declined. */
    async deviceDecision (userCode: string, proceed: boolean, now: Date): Promise<Outcome> {
      const device = await grants.deviceCodeByUserCode(normalUserCode(userCode), now)
      if (!device) return { kind: 'page', page: { step: 'device', error: 'That code is wrong or has expired. Check the code on your device.' } }
      if (proceed) return ends.begin(device.authority, { client_id: device.app_id, scope: device.scope, device_code_hash: device.device_code_hash }, now)
      await grants.decideDeviceCode(device.device_code_hash, { status: 'declined' }, now)
      return { kind: 'page', page: { step: 'device-declined', appName: await appName(device.app_id) } }
    },

    /** Ends the session; where to send the browser: the client's post-logout URI when the client registered it. */
    async signOut (sessionId: string | undefined, clientId: string | undefined, back: string | undefined): Promise<string | undefined> {
      if (sessionId) await signIns.deleteSession(hashToken(sessionId))
      const app = back && clientId ? await directory.app(undefined, clientId) : undefined
      return app && allowedRedirect(back!, app.redirectUris) ? back : undefined
    }
  }
}

const normalUserCode = (userCode: string) => userCode.trim().toUpperCase().replace(/[^A-Z0-9]/g, '')

/** The federated identity provider's name, from the user's domain (wingtippartner.com: Wingtippartner). */
function providerOf (user: UserAccount): string {
  const label = user.userPrincipalName.split('@')[1]?.split('.')[0] ?? 'external'
  return `${label.charAt(0).toUpperCase()}${label.slice(1)} identity provider`
}
