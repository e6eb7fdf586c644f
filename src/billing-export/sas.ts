// Shared access signatures for export files, in the shape of Azure Storage's directory SAS
// (`sv=…&se=…&sr=d&sp=r&sig=…`): the manifest hands one out, and the file download accepts a request
// that carries it instead of a bearer token (the valet key pattern Microsoft's export uses). The
// signature is an HMAC-SHA256 (node:crypto) under the export's own key, so a token opens that export's
// files until it expires, and nothing else.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto'

/** The storage service version Azure's SAS tokens name; clients only pass it back. */
export const STORAGE_VERSION = '2021-08-06'
/** How long a manifest's token opens the files (Microsoft's sample token lasts 12 hours). */
export const SAS_LIFETIME_MS = 12 * 3_600_000

/** A new export's signing key. */
export const newSasKey = (): string => randomBytes(32).toString('base64url')

const signatureOf = (key: string, exportId: string, expiry: string) =>
  createHmac('sha256', Buffer.from(key, 'base64url')).update(`r\n${expiry}\n${exportId}\n${STORAGE_VERSION}`).digest()

/** A read-only token for every file of the export, valid until `expiresAt`. */
export function sasTokenFor (key: string, exportId: string, expiresAt: Date): string {
  const expiry = expiresAt.toISOString().replace(/\.\d{3}Z$/, 'Z')
  const params = new URLSearchParams({ sv: STORAGE_VERSION, se: expiry, sr: 'd', sp: 'r', sig: signatureOf(key, exportId, expiry).toString('base64') })
  return params.toString()
}

export type SasCheck = 'valid' | 'expired' | 'invalid'

/** Whether a request's query (`se`, `sig`, `sp`) is a token of this export, still valid at `now`. */
export function checkSas (key: string, exportId: string, query: { se?: string, sig?: string, sp?: string }, now: Date): SasCheck {
  if (!query.se || !query.sig || query.sp !== 'r') return 'invalid'
  const expected = signatureOf(key, exportId, query.se)
  const given = Buffer.from(query.sig, 'base64')
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return 'invalid'
  const expiry = Date.parse(query.se)
  return Number.isNaN(expiry) || expiry <= now.getTime() ? 'expired' : 'valid'
}
