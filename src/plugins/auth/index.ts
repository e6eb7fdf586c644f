// The auth hook: an onRequest hook on every protected route that walks the decision table of
// DESIGN.md (step 10, GDAP, for routes whose policy names gdapRoles). Routes declare their policy in
// `config.auth`; handlers never check tokens or roles themselves. Every decision is written to the
// request journal.
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify'
import fp from 'fastify-plugin'
import type { Config } from '../../config.js'
import { appUserRequired, authInvalidRequest, authMissing, customerNotFound, gdapRoleDenied, mfaRequired, partnerRoleDenied } from '../../errors.js'
import { surfaceOfUrl } from '../../identity/audiences.js'
import { DevKeyStore } from '../../identity/dev-keys.js'
import { Directory } from '../../identity/directory.js'
import { entraRoleName } from '../../identity/entra-roles.js'
import { gdapAccess } from '../../identity/gdap-access.js'
import { ENTRA_ROLE_TEMPLATES, roleNames, type PartnerRole } from '../../identity/roles.js'
import { listOf, withFirstHook, withHook } from '../../lib/route-hooks.js'
import { pathOf } from '../../lib/url.js'
import { RequestJournal } from './journal.js'
import { TokenVerifier, type VerifiedToken } from './token-verifier.js'

/** The auth policy a protected route declares in `config.auth`. */
export interface AuthPolicy {
  /** APP+AU in the reference: app-only tokens may call it. Every operation needing a GDAP role is app+user only. */
  appOnly: boolean
  /** Partner Center roles allowed to call it with an app+user token. */
  partnerRoles: readonly PartnerRole[]
  /**
   * Customer-directory operations: the Entra roles (template ids) of which the user must hold one in
   * the customer named by the route's `customerId` parameter, through GDAP (step 10). Implies app+user only.
   */
  gdapRoles?: readonly string[]
}

/** The authenticated caller, set on the request by the hook. */
export interface Principal extends VerifiedToken {
  mfa: boolean
  /** Partner roles of the user (empty for app-only tokens, which are not role-checked). */
  partnerRoles: readonly PartnerRole[]
  /** On routes with `gdapRoles`: every GDAP role the user holds in the route's customer now. */
  gdapRoles?: ReadonlySet<string>
}

interface Decision {
  operation: string
  principal?: Principal
  denied?: string
}

declare module 'fastify' {
  interface FastifyContextConfig { auth?: AuthPolicy }
  interface FastifyRequest { principal: Principal | null, authDecision: Decision | null }
  interface FastifyInstance {
    identity: { devKeys: DevKeyStore | undefined, directory: Directory, verifier: TokenVerifier, journal: RequestJournal }
    /** Adds the auth hook, the policy check and the journal to every route of an encapsulated scope. */
    protect: (scope: FastifyInstance) => void
  }
}

type HookDone = (error?: Error) => void

const BEARER = /^bearer(?: +(.*))?$/i
const NGCMFA = 'ngcmfa'

async function authPlugin (app: FastifyInstance, { config }: { config: Config }) {
  const directory = new Directory(app.db, config.ROLE_CACHE_TTL_MS)
  const devKeys = config.DEV_MODE ? new DevKeyStore(app.db, config.JWKS_REFRESH_COOLDOWN_MS) : undefined
  const verifier = new TokenVerifier({
    devKeys,
    directory,
    publicBaseUrl: config.PUBLIC_BASE_URL,
    entraJwksUri: config.ENTRA_JWKS_URI,
    clockToleranceS: config.TOKEN_CLOCK_TOLERANCE_S,
    maxTokenAgeS: config.TOKEN_MAX_AGE_S,
    jwksCooldownMs: config.JWKS_REFRESH_COOLDOWN_MS,
    jwksCacheMaxAgeMs: config.JWKS_CACHE_MAX_AGE_MS
  })
  const journal = new RequestJournal(app.db, app.database.copyRows, app.log)
  app.decorate('identity', { devKeys, directory, verifier, journal })
  app.decorateRequest('principal', null)
  app.decorateRequest('authDecision', null)
  app.addHook('onReady', async () => { await devKeys?.init() })
  app.addHook('onClose', () => journal.flush())

  const hasMfa = (amr: unknown) => Array.isArray(amr) && (amr.includes('mfa') || (config.ACCEPT_NGCMFA && amr.includes(NGCMFA)))

  // The decision table, steps 1 to 10. Verified tokens and users' roles are cached, so with warm
  // caches the hook completes synchronously: no promise, no extra turn of the event loop on the
  // path every protected request takes. A cache miss continues asynchronously.
  function authenticate (request: FastifyRequest, policy: AuthPolicy, operation: string, done: HookDone): void {
    const decision: Decision = { operation }
    request.authDecision = decision
    let pending: Promise<void> | undefined
    try {
      const token = bearerTokenOf(request)
      const surface = surfaceOfUrl(request.url)
      const verified = verifier.cached(token, surface)
      pending = verified
        ? authorize(request, policy, decision, verified)
        : verifier.verify(token, surface).then((fresh) => authorize(request, policy, decision, fresh))
    } catch (error) {
      deny(decision, error, done)
      return
    }
    // done() outside the try: what runs after the hook must never be taken for a denial.
    if (pending) pending.then(() => done(), (error: unknown) => deny(decision, error, done))
    else done()
  }

  /** Steps 1 and 2: one Authorization header with the Bearer scheme, and the token nowhere else. */
  function bearerTokenOf (request: FastifyRequest): string {
    // Node keeps only the first of several Authorization lines, so count the raw ones.
    if (countAuthorizationLines(request.raw.rawHeaders) > 1) throw authInvalidRequest('Send exactly one Authorization header.')
    const query = request.url.indexOf('?')
    if (query !== -1 && new URLSearchParams(request.url.slice(query + 1)).has('access_token')) {
      throw authInvalidRequest('Send the token in the Authorization header only, never in the query string.')
    }
    const match = BEARER.exec(request.headers.authorization ?? '')
    if (!match) throw authMissing('No bearer token: send Authorization: Bearer <access token>.')
    const token = match[1]?.trim()
    if (!token) throw authMissing('The Authorization header carries the Bearer scheme but no token.')
    return token
  }

  /** Steps 7 to 10 on a verified token (3 to 6 are the verifier's). A promise only when something is not cached. */
  function authorize (request: FastifyRequest, policy: AuthPolicy, decision: Decision, verified: VerifiedToken): Promise<void> | undefined {
    const operation = decision.operation
    // 7. MFA, for app+user tokens only.
    const { issuer, kind, tenantId, objectId, appId, userPrincipalName, claims } = verified
    const principal: Principal = { issuer, kind, tenantId, objectId, appId, userPrincipalName, claims, mfa: kind === 'user' && hasMfa(claims.amr), partnerRoles: [] }
    decision.principal = principal
    if (principal.kind === 'user' && !principal.mfa) throw mfaRequired()
    // 8. Route policy: app-only tokens only where the operation allows them.
    if (principal.kind === 'app' && !policy.appOnly) throw appUserRequired(operation)
    // 9. Partner roles of the user; then 10. GDAP roles in the customer, for customer-directory operations.
    if (principal.kind === 'app') return grant(request, policy, operation, principal, [])
    const cached = directory.cachedUserRoles(verified.tenantId, verified.objectId)
    if (cached) return grant(request, policy, operation, principal, withEntraRoles(verified, cached.known ?? []))
    return directory.userRoles(verified.tenantId, verified.objectId)
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
    const access = await gdapAccess(app.db, principal.tenantId, customerId, principal.objectId, principal.claims.groups, await app.clock.now())
    if (!access.isCustomer) throw customerNotFound(customerId)
    principal.gdapRoles = access.roles
    requireGdapRoles(principal, customerId, required, operation)
  }

  /** Entra tokens may carry directory roles (`wids`) that map to partner roles the emulator was not told about. */
  function withEntraRoles (token: VerifiedToken, known: PartnerRole[]): PartnerRole[] {
    if (token.issuer === 'dev') return known
    const wids = Array.isArray(token.claims.wids) ? token.claims.wids : []
    const fromEntra = wids.map((w) => ENTRA_ROLE_TEMPLATES[String(w)]).filter((r): r is PartnerRole => r !== undefined)
    return fromEntra.length === 0 ? known : [...new Set([...known, ...fromEntra])]
  }

  /** Step 1 also covers a token sent in a request body (RFC 6750 §2.2 form or a JSON field). */
  function rejectBodyToken (request: FastifyRequest, _reply: FastifyReply, done: HookDone): void {
    const body = request.body
    if (body !== null && typeof body === 'object' && Object.keys(body).some((k) => k.toLowerCase() === 'access_token')) {
      const error = authInvalidRequest('Send the token in the Authorization header only, never in the request body.')
      if (request.authDecision) request.authDecision.denied = error.message
      done(error)
      return
    }
    done()
  }

  // On send rather than on response: the status is final here, and a route with onResponse hooks
  // makes Fastify listen for the end of every response.
  function recordDecision (request: FastifyRequest, reply: FastifyReply, payload: unknown, done: (error: null, payload: unknown) => void): void {
    const decision = request.authDecision
    const principal = decision?.principal
    journal.record({
      occurred_at: Date.now(),
      request_id: request.id,
      correlation_id: request.correlationId,
      method: request.method,
      path: pathOf(request.url),
      operation: decision?.operation ?? null,
      partner_tenant_id: principal?.tenantId ?? null,
      object_id: principal?.objectId ?? null,
      user_principal_name: principal?.userPrincipalName ?? null,
      app_id: principal?.appId ?? null,
      token_kind: principal?.kind ?? null,
      mfa_compliant: principal?.kind === 'user' ? principal.mfa : null,
      outcome: decision?.denied === undefined ? 'allowed' : 'denied',
      status_code: reply.statusCode,
      reason: decision?.denied ?? 'allowed',
      ip_address: request.ip
    })
    done(null, payload)
  }

  // Route-level hooks, so that each route has only those it needs: a GET has no body to search for a token.
  app.decorate('protect', (scope: FastifyInstance) => {
    scope.addHook('onRoute', (route) => {
      const policy = requirePolicy(route)
      const operation = route.schema?.operationId ?? route.url
      // First among the route's own onRequest hooks: nothing a route declares runs before its caller is known.
      route.onRequest = withFirstHook(route.onRequest, (request: FastifyRequest, _reply: FastifyReply, done: HookDone) => authenticate(request, policy, operation, done))
      if (carriesBody(route)) route.preValidation = withHook(route.preValidation, rejectBodyToken)
      route.onSend = withHook(route.onSend, recordDecision)
    })
  })
}

/** The partner tenant of the caller on a protected route (every query of the route is scoped by it). */
export const partnerOf = (request: FastifyRequest): string => request.principal!.tenantId

/**
 * Step 10 again, inside a handler whose body asks for more than the route's own roles (a PATCH that
 * resets a password or restores a user): the principal carries the GDAP roles the hook found.
 */
export function requireGdapRoles (principal: Principal, customerId: string, required: readonly string[], operation: string): void {
  const held = principal.gdapRoles ?? new Set<string>()
  if (!required.some((role) => held.has(role))) {
    throw gdapRoleDenied(operation, customerId, required.map(entraRoleName), [...held].map(entraRoleName))
  }
}

/** A protected route without a policy is a programming error: refuse to start rather than guess. */
function requirePolicy (route: RouteOptions): AuthPolicy {
  const auth = route.config?.auth
  if (!auth || typeof auth.appOnly !== 'boolean' || !Array.isArray(auth.partnerRoles) || auth.partnerRoles.length === 0) {
    throw new Error(`route ${String(route.method)} ${route.url} is protected but declares no config.auth policy`)
  }
  // Every operation that needs a GDAP role is app+user only, and names the customer in its path.
  if (auth.gdapRoles && (auth.appOnly || auth.gdapRoles.length === 0 || !route.url.includes(':customerId'))) {
    throw new Error(`route ${String(route.method)} ${route.url} declares gdapRoles: it must be app+user only and have a :customerId parameter`)
  }
  return auth
}

/** Fastify reads no body for GET and HEAD. */
const carriesBody = (route: RouteOptions) => listOf(route.method).some((m) => m !== 'GET' && m !== 'HEAD')

/** A deny decision is recorded for the journal, then handed to Fastify's error handling. */
function deny (decision: Decision, error: unknown, done: HookDone): void {
  decision.denied = error instanceof Error ? error.message : 'denied'
  done(error instanceof Error ? error : new Error(String(error)))
}

function countAuthorizationLines (rawHeaders: string[]): number {
  let count = 0
  for (let i = 0; i < rawHeaders.length; i += 2) {
    if (rawHeaders[i]!.length === 13 && rawHeaders[i]!.toLowerCase() === 'authorization') count++
  }
  return count
}

export default fp(authPlugin, { name: 'auth', dependencies: ['db', 'wire'] })
