// The one catalogue of API errors. Every thrown error carries its HTTP status and its Partner Center
// code, so the code is part of the contract and tests assert on it. The error handler renders them in
// the envelope of the surface that was called (Partner Center or Graph); the identity provider's OAuth
// errors are in idp/errors.ts.

export interface ApiErrorOptions {
  /** Extra detail strings or objects (Partner Center `data`). */
  data?: unknown[]
  /** Graph error code used when the error is rendered on /v1.0 (e.g. `Request_ResourceNotFound`). */
  graphCode?: string
  /** Response headers that belong to the error (WWW-Authenticate, Allow...). */
  headers?: Record<string, string>
  /** Custom reason phrase for the status line (HTTP/1.1 only). */
  statusMessage?: string
  cause?: unknown
}

export class ApiError extends Error {
  readonly statusCode: number
  readonly code: number
  readonly data: unknown[]
  readonly graphCode: string
  readonly headers: Record<string, string>
  readonly statusMessage: string | undefined

  constructor (statusCode: number, code: number, description: string, options: ApiErrorOptions = {}) {
    super(description, { cause: options.cause })
    this.name = 'ApiError'
    this.statusCode = statusCode
    this.code = code
    this.data = options.data ?? []
    this.graphCode = options.graphCode ?? defaultGraphCode(statusCode)
    this.headers = options.headers ?? {}
    this.statusMessage = options.statusMessage
  }
}

function defaultGraphCode (status: number): string {
  switch (status) {
    case 400: return 'BadRequest'
    case 401: return 'InvalidAuthenticationToken'
    case 403: return 'Authorization_RequestDenied'
    case 404: return 'Request_ResourceNotFound'
    case 405: return 'Request_BadRequest'
    case 409: return 'Request_MultipleObjectsWithSameKeyValue'
    case 412: return 'Request_PreconditionFailed'
    default: return status >= 500 ? 'InternalServerError' : 'BadRequest'
  }
}

// ---- Generic request errors -------------------------------------------------------------------------

export const invalidRequest = (description: string, data?: unknown[]) =>
  new ApiError(400, 800002, description, { data })

export const invalidProperty = (description: string, data?: unknown[]) =>
  new ApiError(400, 3000, description, { data })

export const resourceNotFound = (description = 'The requested resource was not found.') =>
  new ApiError(404, 1000, description)

export const methodNotAllowed = (method: string, allowed: string[]) =>
  new ApiError(405, 1000, `The method ${method} is not allowed on this resource.`, { headers: { Allow: allowed.join(', ') } })

// ETags. Partner Center answers 400 / 2055 (its error-code table), never 412 or 428: the .NET SDK
// retries every status but 400, 401, 403, 404, 409, 417 and 429, so a 412 would be sent three more
// times with the same stale ETag. Graph answers 412 and 428, as Graph does.
export const ifMatchRequired = () =>
  new ApiError(400, 2055, 'This update requires an If-Match header carrying the resource ETag.')

export const etagMismatch = () =>
  new ApiError(400, 2055, 'The ETag in If-Match is no longer valid; read the resource again and retry.')

export const graphIfMatchRequired = () =>
  new ApiError(428, 2055, 'This update requires an If-Match header carrying the resource ETag.', { graphCode: 'Request_PreconditionRequired' })

export const graphEtagMismatch = () =>
  new ApiError(412, 2055, 'The ETag in If-Match is no longer valid; read the resource again and retry.')

export const internalError = (cause: unknown) =>
  new ApiError(500, 500, 'An internal error occurred.', { cause })

export const serviceUnavailable = (description: string) =>
  new ApiError(503, 503, description)

/** A write the database refused because another one got there first (a unique key, a row still referred to). */
export const conflictingWrite = (cause: unknown) =>
  new ApiError(409, 1000, 'The request conflicts with the current state of the resource; read it again and retry.', { cause, graphCode: 'Conflict' })

/** The database is out of reach (connection refused or lost, or no answer within DATABASE_TIMEOUT_MS): retry later. */
export const databaseUnavailable = (cause: unknown) =>
  new ApiError(503, 503, 'The service is temporarily unavailable: its database does not answer. Retry later.', {
    cause, graphCode: 'serviceNotAvailable', headers: { 'Retry-After': '5' }
  })

/** A transaction that lost a race (serialization failure, deadlock): the same request succeeds when retried. */
export const transientFailure = (cause: unknown) =>
  new ApiError(503, 503, 'The request collided with a concurrent one; retry it.', { cause, headers: { 'Retry-After': '1' } })

// ---- Authentication and authorization (the decision table: docs/auth.md) --------------------------------

/** Step 1: a malformed request (several Authorization lines, token in the query or body). */
export const authInvalidRequest = (reason: string) =>
  new ApiError(400, 800002, reason, { headers: { 'WWW-Authenticate': 'Bearer error="invalid_request"' } })

/** Step 2: no credentials, or not the Bearer scheme: a bare challenge, no error details (RFC 6750 §3). */
export const authMissing = (reason: string) =>
  new ApiError(401, 800001, reason, { headers: { 'WWW-Authenticate': 'Bearer' } })

/** Steps 3-6: the token itself is unacceptable. */
export const invalidToken = (reason: string) =>
  new ApiError(401, 400, reason, { headers: { 'WWW-Authenticate': 'Bearer error="invalid_token"' } })

/** Step 7: the documented Partner Center answer to an app+user token without MFA. */
export const mfaRequired = () =>
  new ApiError(401, 900421, 'Unauthorized - MFA required: the app+user token carries no "mfa" in its amr claim.', {
    // The documentation's sample carries Partner Center's Application Insights id, as every answer of its front door does.
    headers: { 'WWW-Authenticate': 'Bearer error="invalid_token"', 'Request-Context': 'appId=cid-v1:03ce8ca8-8373-4021-8f25-d5dd45c7b12f' },
    statusMessage: 'Unauthorized - MFA required'
  })

/** Step 8: an app-only token on an operation that needs a user. */
export const appUserRequired = (operation: string) =>
  new ApiError(403, 2032, `Access denied: ${operation} requires App+User credentials; app-only tokens are not supported for it.`)

/**
 * Step 8, permissions: the token was not granted what the operation needs (a delegated scope in `scp`,
 * an application permission in `roles`). Graph answers 403 Authorization_RequestDenied with its usual
 * words; the `WWW-Authenticate` challenge is RFC 6750's for a scope the token lacks.
 */
export const permissionDenied = (operation: string, kind: 'app' | 'user', needed: readonly string[]) =>
  new ApiError(403, 900150,
    `Insufficient privileges to complete the operation: ${operation} needs the ${kind === 'user' ? 'delegated permission (scp)' : 'application permission (roles)'} ` +
    `${needed.join(' or ')}, which the token does not carry.`, {
      graphCode: 'Authorization_RequestDenied',
      headers: { 'WWW-Authenticate': `Bearer error="insufficient_scope", scope="${needed.join(' ')}"` },
      data: [{ requiredPermissions: needed }]
    })

/** Step 9: the user's partner roles do not include one the operation allows. */
export const partnerRoleDenied = (operation: string, allowed: string[]) =>
  new ApiError(403, 900150, `Access denied: ${operation} requires one of the partner roles ${allowed.join(', ')}; the user has none of them.`, {
    data: [{ requiredPartnerRoles: allowed }]
  })

// ---- Customers --------------------------------------------------------------------------------------

export const customerNotFound = (customerId: string) =>
  new ApiError(404, 60003, `Customer ${customerId} was not found.`)

export const domainTaken = (domain: string) =>
  new ApiError(400, 3000, `The domain ${domain} is not available.`, { data: ['companyProfile.domain'] })

// ---- Application consents ----------------------------------------------------------------------------

export const consentExists = (applicationId: string, customerId: string) =>
  new ApiError(409, 1000, `Application ${applicationId} is consented in customer ${customerId} already; delete that consent first to change its grants.`, {
    data: ['applicationId'], graphCode: 'Conflict'
  })

export const consentNotFound = (applicationId: string, customerId: string) =>
  new ApiError(404, 1000, `Application ${applicationId} has no consent in customer ${customerId}.`)

/** Ending a reseller relationship, or deleting a sandbox customer, while subscriptions still stand in the way. */
export const customerHasOpenSubscriptions = (what: string, subscriptionIds: string[]) =>
  new ApiError(400, 800002, `${what} Subscriptions in the way: ${subscriptionIds.join(', ')}.`, { data: subscriptionIds })

/** DELETE /v1/customers/{id} is for integration sandbox (Testing in Production) accounts only. */
export const sandboxOnly = () =>
  new ApiError(403, 2032, 'Access denied: customers can be deleted only from an integration sandbox (Testing in Production) account; ' +
    'a production partner removes its reseller relationship instead (PATCH relationshipToPartner none).')

export const partnerProfileNotFound = (profile: string) =>
  new ApiError(404, 1000, `The partner's ${profile} profile was not found.`)

// ---- GDAP and customer directories --------------------------------------------------------------------

/** Step 10: the user holds none of the operation's GDAP roles in this customer through an active relationship. */
export const gdapRoleDenied = (operation: string, customerId: string, required: string[], held: string[]) =>
  new ApiError(403, 900150,
    `Access denied: ${operation} needs one of the GDAP roles ${required.join(', ')} in customer ${customerId}; ` +
    (held.length > 0
      ? `the user holds only ${held.join(', ')} there through active relationships.`
      : 'no active relationship grants the user\'s security groups any role there.'),
    { data: [{ requiredGdapRoles: required, heldGdapRoles: held }] })

export const gdapNotFound = (what: string, id: string) =>
  new ApiError(404, 1000, `The ${what} ${id} was not found.`, { graphCode: 'Request_ResourceNotFound' })

export const gdapConflict = (message: string) =>
  new ApiError(409, 1000, message, { graphCode: 'Conflict' })

/** A change the resource's current status does not allow. */
export const gdapInvalidState = (message: string) =>
  new ApiError(400, 800002, message, { graphCode: 'BadRequest' })

export const customerUserNotFound = (userId: string) =>
  new ApiError(404, 60010, `The user ${userId} was not found in this customer tenant.`)

export const licenseQuotaExceeded = (skuName: string) =>
  new ApiError(400, 60012, `The customer has run out of licenses for ${skuName}; buy more seats or remove the license from another user.`, {
    data: [`LicenseQuotaExceededException : Subscription for ${skuName} has no more licenses available.`]
  })

// ---- Catalog ----------------------------------------------------------------------------------------

export const catalogItemNotFound = (what: string) =>
  new ApiError(404, 400013, `${what} was not found in the catalog.`)

export const invalidTargetView = (view: string) =>
  new ApiError(403, 400036, `The targetView ${view} is not valid. Use one of Azure, AzureReservations, MicrosoftAzure, OnlineServices, Software, SoftwarePerpetual, SoftwareSubscriptions...`)

export const invalidTargetSegment = (segment: string) =>
  new ApiError(403, 400030, `The targetSegment ${segment} is not valid. Use commercial, education, government or nonprofit.`)

export const unknownMarket = (country: string) =>
  new ApiError(400, 800002, `The country ${country} is not a market of the emulator's catalog.`, { data: ['country'] })

// ---- Commerce: agreements, carts, orders, subscriptions ------------------------------------------------

export const agreementRequired = (customerId: string) =>
  new ApiError(403, 13605, `Customer ${customerId} has not accepted the Microsoft Customer Agreement; confirm it (POST /v1/customers/${customerId}/agreements) before buying new-commerce products.`)

export const cartNotFound = (cartId: string, why = 'was not found') =>
  new ApiError(404, 800008, `Cart ${cartId} ${why}.`)

export const cartAlreadyOrdered = (cartId: string) =>
  new ApiError(400, 800065, `Cart ${cartId} has already been checked out.`)

export const cartCheckoutInProgress = (cartId: string) =>
  new ApiError(409, 800064, `Cart ${cartId} is being checked out by another request.`)

export const commerceNotFound = (what: string, id: string) =>
  new ApiError(404, 1000, `${what} ${id} was not found.`)

export const orderNotFound = (orderId: string) =>
  new ApiError(404, 20000, `Order ${orderId} was not found.`)

export const subscriptionNotFound = (subscriptionId: string) =>
  new ApiError(404, 20003, `Subscription ${subscriptionId} was not found.`)

export const invalidOfferId = (catalogItemId: string) =>
  new ApiError(400, 800004, `${catalogItemId} is not a catalog item (productId:skuId:availabilityId) of the catalog.`)

/** Checkout of a cart whose every order group has a line in error (the lines carry CartError codes). */
export const cartItemErrors = (data: unknown[]) =>
  new ApiError(400, 800009, 'The cart has errors in its line items; fix them with PUT and check out again.', { data })

export const quantityOutOfRange = (min: number, max: number) =>
  new ApiError(400, 2002, `The quantity must be between ${min} and ${max}.`)

export const subscriptionSuspended = () =>
  new ApiError(400, 800091, 'The subscription is suspended: reactivate it before changing its quantity.')

export const subscriptionDeleted = () =>
  new ApiError(400, 2011, 'The subscription is cancelled and can no longer be changed.')

export const cancellationWindowPassed = (until: Date | null) =>
  new ApiError(400, 900117, until
    ? `The cancellation window ended at ${until.toISOString()}; the subscription can no longer be cancelled or reduced.`
    : 'This subscription cannot be cancelled.')

export const autoRenewNotAllowed = () =>
  new ApiError(400, 800093, 'Auto-renewal cannot be changed for this subscription.')

/** POST …/activate outside an integration sandbox: production subscriptions are activated on the publisher's site. */
export const activationSandboxOnly = () =>
  new ApiError(403, 2032, 'Access denied: subscriptions are activated through the API only from integration sandbox accounts; ' +
    'a production subscription is activated on the publisher\'s site (its activation link).')

export const billingCycleChangeNotAllowed = () =>
  new ApiError(400, 2054, 'The billing cycle of a subscription cannot be changed with a subscription PATCH; use the order.')

/** POST …/azureEntitlements/{id}/reactivate of an Azure subscription that is not cancelled (reactivate-an-azure-subscription: 900337). */
export const azureEntitlementNotReactivatable = (entitlementId: string) =>
  new ApiError(400, 900337, `Partner cannot reactivate Azure entitlement with ID ${entitlementId}: only a cancelled Azure subscription is reactivated.`)

// ---- Webhooks -------------------------------------------------------------------------------------

export const webhookRegistrationExists = () =>
  new ApiError(409, 1001, 'The partner already has a webhook registration: update it with PUT /webhooks/v1/registration, or delete it first.')

export const webhookRegistrationNotFound = () =>
  new ApiError(404, 1000, 'The partner has no webhook registration: create one with POST /webhooks/v1/registration.')

export const validationEventNotFound = (correlationId: string) =>
  new ApiError(404, 1000, `No validation event has the correlation id ${correlationId}.`)

/** Microsoft throttles test-created events to 2 per minute. */
export const validationEventThrottled = (retryAfterS: number) =>
  new ApiError(429, 429, 'At most 2 test events may be requested per minute; retry later.', { headers: { 'Retry-After': String(retryAfterS) } })

// ---- Throttling ---------------------------------------------------------------------------------------

/**
 * Over a limit (src/throttling/): 429 with Retry-After in seconds, in the surface's envelope; on Graph
 * with Graph's code for it. The description is the one Partner Center's gateway words.
 */
export const throttled = (retryAfterS: number) =>
  new ApiError(429, 429, `Rate limit is exceeded. Try again in ${retryAfterS} seconds.`, {
    graphCode: 'TooManyRequests', headers: { 'Retry-After': String(retryAfterS) }
  })

/** Graph billing export: an operation or manifest the partner does not have. */
export const billingExportNotFound = (what: 'operation' | 'manifest', id: string) =>
  new ApiError(404, 1000, `The ${what} ${id} was not found.`, { graphCode: 'Request_ResourceNotFound' })

/** Graph billing export: a parameter the export cannot take. */
export const billingExportInvalid = (message: string) =>
  new ApiError(400, 3000, message, { graphCode: 'BadRequest' })

// ---- Renewals ---------------------------------------------------------------------------------------

/** A customTermEndDate the next term cannot end on (CartErrorCode 10017: invalid custom term end date). */
export const invalidCustomTermEndDate = (description: string) =>
  new ApiError(400, 10017, description, { data: ['scheduledNextTermInstructions.customTermEndDate'] })

export const subscriptionExpired = () =>
  new ApiError(400, 800002, 'The subscription expired at the end of its term and can no longer be changed; buy a new one.')

// ---- Subscription upgrades and transitions -------------------------------------------------------------

/**
 * An upgrade (legacy) or transition (new commerce) the eligibility rules refuse: 400, with the reasons
 * as the listing shows them ({code, description}: UpgradeErrorCode / TransitionErrorCode values) in data.
 */
export const transitionNotEligible = (description: string, reasons: unknown[]) =>
  new ApiError(400, 800002, description, { data: reasons })
