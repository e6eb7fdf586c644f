// Seek paging: an opaque continuation token carrying the last row's sort key (and the filter),
// decoded into a keyset condition. Tokens are base64url JSON; a token that does not decode is a 400.
import { invalidRequest } from '../errors.js'
import { link } from '../schemas/common.js'

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

/** A Partner Center `filter` query: URL-encoded JSON `{"Field","Value","Operator"}`, keys in any case. */
export interface JsonFilter { field: string, value: unknown, operator: string }

/** Parses a `filter` query; `field` and `operator` come back lower-cased. `example` goes into the error. */
export function parseJsonFilter (raw: string, example: string): JsonFilter {
  let parsed: unknown
  try {
    parsed = JSON.parse(raw)
  } catch {
    throw invalidRequest(`The filter must be JSON, e.g. ${example}.`)
  }
  const entries = Object.entries(parsed !== null && typeof parsed === 'object' ? parsed : {})
  const get = (name: string) => entries.find(([k]) => k.toLowerCase() === name)?.[1]
  return { field: String(get('field')).toLowerCase(), value: get('value'), operator: String(get('operator')).toLowerCase() }
}

export interface SeekQuery { seekOperation?: string | undefined, filter?: string | undefined }

/**
 * Where a seek-paged list starts: the first page, filtered by the query's `filter`; or, for
 * `seekOperation=Next`, after the key in the MS-ContinuationToken header, with the filter it carries.
 */
export function seekStart<K, F> (query: SeekQuery, continuationToken: string | undefined, rules: {
  isKey: (value: unknown) => value is K
  parseFilter: (raw: string | undefined) => F | undefined
  isFilter: (value: unknown) => value is F
}): { after?: K, filter?: F | undefined } {
  if (!isSeekNext(query.seekOperation)) return { filter: rules.parseFilter(query.filter) }
  if (!continuationToken) throw invalidRequest('seekOperation=Next needs the MS-ContinuationToken header from the previous page.')
  const state = decodeContinuation(continuationToken, rules.isKey)
  return { after: state.after, filter: rules.isFilter(state.filter) ? state.filter : undefined }
}

/**
 * The collection for one page, given `size + 1` rows: the extra row only says that a next page
 * exists, whose token carries the last row's key and the filter.
 */
export function seekCollection<R, T, K> (rows: readonly R[], size: number, page: {
  keyOf: (row: R) => K
  filter: unknown
  item: (row: R) => T
  self: string
  next: string
}) {
  const items = rows.slice(0, size)
  const last = items.at(-1)
  const continuationToken = rows.length > size && last !== undefined ? encodeContinuation({ after: page.keyOf(last), filter: page.filter }) : undefined
  return {
    totalCount: items.length,
    items: items.map(page.item),
    links: {
      self: link(page.self),
      ...(continuationToken ? { next: link(page.next, 'GET', [{ key: 'MS-ContinuationToken', value: continuationToken }]) } : {})
    },
    ...(continuationToken ? { continuationToken } : {}),
    attributes: { objectType: 'Collection' }
  }
}
