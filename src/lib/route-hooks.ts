// Route-level hooks, added from an onRoute hook so that each route pays only for the hooks it needs.
// Fastify runs them after the hooks of the route's scopes.

/** A route option that Fastify takes as one value, a list or none (hooks, methods) as a list. */
export const listOf = <T>(value: T | T[] | undefined): T[] => value === undefined ? [] : Array.isArray(value) ? value : [value]

/** The route's hooks of one kind followed by `hook`. */
export const withHook = <T>(existing: T | T[] | undefined, hook: T): T[] => [...listOf(existing), hook]

/** `hook` followed by the route's own hooks of that kind: for checks that must come before anything the route declares. */
export const withFirstHook = <T>(existing: T | T[] | undefined, hook: T): T[] => [hook, ...listOf(existing)]
