// Seek paging: an opaque continuation token carrying the last row's sort key (and the filter),
// decoded into a keyset condition. Tokens are base64url JSON; a token that does not decode is a 400.
import { invalidRequest } from '../errors.js'

export interface SeekState<K> {
  /** The sort key of the last row of the previous page. */
  after: K
  /** The filter of the first request, carried so that "Next" calls need not repeat it. */
  filter?: unknown
}

export function encodeContinuation<K> (state: SeekState<K>): string {
  return Buffer.from(JSON.stringify(state)).toString('base64url')
}

export function decodeContinuation<K> (token: string, isKey: (value: unknown) => value is K): SeekState<K> {
  let parsed: unknown
  try {
    parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'))
  } catch {
    throw invalidRequest('The continuation token is not valid.')
  }
  if (parsed === null || typeof parsed !== 'object' || !isKey((parsed as SeekState<K>).after)) {
    throw invalidRequest('The continuation token is not valid.')
  }
  return parsed as SeekState<K>
}

/** Reads `seekOperation`: only Next (name or its SDK enum value 0) is supported. */
export function isSeekNext (seekOperation: string | undefined): boolean {
  if (seekOperation === undefined) return false
  if (/^(next|0)$/i.test(seekOperation)) return true
  throw invalidRequest(`seekOperation ${seekOperation} is not supported; use Next with the MS-ContinuationToken header.`)
}
