// The identity provider's errors: OAuth 2.0 error responses (RFC 6749 §5.2) as Entra writes them.
// The error handler renders them (plugins/error-handler.ts).

/**
 * Errors of the identity provider: OAuth 2.0 error responses (RFC 6749 §5.2) as Entra writes them,
 * with an AADSTS code in front of the description, `error_codes`, and the `suberror` by which MSAL
 * tells that a user must sign in again (InteractionRequiredAuthError). The catalogue is below.
 */
export class OAuthError extends Error {
  readonly statusCode: number
  readonly error: string
  /** The AADSTS number (AADSTS50076 is 50076). */
  readonly aadsts: number
  readonly suberror: string | undefined
  constructor (statusCode: number, error: string, aadsts: number, description: string, suberror?: string) {
    super(description)
    this.statusCode = statusCode
    this.error = error
    this.aadsts = aadsts
    this.suberror = suberror
  }
}

export const tenantNotFound = (tenant: string) =>
  new OAuthError(400, 'invalid_request', 90002, `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`)

/** A multi-tenant authority where only a tenant will do (an application's token). */
export const tenantRequired = (authority: string) =>
  new OAuthError(400, 'invalid_request', 900023, `Specified tenant identifier '${authority}' is neither a valid DNS name, nor a valid external domain.`)

export const missingParameter = (name: string) =>
  new OAuthError(400, 'invalid_request', 900144, `The request body must contain the following parameter: '${name}'.`)

export const malformedTokenRequest = () =>
  new OAuthError(400, 'invalid_request', 9002313, 'Invalid request. Request is malformed or invalid.')

export const applicationNotFound = (appId: string, tenantId: string) =>
  new OAuthError(400, 'unauthorized_client', 700016, `Application with identifier '${appId}' was not found in the directory '${tenantId}'.`)

/**
 * Client credentials for a tenant where the application has no service principal: no one consented
 * it there (for a partner's customer: no application consent). Entra's answer since 2023.
 */
export const servicePrincipalMissing = (appId: string, tenantId: string) =>
  new OAuthError(401, 'invalid_client', 7000229, `The client application ${appId} is missing service principal in the tenant ${tenantId}. See instructions here: https://go.microsoft.com/fwlink/?linkid=2225119`)

/** A user's token for a tenant where the application (or the permissions asked for) was not consented: MSAL's consent_required. */
export const consentRequired = (appId: string, appName: string) =>
  new OAuthError(400, 'invalid_grant', 65001, `The user or administrator has not consented to use the application with ID '${appId}' named '${appName}'. Send an interactive authorization request for this user and resource.`, 'consent_required')

export const invalidClientSecret = (appId: string) =>
  new OAuthError(401, 'invalid_client', 7000215, `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${appId}'.`)

export const clientSecretRequired = () =>
  new OAuthError(401, 'invalid_client', 7000218, 'The request body must contain the following parameter: \'client_assertion\' or \'client_secret\'.')

export const invalidCredentials = () =>
  new OAuthError(400, 'invalid_grant', 50126, 'Error validating credentials due to invalid username or password.')

export const unsupportedGrantType = (grantType: string) =>
  new OAuthError(400, 'unsupported_grant_type', 70003, `The app requested an unsupported grant type '${grantType}'.`)

export const resourceNotServed = (resource: string, tenantId: string) =>
  new OAuthError(400, 'invalid_resource', 500011, `The resource principal named ${resource} was not found in the tenant named ${tenantId}. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant.`)

export const invalidScope = (scope: string) =>
  new OAuthError(400, 'invalid_scope', 70011, `The provided value for the input parameter 'scope' is not valid. The scope ${scope} is not valid.`)

export const unsupportedResponseType = (responseType: string) =>
  new OAuthError(400, 'unsupported_response_type', 70005, `The response_type '${responseType}' is not enabled for the client; use code.`)

export const redirectUriMismatch = (redirectUri: string, appId: string) =>
  new OAuthError(400, 'invalid_request', 50011, `The redirect URI '${redirectUri}' specified in the request does not match the redirect URIs configured for the application '${appId}'.`)

export const pkceRequired = () =>
  new OAuthError(400, 'invalid_request', 9002325, 'Proof Key for Code Exchange is required for a public client: send code_challenge with code_challenge_method S256.')

export const userNotInTenant = (userName: string, tenantId: string) =>
  new OAuthError(400, 'invalid_grant', 50034, `The user account ${userName} does not exist in the ${tenantId} directory. To sign into this application, the account must be added to the directory.`)

/** A grant that cannot satisfy MFA (password, a refresh token from a sign-in without it) where MFA is required. */
export const mfaInteractionRequired = (resource: string) =>
  new OAuthError(400, 'interaction_required', 50076, `Due to a configuration change made by your administrator, or because you moved to a new location, you must use multi-factor authentication to access '${resource}'.`, 'basic_action')

export const loginRequired = () =>
  new OAuthError(400, 'login_required', 50058, 'A silent sign-in request was sent but no user is signed in.')

export const invalidGrant = (what: string) =>
  new OAuthError(400, 'invalid_grant', 70000, `The provided value for the '${what}' is not valid.`, 'bad_token')

export const codeRedeemed = () =>
  new OAuthError(400, 'invalid_grant', 54005, 'OAuth2 Authorization code was already redeemed, please retry with a new valid code or use an existing refresh token.')

export const codeExpired = () =>
  new OAuthError(400, 'invalid_grant', 70008, 'The provided authorization code or refresh token has expired due to inactivity. Send a new interactive authorization request for this user and resource.')

export const pkceMismatch = () =>
  new OAuthError(400, 'invalid_grant', 50148, 'The code_verifier does not match the code_challenge supplied in the authorization request for PKCE.')

export const refreshTokenSpent = () =>
  new OAuthError(400, 'invalid_grant', 70000, 'The refresh token was already redeemed: refresh tokens are good once. Every token of its sign-in is now revoked.', 'bad_token')

export const refreshTokenInactive = (issuedAt: Date, days: number) =>
  new OAuthError(400, 'invalid_grant', 700082, `The refresh token has expired due to inactivity. The token was issued on ${issuedAt.toISOString()} and was inactive for ${days}.00:00:00.`, 'bad_token')

export const grantRevoked = () =>
  new OAuthError(400, 'invalid_grant', 50173, 'The provided grant has expired due to it being revoked, a fresh auth token is needed. The user might have changed or reset their password.', 'bad_token')

export const authorizationPending = () =>
  new OAuthError(400, 'authorization_pending', 70016, 'OAuth 2.0 device flow error. Authorization is pending. Continue polling.')

export const deviceCodeExpired = () =>
  new OAuthError(400, 'expired_token', 70019, 'Verification code expired.')

export const deviceAuthorizationDeclined = () =>
  new OAuthError(400, 'authorization_declined', 70002, 'The user declined to sign in on this device.')

/** A sign-in page whose sign-in has expired (15 minutes) or does not exist. */
export const expiredSignIn = () =>
  new OAuthError(400, 'invalid_request', 50089, 'Authentication failed due to flow token expired. This sign-in has expired or does not exist: start again from the application.')

/** A sign-in form posted without its page's CSRF token (a stale page, or another site's form). */
export const staleForm = () =>
  new OAuthError(403, 'invalid_request', 90015, 'The sign-in page was stale or did not come from this site. Go back to the application and start again.')

/** A sign-in form with missing or malformed fields. */
export const badForm = () =>
  new OAuthError(400, 'invalid_request', 90014, 'A required field of the sign-in form is missing or malformed.')

/** Smart lockout: too many failed passwords or codes in a row. */
export const accountLocked = () =>
  new OAuthError(400, 'invalid_grant', 50053, 'Your account is locked because you\'ve tried to sign in too many times with an incorrect user ID or password. Try again in a minute.')

/** The code, refresh token or device code was issued for another tenant than the authority redeeming it. */
export const otherTenantGrant = (what: string) =>
  new OAuthError(400, 'invalid_grant', 70000, `The provided value for the '${what}' is not valid: it was issued for another tenant.`, 'bad_token')

/** A sign-in parameter with a malformed value. */
export const invalidParameter = (name: string, why: string) =>
  new OAuthError(400, 'invalid_request', 90014, `The parameter '${name}' is malformed: ${why}.`)

export const deviceCodeUsed = () =>
  new OAuthError(400, 'invalid_grant', 70000, 'This device code has been used already, or has expired. Start again on the device.')

/** The identity provider cannot reach its database: Entra's transient error. */
export const temporarilyUnavailable = () =>
  new OAuthError(503, 'temporarily_unavailable', 90033, 'A transient error has occurred. Please try again.')
