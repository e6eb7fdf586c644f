// Identifier and key helpers shared by the wire conventions, the auth hook and the services.

/** A GUID in any case (Partner Center ids are often upper case). */
export const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

export const isGuid = (value: unknown): value is string => typeof value === 'string' && GUID.test(value)

/** Values we echo back in MS-RequestId / MS-CorrelationId: printable, short, header-safe. */
const TRACE_ID = /^[A-Za-z0-9._:-]{1,128}$/

/** The client's trace id when it is header-safe, a new GUID otherwise. */
export function traceId (value: string | string[] | undefined): string {
  return typeof value === 'string' && TRACE_ID.test(value) ? value : crypto.randomUUID()
}

/**
 * `record[key]` when `key` is one of the record's own keys: a key from a request or a token
 * ("constructor", "__proto__") never reaches Object.prototype.
 */
export const ownValue = <T>(record: Readonly<Record<string, T>>, key: string): T | undefined =>
  Object.hasOwn(record, key) ? record[key] : undefined
