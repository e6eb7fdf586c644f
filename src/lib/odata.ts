// The small OData subset Graph's GDAP lists support: $filter with `eq` clauses joined by `and`,
// $orderby on one property, $top (at most 300), $count, and $skiptoken paging through
// @odata.nextLink. Lists are per partner and small, so they are filtered and paged in memory after
// the status of each item is derived from the clock.
import { ApiError } from '../errors.js'
import { pathOf } from './url.js'

export interface ODataQuery {
  $filter?: string | undefined
  $top?: number | undefined
  $orderby?: string | undefined
  $count?: boolean | undefined
  $skiptoken?: string | undefined
}

/** The properties a list can be filtered and ordered on, each read from an item as a string. */
export type ODataFields<T> = Record<string, (item: T) => string | null>

export interface ODataPage<T> {
  '@odata.context': string
  '@odata.count'?: number
  '@odata.nextLink'?: string
  value: T[]
}

const MAX_TOP = 300
/** One clause at the start of what is left of a $filter; a quoted value may itself contain " and ". */
const CLAUSE = /^\s*([A-Za-z][\w/]*)\s+eq\s+'((?:[^']|'')*)'\s*/i
const AND = /^and\s+/i
const ORDER = /^\s*([A-Za-z][\w/]*)(?:\s+(asc|desc))?\s*$/i

const badQuery = (message: string) => new ApiError(400, 800002, message, { graphCode: 'BadRequest' })

/** The links of a Graph list of `entity` answered at `requestUrl` (a path), for a service reached at `baseUrl`. */
export const graphListLinks = (baseUrl: string, entity: string, requestUrl: string) =>
  ({ context: `${baseUrl}/v1.0/$metadata#${entity}`, url: `${baseUrl}${pathOf(requestUrl)}` })

export function odataPage<T> (items: readonly T[], query: ODataQuery, fields: ODataFields<T>, links: { context: string, url: string }): ODataPage<T> {
  const fieldOf = (name: string) => {
    const key = Object.keys(fields).find((f) => f.toLowerCase() === name.toLowerCase())
    if (!key) throw badQuery(`Invalid query: ${name} is not supported here; use one of ${Object.keys(fields).join(', ')}.`)
    return fields[key]!
  }
  let result = [...items]
  for (const [name, value] of filterClauses(query.$filter ?? '')) {
    const read = fieldOf(name)
    result = result.filter((item) => (read(item) ?? '').toLowerCase() === value.toLowerCase())
  }
  if (query.$orderby) {
    const match = ORDER.exec(query.$orderby)
    if (!match) throw badQuery(`Invalid $orderby: ${query.$orderby}.`)
    const read = fieldOf(match[1]!)
    const direction = match[2]?.toLowerCase() === 'desc' ? -1 : 1
    result.sort((a, b) => direction * (read(a) ?? '').localeCompare(read(b) ?? ''))
  }
  const top = Math.min(query.$top ?? MAX_TOP, MAX_TOP)
  const offset = query.$skiptoken ? decodeSkipToken(query.$skiptoken) : 0
  const page: ODataPage<T> = { '@odata.context': links.context, value: result.slice(offset, offset + top) }
  if (query.$count) page['@odata.count'] = result.length
  if (offset + top < result.length) page['@odata.nextLink'] = nextLink(links.url, query, offset + top)
  return page
}

/** The (property, value) pairs of a $filter of `eq` clauses joined with `and`. */
function filterClauses (filter: string): Array<[string, string]> {
  const clauses: Array<[string, string]> = []
  let rest = filter.trim()
  while (rest !== '') {
    const match = CLAUSE.exec(rest)
    if (!match) throw badQuery(`Invalid filter clause: ${rest.split(/\s+and\s+/i)[0]!.trim()}. Use property eq 'value', joined with and.`)
    clauses.push([match[1]!, match[2]!.replace(/''/g, "'")])
    rest = rest.slice(match[0].length)
    const and = AND.exec(rest)
    if (and) rest = rest.slice(and[0].length)
    else if (rest !== '') throw badQuery(`Invalid filter clause: ${rest.trim()}. Use property eq 'value', joined with and.`)
  }
  return clauses
}

function decodeSkipToken (token: string): number {
  const offset = Number(Buffer.from(token, 'base64url').toString('utf8'))
  if (!Number.isInteger(offset) || offset < 0) throw badQuery('The $skiptoken is not valid.')
  return offset
}

function nextLink (url: string, query: ODataQuery, offset: number): string {
  const params = new URLSearchParams()
  for (const key of ['$filter', '$top', '$orderby', '$count'] as const) {
    if (query[key] !== undefined) params.set(key, String(query[key]))
  }
  params.set('$skiptoken', Buffer.from(String(offset)).toString('base64url'))
  return `${url}?${params.toString()}`
}
