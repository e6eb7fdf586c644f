// Checking an authorization request as Entra does (RFC 6749 §4.1.2.1): what concerns the client or its
// redirect URI is shown on a page, since nothing can be trusted to receive it; the rest goes back to
// the redirect URI. And whether the browser's signed-in session answers the request without a page.
import type { Kysely } from 'kysely'
import type { Database } from '../../db/schema.js'
import { appServesTenant } from '../../directory/accounts.js'
import { createDirectoryRepository, type AppAccount, type UserAccount } from '../../directory/repository.js'
import { hashToken } from '../../lib/secrets.js'
import {
  applicationNotFound, invalidParameter, invalidScope, missingParameter, pkceRequired, redirectUriMismatch, tenantNotFound, unsupportedResponseType
} from '../errors.js'
import { isMultiTenantAuthority } from '../metadata.js'
import { allowedRedirect, asksForMfa, requestedScopes, validChallenge, validClaims, type RequestedScopes } from '../requests.js'
import { errorPage, redirectError, type AuthorizeParams, type Outcome } from './outcome.js'
import { createSignInRepository } from './repository.js'

/** The checked request: its client and scopes, and the authority's tenant (undefined for common / organizations). */
export type CheckedRequest = { app: AppAccount, scopes: RequestedScopes, tenantId: string | undefined }

/** The signed-in user of a browser session. */
export interface SignedIn { user: UserAccount, amr: string[], authTime: Date }

export function createAuthorizeChecks (db: Kysely<Database>) {
  const directory = createDirectoryRepository(db)
  const signIns = createSignInRepository(db)

  /** MFA is needed when the tenant enforces it at every sign-in, or the application asks for it. */
  async function needsMfa (tenantId: string, params: AuthorizeParams): Promise<boolean> {
    return asksForMfa(params) || await directory.mfaPolicy(tenantId) === 'enforced'
  }

  return {
    needsMfa,

    /** The request checked: the client, its redirect URI, then the rest; or the answer refusing it. */
    async check (authority: string, params: AuthorizeParams): Promise<CheckedRequest | Outcome> {
      const tenantId = isMultiTenantAuthority(authority) ? undefined : (await directory.tenant(authority))?.id
      if (!isMultiTenantAuthority(authority) && !tenantId) return errorPage(tenantNotFound(authority))
      if (!params.client_id) return errorPage(missingParameter('client_id'))
      const app = await directory.app(undefined, params.client_id)
      if (!app || (tenantId && !appServesTenant(app, tenantId))) return errorPage(applicationNotFound(params.client_id, tenantId ?? authority))
      if (!params.redirect_uri || !allowedRedirect(params.redirect_uri, app.redirectUris)) return errorPage(redirectUriMismatch(params.redirect_uri ?? '', app.id))

      if (params.response_type !== 'code') return redirectError(params, unsupportedResponseType(params.response_type ?? ''))
      const scopes = requestedScopes(params.scope, params.resource)
      if (!scopes) return redirectError(params, invalidScope(params.scope ?? params.resource ?? ''))
      if (params.max_age !== undefined && !/^\d{1,9}$/.test(params.max_age)) return redirectError(params, invalidParameter('max_age', 'it must be a whole number of seconds'))
      if (!validClaims(params.claims)) return redirectError(params, invalidParameter('claims', 'it must be a JSON object'))
      if (params.code_challenge !== undefined && !validChallenge(params.code_challenge, params.code_challenge_method)) {
        return redirectError(params, invalidParameter('code_challenge', '43 to 128 unreserved characters, with code_challenge_method S256 or plain'))
      }
      if (app.publicClient && (!params.code_challenge || params.code_challenge_method !== 'S256')) return redirectError(params, pkceRequired())
      return { app, scopes, tenantId }
    },

    /** The user of the browser's session, when it may answer this request: same tenant and user, recent enough, no prompt=login. */
    async signedInUser (tenantId: string | undefined, params: AuthorizeParams, sessionId: string | undefined, now: Date): Promise<SignedIn | undefined> {
      if (!sessionId || params.prompt === 'login') return undefined
      const session = await signIns.session(hashToken(sessionId), now)
      if (!session || (tenantId && tenantId !== session.tenant_id)) return undefined
      const user = await directory.user(session.tenant_id, session.user_id)
      if (!user || (params.login_hint && params.login_hint.toLowerCase() !== user.userPrincipalName.toLowerCase())) return undefined
      if (params.max_age !== undefined && now.getTime() - session.auth_time.getTime() > Number(params.max_age) * 1000) return undefined
      return { user, amr: session.amr, authTime: session.auth_time }
    },

    /** The session's sign-in is enough: it did MFA, or none is needed (a federated user's MFA is the provider's). */
    async satisfied (signedIn: SignedIn, params: AuthorizeParams): Promise<boolean> {
      return signedIn.user.federation !== null || signedIn.amr.includes('mfa') || !await needsMfa(signedIn.user.tenantId, params)
    }
  }
}

export const isCheckedRequest = (checked: CheckedRequest | Outcome): checked is CheckedRequest => 'app' in checked
