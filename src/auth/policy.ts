// What a protected route declares (its policy, in `config.auth`) and what the hook leaves on the
// request for it (the principal); the helpers routes use: partnerOf, and requireGdapRoles for a
// handler whose body asks for more than the route's own roles.
import type { FastifyRequest, RouteOptions } from 'fastify'
import type { JWTPayload } from 'jose'
import { USER_SCOPE, type Surface } from '../directory/resources.js'
import { entraRoleName } from '../directory/entra-roles.js'
import type { PartnerRole } from '../directory/roles.js'
import { gdapRoleDenied } from '../errors.js'
import type { VerifiedToken } from './verifier.js'

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
  /**
   * Graph operations: the permissions of which the token must carry one, in `scp` (delegated, user
   * tokens) or `roles` (application, app-only tokens), as the operation's Graph page lists them.
   * Partner Center operations need none but `user_impersonation` for user tokens (PARTNER_CENTER_SCOPE).
   */
  permissions?: readonly string[]
}

/** The authenticated caller, set on the request by the hook. */
export interface Principal extends VerifiedToken {
  mfa: boolean
  /** Partner roles of the user (empty for app-only tokens, which are not role-checked). */
  partnerRoles: readonly PartnerRole[]
  /** On routes with `gdapRoles`: every GDAP role the user holds in the route's customer now. */
  gdapRoles?: ReadonlySet<string>
}

declare module 'fastify' {
  interface FastifyContextConfig { auth?: AuthPolicy }
}

/** Partner Center's one delegated permission: every app+user token on /v1 must carry it. */
export const PARTNER_CENTER_SCOPE = [USER_SCOPE.partnerCenter] as const

/** What the token must carry for the route: the route's Graph permissions, or on /v1 a user token's `user_impersonation`. */
export function requiredPermissions (policy: AuthPolicy, surface: Surface, kind: 'app' | 'user'): readonly string[] | undefined {
  if (surface === 'graph') return policy.permissions
  return kind === 'user' ? PARTNER_CENTER_SCOPE : undefined
}

/** Whether the token grants one of the permissions: space-separated `scp` for users, the `roles` array for apps. */
export function grantsOneOf (claims: JWTPayload, kind: 'app' | 'user', needed: readonly string[]): boolean {
  const granted = kind === 'user'
    ? (typeof claims.scp === 'string' ? claims.scp.split(' ') : [])
    : (Array.isArray(claims.roles) ? claims.roles : [])
  return needed.some((p) => granted.includes(p))
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
export function requirePolicy (route: RouteOptions): AuthPolicy {
  const auth = route.config?.auth
  if (!auth || typeof auth.appOnly !== 'boolean' || !Array.isArray(auth.partnerRoles) || auth.partnerRoles.length === 0) {
    throw new Error(`route ${String(route.method)} ${route.url} is protected but declares no config.auth policy`)
  }
  // Every operation that needs a GDAP role is app+user only, and names the customer in its path.
  if (auth.gdapRoles && (auth.appOnly || auth.gdapRoles.length === 0 || !route.url.includes(':customerId'))) {
    throw new Error(`route ${String(route.method)} ${route.url} declares gdapRoles: it must be app+user only and have a :customerId parameter`)
  }
  // Every Graph operation names the permissions its page lists.
  if (route.url.startsWith('/v1.0/') && !(auth.permissions && auth.permissions.length > 0)) {
    throw new Error(`route ${String(route.method)} ${route.url} is a Graph operation: it must declare the permissions it needs`)
  }
  return auth
}
