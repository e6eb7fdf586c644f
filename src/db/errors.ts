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

/** A unique index refused the row: two writers raced for one key, or the key is taken. */
export const isUniqueViolation = (error: unknown): boolean => databaseErrorKind(error) === 'uniqueViolation'
