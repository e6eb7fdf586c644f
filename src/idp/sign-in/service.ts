// Interactive sign-in, as Entra runs it: the authorization request (RFC 6749 §4.1, PKCE), then the
// pages (user name and password; the federated provider's page for federated users; the TOTP code,
// after registering an authenticator the first time), then a signed-in session and an authorization
// code sent back to the client, or the device that asked (RFC 8628). Each step's state is a
// sign_in_requests row, so any instance sharing the database can serve the next page.
import type { Kysely } from 'kysely'
import type { Database, SignInRequestRow } from '../../db/schema.js'
import { createDirectoryRepository, type UserAccount } from '../../directory/repository.js'
import { hashToken, randomToken, verifySecret } from '../../lib/secrets.js'
import {
  applicationNotFound, expiredSignIn, invalidCredentials, invalidScope, loginRequired, missingParameter, mfaInteractionRequired, pkceRequired,
  redirectUriMismatch, tenantNotFound, unsupportedResponseType, userNotInTenant, type OAuthError
} from '../errors.js'
import { createGrantsRepository } from '../grants/repository.js'
import { MULTI_TENANT_AUTHORITIES } from '../metadata.js'
import { allowedRedirect, asksForMfa, requestedScopes } from '../requests.js'
import { createSignInRepository } from './repository.js'
import { errorPage, redirectError, respond, type AuthorizeParams, type Outcome, type SignInParams } from './outcome.js'
import { enrolment, newTotpSecret, verifyTotp } from './totp.js'

const REQUEST_TTL_MS = 15 * 60_000
const CODE_TTL_MS = 10 * 60_000
export const SESSION_TTL_MS = 12 * 3_600_000

export interface SignInContext { db: Kysely<Database>, publicBaseUrl: string }

export function createSignInService ({ db, publicBaseUrl }: SignInContext) {
  const directory = createDirectoryRepository(db)
  const signIns = createSignInRepository(db)
  const grants = createGrantsRepository(db)

  const isMulti = (authority: string) => (MULTI_TENANT_AUTHORITIES as readonly string[]).includes(authority.toLowerCase())

  /** MFA is needed when the tenant enforces it at every sign-in, or the application asks for it. */
  async function needsMfa (tenantId: string, params: AuthorizeParams): Promise<boolean> {
    return asksForMfa(params) || await directory.mfaPolicy(tenantId) === 'enforced'
  }

  /** The next page of a sign-in, or its end. */
  async function next (request: SignInRequestRow, params: SignInParams, now: Date): Promise<Outcome> {
    const app = await directory.app(undefined, params.client_id)
    if (!request.user_id) return { kind: 'page', page: { step: 'password', requestId: request.id, appName: app?.displayName ?? '', loginHint: params.login_hint ?? '' } }
    const user = (await userById(request.user_id))!
    if (user.federation && !request.amr.includes('fed')) {
      return { kind: 'page', page: { step: 'federation', requestId: request.id, provider: providerOf(user), userName: user.userPrincipalName } }
    }
    if (!user.federation && !request.amr.includes('mfa') && await needsMfa(user.tenantId, params)) return mfaPage(request, user)
    return complete(request, params, user, request.amr, now, now)
  }

  async function mfaPage (request: SignInRequestRow, user: UserAccount, error?: string): Promise<Outcome> {
    if (await signIns.registration(user.id)) return { kind: 'page', page: { step: 'mfa', requestId: request.id, userName: user.userPrincipalName, ...(error ? { error } : {}) } }
    // First time: the user registers an authenticator app. The secret waits in the request until a first code confirms it.
    const params = request.params as SignInParams
    const secret = params.pending_secret ?? newTotpSecret()
    if (!params.pending_secret) await signIns.updateRequest(request.id, { params: JSON.stringify({ ...params, pending_secret: secret }) })
    const { uri, qrSvg } = await enrolment(secret, user.userPrincipalName)
    return { kind: 'page', page: { step: 'register', requestId: request.id, userName: user.userPrincipalName, secret, uri, qrSvg, ...(error ? { error } : {}) } }
  }

  /** The end of a sign-in, in one transaction: a session for the browser, and a code for the client (or the device approved). */
  async function complete (request: SignInRequestRow | undefined, params: SignInParams, user: UserAccount, amr: string[], authTime: Date, now: Date,
    keepSession = false): Promise<Outcome> {
    const session = keepSession ? undefined : { id: randomToken(), expiresAt: new Date(now.getTime() + SESSION_TTL_MS) }
    const code = randomToken()
    await db.transaction().execute(async (trx) => {
      const signInsNow = createSignInRepository(trx)
      const grantsNow = createGrantsRepository(trx)
      if (session) await signInsNow.insertSession({ idHash: hashToken(session.id), tenantId: user.tenantId, userId: user.id, amr, authTime, expiresAt: session.expiresAt })
      if (request) await signInsNow.deleteRequest(request.id)
      if (params.device_code_hash) {
        await grantsNow.updateDeviceCode(params.device_code_hash, { status: 'approved', tenant_id: user.tenantId, user_id: user.id, amr, auth_time: authTime })
        return
      }
      await grantsNow.insertCode({
        code_hash: hashToken(code),
        tenant_id: user.tenantId,
        app_id: params.client_id!.toLowerCase(),
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
    if (params.device_code_hash) {
      const app = await directory.app(undefined, params.client_id)
      return { kind: 'page', page: { step: 'device-done', appName: app?.displayName ?? '' } }
    }
    return respond(params, { code, ...(params.state ? { state: params.state } : {}), session_state: crypto.randomUUID() }, session)
  }

  async function userById (userId: string): Promise<UserAccount | undefined> {
    const tenant = await directory.tenantOfUserId(userId)
    return tenant ? directory.user(tenant, userId) : undefined
  }

  /** A new sign-in for `params` under `authority` (a tenant id, or common / organizations): its first page. */
  async function begin (authority: string, params: SignInParams, now: Date, signedIn?: SignedIn): Promise<Outcome> {
    const id = crypto.randomUUID()
    // What expired (unfinished sign-ins, sessions, codes) goes when a new sign-in begins: no other job runs.
    await signIns.purgeExpired(now)
    await grants.purgeExpired(now)
    await signIns.insertRequest({
      id,
      authority,
      params: JSON.stringify(params),
      ...(signedIn ? { user_id: signedIn.user.id, amr: signedIn.amr } : {}),
      created_at: now,
      expires_at: new Date(now.getTime() + REQUEST_TTL_MS)
    })
    return { kind: 'redirect', location: `${publicBaseUrl}/sign-in/${id}` }
  }

  return {
    /**
     * GET /{authority}/oauth2/v2.0/authorize. Errors about the client or its redirect URI are shown on a
     * page (nothing can be trusted to receive them); the others go back to the redirect URI.
     */
    async authorize (authority: string, params: AuthorizeParams, sessionId: string | undefined, now: Date): Promise<Outcome> {
      if (!isMulti(authority) && !await directory.tenant(authority)) return errorPage(tenantNotFound(authority))
      if (!params.client_id) return errorPage(missingParameter('client_id'))
      const app = await directory.app(undefined, params.client_id)
      if (!app) return errorPage(applicationNotFound(params.client_id, authority))
      if (!params.redirect_uri || !allowedRedirect(params.redirect_uri, app.redirectUris)) {
        return errorPage(redirectUriMismatch(params.redirect_uri ?? '', app.id))
      }
      if (params.response_type !== 'code') return redirectError(params, unsupportedResponseType(params.response_type ?? ''))
      const scopes = requestedScopes(params.scope, params.resource)
      if (!scopes) return redirectError(params, invalidScope(params.scope ?? params.resource ?? ''))
      if (app.publicClient && (!params.code_challenge || params.code_challenge_method !== 'S256')) return redirectError(params, pkceRequired())

      const signedIn = await signedInUser(authority, params, sessionId, now)
      if (signedIn && await satisfied(signedIn, params)) return complete(undefined, params, signedIn.user, signedIn.amr, signedIn.authTime, now, true)
      if (params.prompt === 'none') return redirectError(params, signedIn ? mfaInteractionRequired(scopes.audience) : loginRequired())
      const tenantId = isMulti(authority) ? authority : (await directory.tenant(authority))!.id
      // A step-up: the signed-in user goes straight to MFA.
      return begin(tenantId, params, now, signedIn)
    },

    /** The page of a sign-in in progress. */
    async page (requestId: string, now: Date): Promise<Outcome> {
      const request = await signIns.request(requestId, now)
      if (!request) return errorPage(expiredSignIn())
      return next(request, request.params, now)
    },

    /** The user name and password page. A federated user goes on to the federated provider's page. */
    async password (requestId: string, userName: string, password: string, now: Date): Promise<Outcome> {
      const request = await signIns.request(requestId, now)
      if (!request) return errorPage(expiredSignIn())
      const retry = async (error: OAuthError) => {
        const app = await directory.app(undefined, request.params.client_id)
        return { kind: 'page' as const, page: { step: 'password' as const, requestId, appName: app?.displayName ?? '', loginHint: userName, error: `AADSTS${error.aadsts}: ${error.message}` } }
      }
      const tenant = isMulti(request.authority) ? await directory.tenantOfUser(userName) : { id: request.authority }
      const user = tenant ? await directory.user(tenant.id, userName) : undefined
      if (!user) return retry(userNotInTenant(userName, tenant?.id ?? request.authority))
      if (user.federation) {
        await signIns.updateRequest(requestId, { user_id: user.id, amr: [] })
      } else {
        if (!await verifySecret(password, user.passwordHash)) return retry(invalidCredentials())
        await signIns.updateRequest(requestId, { user_id: user.id, amr: ['pwd'] })
      }
      return next((await signIns.request(requestId, now))!, request.params, now)
    },

    /** The simulated federated provider's page: its password and its own second factor. */
    async federated (requestId: string, password: string, approved: boolean, now: Date): Promise<Outcome> {
      const request = await signIns.request(requestId, now)
      if (!request?.user_id) return errorPage(expiredSignIn())
      const user = (await userById(request.user_id))!
      if (!approved || !await verifySecret(password, user.passwordHash)) {
        return { kind: 'page', page: { step: 'federation', requestId, provider: providerOf(user), userName: user.userPrincipalName, error: 'The password is wrong, or the sign-in was not approved.' } }
      }
      // Entra takes the federated provider's MFA only when it is compatible (federatedIdpMfaBehavior).
      const amr = user.federation === 'compatible' ? ['fed', 'mfa'] : ['fed']
      await signIns.updateRequest(requestId, { amr })
      return next((await signIns.request(requestId, now))!, request.params, now)
    },

    /** The TOTP code: to verify a registered authenticator, or to confirm one being registered. */
    async totp (requestId: string, code: string, now: Date): Promise<Outcome> {
      const request = await signIns.request(requestId, now)
      if (!request?.user_id) return errorPage(expiredSignIn())
      const user = (await userById(request.user_id))!
      const registration = await signIns.registration(user.id)
      const secret = registration?.secret ?? (request.params as SignInParams).pending_secret
      const step = secret ? verifyTotp(secret, code.trim(), now.getTime()) : undefined
      const accepted = step !== undefined && (registration ? await signIns.useStep(user.id, step) : true)
      if (!accepted) return mfaPage(request, user, 'The code is wrong or was used already. Enter the current code from your authenticator app.')
      await db.transaction().execute(async (trx) => {
        const signInsNow = createSignInRepository(trx)
        if (!registration) await signInsNow.register(user.id, secret!, step!, now)
        await signInsNow.updateRequest(requestId, { amr: [...new Set([...request.amr, 'mfa'])] })
      })
      return next((await signIns.request(requestId, now))!, request.params, now)
    },

    /** The device login page: the code a device shows starts a sign-in for that device. */
    async deviceLogin (userCode: string, now: Date): Promise<Outcome> {
      const device = await grants.deviceCodeByUserCode(userCode.trim().toUpperCase().replace(/[^A-Z0-9]/g, ''), now)
      if (!device) return { kind: 'page', page: { step: 'device', error: 'That code is wrong or has expired. Check the code on your device.' } }
      return begin(device.authority, { client_id: device.app_id, scope: device.scope, device_code_hash: device.device_code_hash }, now)
    },

    async signOut (sessionId: string | undefined): Promise<void> {
      if (sessionId) await signIns.deleteSession(hashToken(sessionId))
    }
  }

  /** The user of the browser's signed-in session, when it may answer this request: same tenant and user, recent enough, no prompt=login. */
  async function signedInUser (authority: string, params: AuthorizeParams, sessionId: string | undefined, now: Date): Promise<SignedIn | undefined> {
    if (!sessionId || params.prompt === 'login') return undefined
    const session = await signIns.session(hashToken(sessionId), now)
    if (!session) return undefined
    if (!isMulti(authority) && (await directory.tenant(authority))?.id !== session.tenant_id) return undefined
    const user = await directory.user(session.tenant_id, session.user_id)
    if (!user || (params.login_hint && params.login_hint.toLowerCase() !== user.userPrincipalName.toLowerCase())) return undefined
    if (params.max_age !== undefined && now.getTime() - session.auth_time.getTime() > Number(params.max_age) * 1000) return undefined
    return { user, amr: session.amr, authTime: session.auth_time }
  }

  /** The session's sign-in is enough: it did MFA, or none is needed (a federated user's MFA is the provider's). */
  async function satisfied (signedIn: SignedIn, params: AuthorizeParams): Promise<boolean> {
    return signedIn.user.federation !== null || signedIn.amr.includes('mfa') || !await needsMfa(signedIn.user.tenantId, params)
  }
}

interface SignedIn { user: UserAccount, amr: string[], authTime: Date }

/** The federated identity provider's name, from the user's domain (wingtipcsp.onmicrosoft.com: Wingtipcsp). */
function providerOf (user: UserAccount): string {
  const label = user.userPrincipalName.split('@')[1]?.split('.')[0] ?? 'external'
  return `${label.charAt(0).toUpperCase()}${label.slice(1)} identity provider`
}
