// Route-level hooks, added from an onRoute hook so that each route pays only for the hooks it needs.
// Fastify runs them after the hooks of the route's scopes.

/** The route's hooks of one kind (a function, a list or none) followed by `hook`. */
export function withHook<T> (existing: T | T[] | undefined, hook: T): T[] {
  if (existing === undefined) return [hook]
  return Array.isArray(existing) ? [...existing, hook] : [existing, hook]
}

/** `hook` followed by the route's own hooks of that kind: for checks that must come before anything the route declares. */
export function withFirstHook<T> (existing: T | T[] | undefined, hook: T): T[] {
  if (existing === undefined) return [hook]
  return Array.isArray(existing) ? [hook, ...existing] : [hook, existing]
}
