// PostgreSQL error codes, read in one place. Services ask what kind of failure a database error is
// (a unique key taken, a row another one still refers to, a transaction that lost a race) instead of
// comparing SQLSTATE codes themselves; the error handler maps what no service expected.

/** SQLSTATE codes the service tells apart (https://www.postgresql.org/docs/current/errcodes-appendix.html). */
const CODES = {
  uniqueViolation: '23505',
  foreignKeyViolation: '23503',
  serializationFailure: '40001',
  deadlockDetected: '40P01',
  lockNotAvailable: '55P03',
  queryCanceled: '57014'
} as const

export type DatabaseErrorKind = keyof typeof CODES

const KIND_OF_CODE = new Map<string, DatabaseErrorKind>(Object.entries(CODES).map(([kind, code]) => [code, kind as DatabaseErrorKind]))

/** What kind of database failure `error` is, or undefined for any other error. */
export function databaseErrorKind (error: unknown): DatabaseErrorKind | undefined {
  const code = (error as { code?: unknown } | null)?.code
  return typeof code === 'string' ? KIND_OF_CODE.get(code) : undefined
}

/** Node's network errors and pg's own messages for a connection that failed, broke or timed out. */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN'])
const CONNECTION_MESSAGES = /Connection terminated|timeout exceeded when trying to connect|Query read timeout|not queryable|Connection ended unexpectedly/i
/** SQLSTATE of an unreachable or stopping server: connection exceptions (08…), shutdown (57P01–57P03), too many connections, a cancelled (timed-out) statement. */
const UNAVAILABLE_STATES = /^(08...|57P0[123]|53300|57014)$/

/**
 * The database is out of reach: the connection was refused, lost or timed out, or the server is
 * shutting down or cancelled the statement at its timeout. A retry later may succeed: 503.
 */
export function isDatabaseUnavailable (error: unknown): boolean {
  if (error instanceof AggregateError) return error.errors.some(isDatabaseUnavailable)
  const { code, message } = (error ?? {}) as { code?: unknown, message?: unknown }
  if (typeof code === 'string' && (NETWORK_CODES.has(code) || UNAVAILABLE_STATES.test(code))) return true
  return typeof message === 'string' && CONNECTION_MESSAGES.test(message)
}

/** A unique index refused the row: two writers raced for one key, or the key is taken. */
export const isUniqueViolation = (error: unknown): boolean => databaseErrorKind(error) === 'uniqueViolation'
