// Tokens for a customer's tenant, the customer side of the Secure Application Model. Entra issues them
// only to an application with a service principal in that tenant, which a consent creates; for a
// partner's customer, the application consent its partner wrote (POST /v1/customers/{id}/applicationconsents).
// What the consent granted on the resource asked for becomes the token's permissions: application
// permissions as `roles` (client credentials), delegated ones as `scp` (a partner user's refresh token
// redeemed at the customer's tenant). Entra's errors: AADSTS7000229 for an application without a
// service principal, AADSTS65001 (suberror consent_required) for a user's token it cannot give.
import type { AppAccount, Consent } from '../../directory/repository.js'
import { RESOURCE_APP_ID, surfaceOfAudience } from '../../directory/resources.js'
import { consentRequired, type OAuthError } from '../errors.js'
import type { RequestedScopes } from '../requests.js'

/** The permissions the consent granted on the resource (none when it has no grant for it). */
export function grantedPermissions (consent: Consent, audience: string): string[] {
  const surface = surfaceOfAudience(audience)
  const resourceAppId = surface && RESOURCE_APP_ID[surface]
  const grant = consent.grants.find((g) => g.enterpriseApplicationId === resourceAppId)
  return grant ? grant.scope.split(',') : []
}

/**
 * The delegated permissions of a user's token in the customer's tenant: what the consent granted on
 * the resource (`.default`), or the permissions named if it granted every one of them.
 */
export function consentedScopes (consent: Consent | undefined, app: AppAccount, scopes: RequestedScopes): RequestedScopes | OAuthError {
  const granted = consent ? grantedPermissions(consent, scopes.audience) : []
  if (granted.length === 0) return consentRequired(app.id, app.displayName)
  if (!scopes.explicit) return { ...scopes, scp: granted.join(' ') }
  const allowed = new Set(granted.map((p) => p.toLowerCase()))
  return scopes.scp.split(' ').every((p) => allowed.has(p.toLowerCase())) ? scopes : consentRequired(app.id, app.displayName)
}
