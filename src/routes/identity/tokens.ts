// The token endpoint's grants. Errors are OAuth 2.0 errors (RFC 6749 §5.2), as Entra answers them.
import type { FastifyInstance } from 'fastify'
import type { Config } from '../../config.js'
import { findApp, findTenant, findUser, type Account } from '../../identity/accounts.js'
import { AUDIENCES, surfaceOfAudience } from '../../identity/audiences.js'
import { mintDevToken } from '../../identity/dev-tokens.js'
import { verifySecret } from '../../lib/secrets.js'
import { OAuthError } from '../../plugins/error-handler.js'

const LIFETIME_S = 3599

export async function resolveTenant (db: FastifyInstance['db'], tenant: string): Promise<Account> {
  const found = await findTenant(db, tenant)
  if (!found) throw new OAuthError(400, 'invalid_request', `Tenant ${tenant} was not found in this identity provider.`)
  return found
}

export async function issueToken (app: FastifyInstance, config: Config, tenant: Account, form: Record<string, string | undefined>, authorization?: string) {
  const client = clientCredentials(form, authorization)
  const audience = audienceOf(form)
  const appAccount = await findApp(app.db, tenant.id, client.id)
  if (!appAccount) throw new OAuthError(400, 'unauthorized_client', 'The client application is not registered in this tenant.')

  let user
  if (form.grant_type === 'client_credentials') {
    if (!client.secret || !await verifySecret(client.secret, appAccount.secretHash)) {
      throw new OAuthError(401, 'invalid_client', 'The client secret is not valid for this application.')
    }
  } else if (form.grant_type === 'password') {
    if (client.secret && !await verifySecret(client.secret, appAccount.secretHash)) {
      throw new OAuthError(401, 'invalid_client', 'The client secret is not valid for this application.')
    }
    const account = form.username ? await findUser(app.db, tenant.id, form.username) : undefined
    if (!account || !form.password || !await verifySecret(form.password, account.passwordHash)) {
      throw new OAuthError(400, 'invalid_grant', 'The user name or password is incorrect.')
    }
    user = account
  } else {
    throw new OAuthError(400, 'unsupported_grant_type', 'Supported grants: client_credentials, password.')
  }

  const accessToken = await mintDevToken(app.identity.devKeys!, {
    publicBaseUrl: config.PUBLIC_BASE_URL,
    tenantId: tenant.id,
    appId: appAccount.id,
    audience,
    expiresInSeconds: LIFETIME_S,
    // A password sign-in proves one factor only: no "mfa" in amr.
    ...(user ? { user, amr: ['pwd'] } : {})
  })
  return { token_type: 'Bearer', expires_in: LIFETIME_S, ext_expires_in: LIFETIME_S, access_token: accessToken }
}

function clientCredentials (form: Record<string, string | undefined>, authorization?: string) {
  const basic = /^basic +(.+)$/i.exec(authorization ?? '')
  if (basic) {
    const decoded = Buffer.from(basic[1]!, 'base64').toString('utf8')
    const colon = decoded.indexOf(':')
    try {
      if (colon > 0) return { id: decodeURIComponent(decoded.slice(0, colon)), secret: decodeURIComponent(decoded.slice(colon + 1)) }
    } catch {
      throw new OAuthError(400, 'invalid_request', 'The Basic credentials are not URL-encoded correctly.')
    }
  }
  if (!form.client_id) throw new OAuthError(400, 'invalid_request', 'client_id is required.')
  return { id: form.client_id, secret: form.client_secret }
}

/** v1 `resource`, or v2 `scope` "<resource>/.default"; the resource must be one of our surfaces. */
function audienceOf (form: Record<string, string | undefined>): string {
  const scopeResource = form.scope?.split(' ').find((s) => s.endsWith('/.default'))?.slice(0, -'/.default'.length)
  const resource = form.resource ?? scopeResource ?? AUDIENCES.partnerCenter[0]!
  if (!surfaceOfAudience(resource)) throw new OAuthError(400, 'invalid_resource', `The resource ${resource} is not served by this emulator.`)
  return resource
}
