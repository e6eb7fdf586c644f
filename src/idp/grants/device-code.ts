// The device authorization grant (RFC 8628), for what has no browser of its own (a script, PowerShell's
// Connect-PartnerCenter -UseDeviceAuthentication): the device gets a code for the user to enter on
// /devicelogin, and polls the token endpoint until the user has signed in there, with MFA as needed.
import { randomInt } from 'node:crypto'
import type { Kysely } from 'kysely'
import type { Database } from '../../db/schema.js'
import { createDirectoryRepository, type AppAccount } from '../../directory/repository.js'
import { hashToken, randomToken } from '../../lib/secrets.js'
import { authorizationPending, deviceAuthorizationDeclined, deviceCodeExpired, invalidGrant, invalidScope, missingParameter, otherTenantGrant } from '../errors.js'
import { requestedScopes } from '../requests.js'
import type { TokenForm } from '../schemas.js'
import type { Redemption, TokenIssuer } from './issue.js'
import { createGrantsRepository } from './repository.js'

const EXPIRES_IN_S = 900
const INTERVAL_S = 5
/** Letters and digits that cannot be mistaken for one another. */
const USER_CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789'

export function createDeviceCodeGrant ({ db, publicBaseUrl }: { db: Kysely<Database>, publicBaseUrl: string }, issuer: TokenIssuer) {
  return {
    /** The codes for a device; `authority` is the tenant id, or common / organizations. */
    async start (authority: string, app: AppAccount, form: TokenForm) {
      const deviceCode = randomToken()
      const userCode = Array.from({ length: 9 }, () => USER_CODE_ALPHABET[randomInt(USER_CODE_ALPHABET.length)]).join('')
      const now = new Date()
      const grants = createGrantsRepository(db)
      // Expired codes go when a new one is made: no other job runs.
      await grants.purgeExpired(now)
      await grants.insertDeviceCode({
        device_code_hash: hashToken(deviceCode),
        user_code: userCode,
        authority,
        app_id: app.id,
        scope: form.scope ?? (form.resource ? `${form.resource}/.default offline_access` : ''),
        status: 'pending',
        created_at: now,
        expires_at: new Date(now.getTime() + EXPIRES_IN_S * 1000)
      })
      const verificationUri = `${publicBaseUrl}/devicelogin`
      return {
        user_code: userCode,
        device_code: deviceCode,
        verification_uri: verificationUri,
        expires_in: EXPIRES_IN_S,
        interval: INTERVAL_S,
        message: `To sign in, use a web browser to open the page ${verificationUri} and enter the code ${userCode} to authenticate.`
      }
    },

    /** A poll: pending until the user has signed in; then the tokens, once. */
    async redeem ({ app, form, ipAddress, tenantId }: Redemption) {
      if (!form.device_code) throw missingParameter('device_code')
      return issuer.inTransaction(async (trx) => {
        const grants = createGrantsRepository(trx)
        const device = await grants.lockDeviceCode(hashToken(form.device_code!))
        if (!device || device.app_id !== app.id || device.status === 'redeemed') return invalidGrant('device_code')
        if (device.expires_at <= new Date()) return deviceCodeExpired()
        if (device.status === 'declined') return deviceAuthorizationDeclined()
        if (device.status === 'pending') return authorizationPending()
        if (tenantId && device.tenant_id !== tenantId) return otherTenantGrant('device_code')
        const scopes = requestedScopes(device.scope)
        const user = await createDirectoryRepository(trx).user(device.tenant_id!, device.user_id!)
        if (!scopes || !user) return invalidScope(device.scope)
        await grants.markDeviceCodeRedeemed(device.device_code_hash)
        return { tenantId: device.tenant_id!, app, user, amr: device.amr!, authTime: device.auth_time!, scopes, form, ipAddress }
      })
    }
  }
}
