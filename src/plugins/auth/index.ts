// The auth hook: one onRequest hook, added once around every protected route, that walks the
// decision table of DESIGN.md. Routes declare their policy in `config.auth`; handlers never check
// tokens or roles themselves. Every decision is written to the request journal.
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify'
import fp from 'fastify-plugin'
import type { Config } from '../../config.js'
import { appUserRequired, authInvalidRequest, authMissing, mfaRequired, partnerRoleDenied } from '../../errors.js'
import { surfaceOfUrl } from '../../identity/audiences.js'
import { DevKeyStore } from '../../identity/dev-keys.js'
import { Directory } from '../../identity/directory.js'
import { ENTRA_ROLE_TEMPLATES, roleNames, type PartnerRole } from '../../identity/roles.js'
import { RequestJournal } from './journal.js'
import { TokenVerifier, type VerifiedToken } from './token-verifier.js'

/** The auth policy a protected route declares in `config.auth`. */
export interface AuthPolicy {
  /** APP+AU in the reference: app-only tokens may call it. Every operation needing a GDAP role is app+user only. */
  appOnly: boolean
  /** Partner Center roles allowed to call it with an app+user token. */
  partnerRoles: readonly PartnerRole[]
}

/** The authenticated caller, set on the request by the hook. */
export interface Principal extends VerifiedToken {
  mfa: boolean
  /** Partner roles of the user (empty for app-only tokens, which are not role-checked). */
  partnerRoles: readonly PartnerRole[]
}

interface Decision {
  principal?: VerifiedToken & { mfa?: boolean }
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
  const journal = new RequestJournal(app.db, app.log)
  app.decorate('identity', { devKeys, directory, verifier, journal })
  app.decorateRequest('principal', null)
  app.decorateRequest('authDecision', null)
  app.addHook('onReady', async () => { await devKeys?.init() })
  app.addHook('onClose', () => journal.flush())

  const hasMfa = (amr: unknown) => Array.isArray(amr) && (amr.includes('mfa') || (config.ACCEPT_NGCMFA && amr.includes(NGCMFA)))

  async function authenticate (request: FastifyRequest): Promise<void> {
    const policy = request.routeOptions.config.auth as AuthPolicy
    const operation = request.routeOptions.schema?.operationId ?? request.routeOptions.url ?? request.url
    const decision: Decision = {}
    request.authDecision = decision
    try {
      // 1. Transport: one Authorization field line (Node keeps only the first of several), no token in the query.
      if (countAuthorizationLines(request.raw.rawHeaders) > 1) throw authInvalidRequest('Send exactly one Authorization header.')
      if (new URLSearchParams(request.url.split('?')[1] ?? '').has('access_token')) {
        throw authInvalidRequest('Send the token in the Authorization header only, never in the query string.')
      }
      // 2. Scheme.
      const match = BEARER.exec(request.headers.authorization ?? '')
      if (!match) throw authMissing('No bearer token: send Authorization: Bearer <access token>.')
      const token = match[1]?.trim()
      if (!token) throw authMissing('The Authorization header carries the Bearer scheme but no token.')
      // 3-6. Shape, issuer routing, verification, classification.
      const verified = await verifier.verify(token, surfaceOfUrl(request.url))
      // 7. MFA, for app+user tokens only.
      const mfa = verified.kind === 'user' && hasMfa(verified.claims.amr)
      decision.principal = { ...verified, mfa }
      if (verified.kind === 'user' && !mfa) throw mfaRequired()
      // 8. Route policy: app-only tokens only where the operation allows them.
      if (verified.kind === 'app' && !policy.appOnly) throw appUserRequired(operation)
      // 9. Partner roles of the user.
      const partnerRoles = verified.kind === 'user' ? await rolesOf(verified) : []
      if (verified.kind === 'user' && !partnerRoles.some((r) => policy.partnerRoles.includes(r))) {
        throw partnerRoleDenied(operation, roleNames(policy.partnerRoles))
      }
      request.principal = { ...verified, mfa, partnerRoles }
    } catch (error) {
      decision.denied = error instanceof Error ? error.message : 'denied'
      throw error
    }
  }

  async function rolesOf (token: VerifiedToken): Promise<PartnerRole[]> {
    const known = await directory.userRoles(token.tenantId, token.objectId) ?? []
    if (token.issuer === 'dev') return known
    const wids = Array.isArray(token.claims.wids) ? token.claims.wids : []
    const fromEntra = wids.map((w) => ENTRA_ROLE_TEMPLATES[String(w)]).filter((r): r is PartnerRole => r !== undefined)
    return [...new Set([...known, ...fromEntra])]
  }

  /** Step 1 also covers a token sent in a request body (RFC 6750 §2.2 form or a JSON field). */
  async function rejectBodyToken (request: FastifyRequest): Promise<void> {
    const body = request.body
    if (body !== null && typeof body === 'object' && Object.keys(body).some((k) => k.toLowerCase() === 'access_token')) {
      const error = authInvalidRequest('Send the token in the Authorization header only, never in the request body.')
      if (request.authDecision) request.authDecision.denied = error.message
      throw error
    }
  }

  function recordDecision (request: FastifyRequest, reply: FastifyReply, done: () => void): void {
    const decision = request.authDecision
    const principal = decision?.principal
    journal.record({
      occurred_at: new Date(),
      request_id: request.id,
      correlation_id: request.correlationId,
      method: request.method,
      path: request.url.split('?')[0] ?? request.url,
      operation: request.routeOptions.schema?.operationId ?? null,
      partner_tenant_id: principal?.tenantId ?? null,
      object_id: principal?.objectId ?? null,
      user_principal_name: principal?.userPrincipalName ?? null,
      app_id: principal?.appId ?? null,
      token_kind: principal?.kind ?? null,
      mfa_compliant: principal?.kind === 'user' ? principal.mfa ?? null : null,
      outcome: decision?.denied === undefined ? 'allowed' : 'denied',
      status_code: reply.statusCode,
      reason: decision?.denied ?? 'allowed',
      ip_address: request.ip
    })
    done()
  }

  app.decorate('protect', (scope: FastifyInstance) => {
    scope.addHook('onRoute', requirePolicy)
    scope.addHook('onRequest', authenticate)
    scope.addHook('preValidation', rejectBodyToken)
    scope.addHook('onResponse', recordDecision)
  })
}

/** A protected route without a policy is a programming error: refuse to start rather than guess. */
function requirePolicy (route: RouteOptions): void {
  const auth = route.config?.auth
  if (!auth || typeof auth.appOnly !== 'boolean' || !Array.isArray(auth.partnerRoles) || auth.partnerRoles.length === 0) {
    throw new Error(`route ${String(route.method)} ${route.url} is protected but declares no config.auth policy`)
  }
}

function countAuthorizationLines (rawHeaders: string[]): number {
  let count = 0
  for (let i = 0; i < rawHeaders.length; i += 2) {
    if (rawHeaders[i]!.length === 13 && rawHeaders[i]!.toLowerCase() === 'authorization') count++
  }
  return count
}

export default fp(authPlugin, { name: 'auth', dependencies: ['db', 'wire'] })
