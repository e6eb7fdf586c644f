// Steps 7 to 10 of the decision table, on a token the verifier accepted (steps 3 to 6): MFA for
// app+user tokens, the route's app-only rule, the user's partner roles, and for customer-directory
// routes the user's GDAP roles in that customer. Verified tokens and users' roles are cached, so
// with warm caches a decision completes synchronously: no promise, no extra turn of the event loop
// on the path every protected request takes. A cache miss continues asynchronously.
import type { FastifyRequest } from 'fastify'
import type { DirectoryCache } from '../directory/cache.js'
import { ENTRA_ROLE_TEMPLATES, roleNames, type PartnerRole } from '../directory/roles.js'
import { surfaceOfUrl } from '../directory/resources.js'
import { appUserRequired, customerNotFound, mfaRequired, partnerRoleDenied, permissionDenied } from '../errors.js'
import type { GdapAccess, GdapAccessQuery } from '../gdap/access.js'
import { ownValue } from '../lib/ids.js'
import { bearerTokenOf } from './bearer.js'
import { grantsOneOf, requiredPermissions, requireGdapRoles, type AuthPolicy, type Principal } from './policy.js'
import type { TokenVerifier, VerifiedToken } from './verifier.js'

/** What the hook decided for a request; the journal records it when the response is sent. */
export interface Decision {
  operation: string
  principal?: Principal
  denied?: string
}

export interface DecisionDependencies {
  verifier: TokenVerifier
  directory: DirectoryCache
  gdapAccess: (query: GdapAccessQuery) => Promise<GdapAccess>
  /** The emulator clock: GDAP relationships expire on it. */
  now: () => Promise<Date>
  /** Also accept amr "ngcmfa" as proof of MFA. */
  acceptNgcmfa: boolean
}

type HookDone = (error?: Error) => void

const NGCMFA = 'ngcmfa'

/** The decision table as one function per request: steps 1 to 10, then `done` (with the error of the first failing step). */
export function createAuthenticator (deps: DecisionDependencies) {
  const hasMfa = (amr: unknown) => Array.isArray(amr) && (amr.includes('mfa') || (deps.acceptNgcmfa && amr.includes(NGCMFA)))

  function authenticate (request: FastifyRequest, policy: AuthPolicy, decision: Decision, done: HookDone): void {
    let pending: Promise<void> | undefined
    try {
      const token = bearerTokenOf(request)
      const surface = surfaceOfUrl(request.url)
      const verified = deps.verifier.cached(token, surface)
      pending = verified
        ? authorize(request, policy, decision, verified)
        : deps.verifier.verify(token, surface).then((fresh) => authorize(request, policy, decision, fresh))
    } catch (error) {
      deny(decision, error, done)
      return
    }
    // done() outside the try: what runs after the hook must never be taken for a denial.
    if (pending) pending.then(() => done(), (error: unknown) => deny(decision, error, done))
    else done()
  }

  /** Steps 7 to 10 on a verified token. A promise only when something is not cached. */
  function authorize (request: FastifyRequest, policy: AuthPolicy, decision: Decision, verified: VerifiedToken): Promise<void> | undefined {
    const operation = decision.operation
    // 7. MFA, for app+user tokens only.
    const { issuer, kind, tenantId, objectId, appId, userPrincipalName, claims } = verified
    const principal: Principal = {
      issuer, kind, tenantId, objectId, appId, userPrincipalName, claims, mfa: kind === 'user' && hasMfa(claims.amr), partnerRoles: []
    }
    decision.principal = principal
    if (principal.kind === 'user' && !principal.mfa) throw mfaRequired()
    // 8. Route policy: app-only tokens only where the operation allows them.
    if (principal.kind === 'app' && !policy.appOnly) throw appUserRequired(operation)
    // ... and the permission the operation needs, granted to the token (scp or roles).
    const needed = requiredPermissions(policy, surfaceOfUrl(request.url), principal.kind)
    if (needed && !grantsOneOf(claims, principal.kind, needed)) throw permissionDenied(operation, principal.kind, needed)
    // 9. Partner roles of the user; then 10. GDAP roles in the customer, for customer-directory operations.
    if (principal.kind === 'app') return grant(request, policy, operation, principal, [])
    const cached = deps.directory.cachedUserRoles(verified.tenantId, verified.objectId)
    if (cached) return grant(request, policy, operation, principal, withEntraRoles(verified, cached.known ?? []))
    return deps.directory.userRoles(verified.tenantId, verified.objectId)
      .then((known) => grant(request, policy, operation, principal, withEntraRoles(verified, known ?? [])))
  }

  /** Steps 9 and 10 once the user's partner roles are known. */
  function grant (request: FastifyRequest, policy: AuthPolicy, operation: string, principal: Principal, roles: PartnerRole[]): Promise<void> | undefined {
    if (principal.kind === 'user' && !roles.some((r) => policy.partnerRoles.includes(r))) {
      throw partnerRoleDenied(operation, roleNames(policy.partnerRoles))
    }
    principal.partnerRoles = roles
    if (policy.gdapRoles) return checkGdap(request, policy.gdapRoles, operation, principal).then(() => { request.principal = principal })
    request.principal = principal
    return undefined
  }

  /** Step 10 (and 11 for these routes): another partner's customer is a 404; missing GDAP roles a 403 naming them. */
  async function checkGdap (request: FastifyRequest, required: readonly string[], operation: string, principal: Principal): Promise<void> {
    const customerId = (request.params as { customerId?: string }).customerId ?? ''
    const access = await deps.gdapAccess({
      partnerTenantId: principal.tenantId, customerId, userId: principal.objectId, tokenGroups: principal.claims.groups, now: await deps.now()
    })
    if (!access.isCustomer) throw customerNotFound(customerId)
    principal.gdapRoles = access.roles
    requireGdapRoles(principal, customerId, required, operation)
  }

  return authenticate
}

/** Entra tokens may carry directory roles (`wids`) that map to partner roles the emulator was not told about. */
function withEntraRoles (token: VerifiedToken, known: PartnerRole[]): PartnerRole[] {
  if (token.issuer === 'dev') return known
  const wids = Array.isArray(token.claims.wids) ? token.claims.wids : []
  const fromEntra = wids.map((w) => ownValue(ENTRA_ROLE_TEMPLATES, String(w))).filter((r): r is PartnerRole => r !== undefined)
  return fromEntra.length === 0 ? known : [...new Set([...known, ...fromEntra])]
}

/** A deny decision is recorded for the journal, then handed to Fastify's error handling. */
function deny (decision: Decision, error: unknown, done: HookDone): void {
  decision.denied = error instanceof Error ? error.message : 'denied'
  done(error instanceof Error ? error : new Error(String(error)))
}
