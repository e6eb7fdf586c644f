// Identifier helpers shared by the wire conventions and the auth hook.

/** A GUID in any case (Partner Center ids are often upper case). */
export const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

export const isGuid = (value: unknown): value is string => typeof value === 'string' && GUID.test(value)

/** Values we echo back in MS-RequestId / MS-CorrelationId: printable, short, header-safe. */
const TRACE_ID = /^[A-Za-z0-9._:-]{1,128}$/

/** The client's trace id when it is header-safe, a new GUID otherwise. */
export function traceId (value: string | string[] | undefined): string {
  return typeof value === 'string' && TRACE_ID.test(value) ? value : crypto.randomUUID()
}
