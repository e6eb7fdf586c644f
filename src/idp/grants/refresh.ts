// Refresh tokens, rotating and good once: redeeming one spends it and hands out the next of its family,
// which keeps the amr and auth_time of the sign-in that began the family, so an access token a script
// refreshes months later still proves the MFA of that one interactive sign-in. A spent token coming
// back means it was copied: the whole family is revoked. A token unused for 90 days on the emulator
// clock has expired (AADSTS700082); a password reset or an administrator's revoke ends every family
// of the user (AADSTS50173).
import type { Clock } from '../../clock/clock.js'
import { createDirectoryRepository } from '../../directory/repository.js'
import { hashToken } from '../../lib/secrets.js'
import {
  grantRevoked, invalidGrant, invalidScope, missingParameter, mfaInteractionRequired, OAuthError, otherTenantGrant, refreshTokenInactive, refreshTokenSpent
} from '../errors.js'
import { asksForMfa, requestedScopes } from '../requests.js'
import { consentedScopes } from './consent.js'
import type { Redemption, TokenIssuer } from './issue.js'
import { createGrantsRepository } from './repository.js'

export const REFRESH_INACTIVITY_DAYS = 90
const DAY_MS = 86_400_000

export function createRefreshGrant ({ clock }: { clock: Clock }, issuer: TokenIssuer) {
  return {
    /**
     * Under a customer's tenant (`customerOf`: its partner), the token of a user of that partner gives an
     * access token for the customer's tenant, if the partner consented the app there (AADSTS65001 otherwise).
     */
    async redeem ({ app, form, ipAddress, tenantId, customerOf }: Redemption) {
      if (!form.refresh_token) throw missingParameter('refresh_token')
      const clockNow = await clock.now()
      // A refused redemption that revokes must still commit the revocation: the error is thrown after the transaction.
      return issuer.inTransaction(async (trx) => {
        const now = new Date()
        const grants = createGrantsRepository(trx)
        const token = await grants.lockRefreshToken(hashToken(form.refresh_token!))
        if (!token || token.app_id !== app.id) return invalidGrant('refresh_token')
        if (tenantId && token.tenant_id !== (customerOf ?? tenantId)) return otherTenantGrant('refresh_token')
        if (token.revoked_at) return grantRevoked()
        if (token.spent_at) {
          await grants.revokeFamily(token.family_id, now)
          return refreshTokenSpent()
        }
        if (clockNow.getTime() - token.issued_at_clock.getTime() > REFRESH_INACTIVITY_DAYS * DAY_MS) {
          return refreshTokenInactive(token.issued_at_clock, REFRESH_INACTIVITY_DAYS)
        }
        const directory = createDirectoryRepository(trx)
        const user = await directory.user(token.tenant_id, token.user_id)
        if (!user || user.passwordChangedAt > token.issued_at) {
          await grants.revokeFamily(token.family_id, now)
          return grantRevoked()
        }
        const asked = requestedScopes(form.scope ?? token.scope, form.resource)
        if (!asked) return invalidScope(form.scope ?? '')
        // A refresh keeps the sign-in's amr: it cannot add the MFA that sign-in did not do.
        if (asksForMfa(form) && !token.amr.includes('mfa')) return mfaInteractionRequired(asked.audience)
        // Checked before the token is spent: a refusal leaves it good for its own tenant.
        const scopes = customerOf ? consentedScopes(await directory.consent(tenantId!, app.id), app, asked) : asked
        if (scopes instanceof OAuthError) return scopes
        await grants.spendRefreshToken(token.token_hash, now)
        return {
          tenantId: token.tenant_id, accessTenantId: customerOf ? tenantId : undefined, app, user, amr: token.amr, authTime: token.auth_time,
          scopes: { ...scopes, offlineAccess: true }, form, ipAddress, familyId: token.family_id
        }
      })
    }
  }
}
