// Which limit a request falls under, and what it is counted by. Partner Center throttles only the APIs
// its guidance lists (docs/throttling.md); the control plane can add or lower a limit on any protected
// route for a test. Pure: no I/O, so the rules are easy to test and to read.

/** What a limit's counter is keyed by, besides the operation: the caller's partner tenant, or that plus the customer in the path. */
export type LimitScope = 'partner' | 'partnerCustomer'

export interface Limit {
  /** The route's operationId (listOrders), or… */
  operation?: string
  /** …its path, with `{param}` or `:param` for each parameter (/v1/customers/{customerId}/orders). */
  pathPattern?: string
  requests: number
  windowSeconds: number
  /** Default: partnerCustomer on a route with a customer id in its path, partner otherwise. */
  scope?: LimitScope
}

/**
 * The operations Partner Center's throttling guidance lists that the emulator serves. Every one is
 * under /v1/customers/{customerId}: the guidance and the resources' pages ("500 requests/minute per
 * tenant id") count them per partner and customer, so one busy customer does not block the others.
 */
export const DOCUMENTED_OPERATIONS = [
  'createOrder', 'listOrders', 'getOrder', 'updateOrder', 'getOrderProvisioningStatus',
  'updateCart', 'checkoutCart',
  'listSubscriptions', 'getSubscription', 'updateSubscription', 'listSubscriptionAddons',
  'getCustomer'
] as const

/** The documented limits, at the configured rate. */
export function documentedLimits (requests: number, windowSeconds: number): Limit[] {
  return DOCUMENTED_OPERATIONS.map((operation) => ({ operation, requests, windowSeconds }))
}

/** A route as the limits see it: its operationId and its path template as Fastify declares it. */
export interface RouteKey { operation: string, url: string }

/** `{id}` and `:id` alike become `*`, so a pattern matches whatever the route names its parameters. */
const shapeOf = (path: string) => path.replace(/\{[^}/]+\}|:[^/]+/g, '*').replace(/\/+$/, '').toLowerCase()

/** Limits indexed by operation and by path shape; a later limit for the same route replaces an earlier one. */
class LimitIndex {
  readonly byOperation = new Map<string, Limit>()
  readonly byShape = new Map<string, Limit>()

  constructor (limits: Limit[]) {
    for (const limit of limits) {
      if (limit.operation) this.byOperation.set(limit.operation, limit)
      if (limit.pathPattern) this.byShape.set(shapeOf(limit.pathPattern), limit)
    }
  }

  match (route: RouteKey): Limit | undefined {
    return this.byOperation.get(route.operation) ?? this.byShape.get(shapeOf(route.url))
  }
}

/**
 * The limits in force: one the control plane set wins over a documented one for the same route, however
 * either names it; within each, an operation match wins over a path match.
 */
export class LimitTable {
  readonly #base: Limit[]
  readonly #baseIndex: LimitIndex
  #overrides: Limit[] = []
  #overrideIndex = new LimitIndex([])

  constructor (base: Limit[]) {
    this.#base = base
    this.#baseIndex = new LimitIndex(base)
  }

  get overrides (): readonly Limit[] { return this.#overrides }

  /** The limits the control plane sets, replacing those it set before. */
  setOverrides (limits: Limit[]): void {
    this.#overrides = limits.map((limit) => ({ ...limit }))
    this.#overrideIndex = new LimitIndex(this.#overrides)
  }

  all (): Limit[] { return [...this.#base, ...this.#overrides] }

  match (route: RouteKey): Limit | undefined {
    return this.#overrideIndex.match(route) ?? this.#baseIndex.match(route)
  }
}

/**
 * The counter a request adds to: the limit's identity (so two limits never share a counter), the
 * partner tenant and, per customer, the customer id from the path (lower-cased: ids are GUIDs and the
 * path's case must not open a second counter).
 */
export function counterKey (limit: Limit, route: RouteKey, partnerTenantId: string, customerId: string | undefined): string {
  const scope = limit.scope ?? (customerId === undefined ? 'partner' : 'partnerCustomer')
  const which = limit.operation ?? `path:${shapeOf(limit.pathPattern ?? route.url)}`
  const customer = scope === 'partnerCustomer' && customerId !== undefined ? `:${customerId.toLowerCase()}` : ''
  return `${which}:${partnerTenantId.toLowerCase()}${customer}`
}
