// What the token endpoint hands out: an access token for the requested resource, an ID token for
// `openid`, a refresh token for `offline_access` (a new family at sign-in, the next of its family on
// refresh), and MSAL's client_info. And the authorization code's redemption, with PKCE.
import type { Kysely } from 'kysely'
import type { Clock } from '../../clock/clock.js'
import type { Database } from '../../db/schema.js'
import { createDirectoryRepository, type AppAccount, type UserAccount } from '../../directory/repository.js'
import { hashToken, randomToken } from '../../lib/secrets.js'
import { codeExpired, codeRedeemed, invalidGrant, invalidScope, missingParameter, OAuthError, otherTenantGrant, pkceMismatch, pkceRequired } from '../errors.js'
import type { DevKeyStore } from '../keys.js'
import { pkceMatches, requestedScopes, type RequestedScopes } from '../requests.js'
import type { TokenForm } from '../schemas.js'
import { clientInfoOf, mintDevToken, mintIdToken } from '../tokens.js'
import { createGrantsRepository, type GrantsRepository } from './repository.js'

const LIFETIME_S = 3599

export interface UserTokenRequest {
  /** The user's tenant, of the sign-in and its refresh token family. */
  tenantId: string
  /** The tenant the access token is for when it is not the user's: a customer's, where the app is consented. */
  accessTenantId?: string | undefined
  app: AppAccount
  user: UserAccount
  amr: string[]
  authTime: Date
  scopes: RequestedScopes
  form: TokenForm
  ipAddress: string
  nonce?: string | undefined
  /** The refresh token family this sign-in continues; a new one when absent. */
  familyId?: string
}

/**
 * A grant to redeem: by this client, under an authority naming this tenant (undefined under common /
 * organizations). `customerOf` is set when that tenant is a customer's: the partner tenant owning it.
 */
export interface Redemption { app: AppAccount, form: TokenForm, ipAddress: string, tenantId: string | undefined, customerOf?: string | undefined }

export function createTokenIssuer ({ db, devKeys, clock, publicBaseUrl }: { db: Kysely<Database>, devKeys: DevKeyStore, clock: Clock, publicBaseUrl: string }) {
  /** The scope Entra echoes: the resource's permissions as full names, and the OpenID scopes asked for. */
  const grantedScope = (scopes: RequestedScopes) => [
    ...scopes.scp.split(' ').map((p) => `${scopes.audience}/${p}`),
    ...(scopes.openid ? ['openid', 'profile'] : []),
    ...(scopes.offlineAccess ? ['offline_access'] : [])
  ].join(' ')

  /** A new refresh token when `offline_access` was asked: recorded in the caller's transaction (`grants`). */
  async function recordRefreshToken (grants: GrantsRepository, req: UserTokenRequest, clockNow: Date): Promise<string | undefined> {
    if (!req.scopes.offlineAccess) return undefined
    const refreshToken = randomToken()
    await grants.insertRefreshToken({
      token_hash: hashToken(refreshToken),
      family_id: req.familyId ?? crypto.randomUUID(),
      tenant_id: req.tenantId,
      app_id: req.app.id,
      user_id: req.user.id,
      // What was granted, so that a refresh without a scope asks for the same again.
      scope: grantedScope(req.scopes),
      amr: req.amr,
      auth_time: req.authTime,
      issued_at: new Date(),
      issued_at_clock: clockNow
    })
    return refreshToken
  }

  /** The token response: signed after the transaction that recorded the grant (signing may read keys from the database). */
  async function respond (req: UserTokenRequest, refreshToken: string | undefined) {
    const authTime = Math.floor(req.authTime.getTime() / 1000)
    const tenantId = req.accessTenantId ?? req.tenantId
    const accessToken = await mintDevToken(devKeys, {
      publicBaseUrl, tenantId, appId: req.app.id, audience: req.scopes.audience, expiresInSeconds: LIFETIME_S,
      user: req.user, amr: req.amr, authTime, scopes: req.scopes.scp, confidential: !req.app.publicClient, ipAddress: req.ipAddress
    })
    const idToken = req.scopes.openid
      ? await mintIdToken(devKeys, { publicBaseUrl, tenantId, appId: req.app.id, user: req.user, nonce: req.nonce, authTime, amr: req.amr })
      : undefined
    return {
      token_type: 'Bearer',
      scope: grantedScope(req.scopes),
      expires_in: LIFETIME_S,
      ext_expires_in: LIFETIME_S,
      access_token: accessToken,
      ...(refreshToken ? { refresh_token: refreshToken } : {}),
      ...(idToken ? { id_token: idToken } : {}),
      ...(req.form.client_info === '1' ? { client_info: clientInfoOf(req.user.id, req.tenantId) } : {})
    }
  }

  /**
   * Redeems a grant in one transaction, then answers: `redeem` checks and spends the grant (or returns
   * the error to throw once the transaction has committed what it must, such as a revocation) and says
   * what to issue; a refresh token is recorded in the same transaction.
   */
  async function inTransaction (redeem: (trx: Kysely<Database>) => Promise<UserTokenRequest | OAuthError>) {
    const clockNow = await clock.now()
    const outcome = await db.transaction().execute(async (trx) => {
      const req = await redeem(trx)
      if (req instanceof OAuthError) return req
      return { req, refreshToken: await recordRefreshToken(createGrantsRepository(trx), req, clockNow) }
    })
    if (outcome instanceof OAuthError) throw outcome
    return respond(outcome.req, outcome.refreshToken)
  }

  return {
    inTransaction,

    /** Tokens for a sign-in checked already (the password grant). */
    forUser: (req: UserTokenRequest) => inTransaction(async () => req),

    /** An app-only token; `roles` are the application permissions granted on the resource (a consent's, in a customer's tenant; default the partner app's own). */
    async appOnly ({ tenantId, app, audience, ipAddress, roles }: { tenantId: string, app: AppAccount, audience: string, ipAddress: string, roles?: string[] }) {
      const accessToken = await mintDevToken(devKeys, {
        publicBaseUrl, tenantId, appId: app.id, audience, expiresInSeconds: LIFETIME_S, ipAddress, ...(roles ? { roles } : {})
      })
      return { token_type: 'Bearer', expires_in: LIFETIME_S, ext_expires_in: LIFETIME_S, access_token: accessToken }
    },

    /**
     * The authorization code, once, by the client it was issued to, to the same redirect URI, with the
     * PKCE verifier. A code coming back revokes what its first redemption issued (RFC 6749 §4.1.2).
     */
    async redeemCode ({ app, form, ipAddress, tenantId }: Redemption) {
      if (!form.code) throw missingParameter('code')
      return inTransaction(async (trx) => {
        const grants = createGrantsRepository(trx)
        const code = await grants.lockCode(hashToken(form.code!))
        if (!code || code.app_id !== app.id) return invalidGrant('code')
        if (tenantId && code.tenant_id !== tenantId) return otherTenantGrant('code')
        if (code.redeemed_at) {
          if (code.family_id) await grants.revokeFamily(code.family_id, new Date())
          return codeRedeemed()
        }
        if (code.expires_at <= new Date()) return codeExpired()
        if (form.redirect_uri !== code.redirect_uri) return invalidGrant('redirect_uri')
        if (code.code_challenge) {
          if (!form.code_verifier) return pkceRequired()
          if (!pkceMatches(form.code_verifier, code.code_challenge, code.code_challenge_method ?? 'plain')) return pkceMismatch()
        }
        // The token request may name the resource again (v2.0 scope), or leave the code's.
        const scopes = requestedScopes(form.scope ?? code.scope, form.resource)
        if (!scopes) return invalidScope(form.scope ?? '')
        const user = await createDirectoryRepository(trx).user(code.tenant_id, code.user_id)
        if (!user) return invalidGrant('code')
        const familyId = crypto.randomUUID()
        await grants.redeemCode(code.code_hash, new Date(), familyId)
        return { tenantId: code.tenant_id, app, user, amr: code.amr, authTime: code.auth_time, scopes, form, ipAddress, nonce: code.nonce ?? undefined, familyId }
      })
    }
  }
}

export type TokenIssuer = ReturnType<typeof createTokenIssuer>
