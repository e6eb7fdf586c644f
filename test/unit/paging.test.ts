// Seek paging (src/lib/paging.ts): continuation tokens, seekOperation, JSON filters, first and next pages.
import t from 'tap'
import {
  decodeContinuation, encodeContinuation, isSeekNext, parseJsonFilter, seekCollection, seekStart, type JsonFilter
} from '../../src/lib/paging.js'

const BAD = { name: 'ApiError', statusCode: 400, code: 800002 }

interface Key { createdAt: string, id: string }
const isKey = (value: unknown): value is Key =>
  value !== null && typeof value === 'object' &&
  typeof (value as Key).createdAt === 'string' && typeof (value as Key).id === 'string'
const isFilter = (value: unknown): value is JsonFilter =>
  value !== null && typeof value === 'object' && typeof (value as JsonFilter).field === 'string'
const EXAMPLE = '{"Field":"Status","Value":"active","Operator":"equals"}'
const rules = {
  isKey,
  isFilter,
  parseFilter: (raw: string | undefined) => raw === undefined ? undefined : parseJsonFilter(raw, EXAMPLE)
}
const tokenOf = (json: string) => Buffer.from(json).toString('base64url')

t.test('encodeContinuation / decodeContinuation', async (t) => {
  const state = { after: { createdAt: '2025-01-01T00:00:00.000Z', id: 'a?>~ü' }, filter: { field: 'status', value: 'x', operator: 'equals' } }
  const token = encodeContinuation(state)
  t.match(token, /^[A-Za-z0-9_-]+$/, 'URL-safe, unpadded')
  t.same(decodeContinuation(token, isKey), state)
  t.same(decodeContinuation(encodeContinuation({ after: { createdAt: 'c', id: 'i' } }), isKey), { after: { createdAt: 'c', id: 'i' } })
  t.not(encodeContinuation({ after: { createdAt: 'c', id: 'j' } }), encodeContinuation({ after: { createdAt: 'c', id: 'i' } }))
})

t.test('decodeContinuation refuses invalid tokens with 800002', async (t) => {
  t.throws(() => decodeContinuation('', isKey), BAD, 'empty')
  t.throws(() => decodeContinuation('not a token', isKey), BAD, 'not base64url')
  t.throws(() => decodeContinuation(tokenOf('{"after":'), isKey), BAD, 'truncated JSON')
  t.throws(() => decodeContinuation(tokenOf('null'), isKey), BAD, 'null')
  t.throws(() => decodeContinuation(tokenOf('"text"'), isKey), BAD, 'a string')
  t.throws(() => decodeContinuation(tokenOf('[1]'), isKey), BAD, 'an array')
  t.throws(() => decodeContinuation(tokenOf('{}'), isKey), BAD, 'no after')
  t.throws(() => decodeContinuation(tokenOf('{"after":1}'), isKey), BAD, 'after of the wrong type')
  t.throws(() => decodeContinuation(tokenOf('{"after":{"id":"i"}}'), isKey), BAD, 'after missing a key part')
  t.throws(() => decodeContinuation(encodeContinuation({ after: 'plain' }), isKey), BAD, 'a token of another list')
})

t.test('isSeekNext', async (t) => {
  t.equal(isSeekNext(undefined), false)
  t.equal(isSeekNext('Next'), true)
  t.equal(isSeekNext('next'), true)
  t.equal(isSeekNext('NEXT'), true)
  t.equal(isSeekNext('0'), true, 'the SDK enum value')
  for (const other of ['Previous', 'First', '1', '', 'Next ', 'nextpage', '00']) {
    t.throws(() => isSeekNext(other), BAD, JSON.stringify(other))
  }
  t.throws(() => isSeekNext('Previous'), { message: /seekOperation Previous is not supported/ })
})

t.test('parseJsonFilter', async (t) => {
  t.same(parseJsonFilter(EXAMPLE, EXAMPLE), { field: 'status', value: 'active', operator: 'equals' })
  t.same(parseJsonFilter('{"field":"CompanyName","value":"Contoso","operator":"starts_with"}', EXAMPLE),
    { field: 'companyname', value: 'Contoso', operator: 'starts_with' }, 'field and operator lower-cased, value as sent')
  t.same(parseJsonFilter('{"FIELD":"Domain","VaLuE":42,"OPERATOR":"Equals"}', EXAMPLE),
    { field: 'domain', value: 42, operator: 'equals' }, 'keys in any case')
  for (const raw of ['', 'status eq active', '{"Field":', "{'Field':'x'}"]) {
    t.throws(() => parseJsonFilter(raw, EXAMPLE), BAD, JSON.stringify(raw))
  }
  t.throws(() => parseJsonFilter('nope', EXAMPLE), { message: `The filter must be JSON, e.g. ${EXAMPLE}.` }, 'the example goes into the error')
})

t.test('seekStart', async (t) => {
  t.same(seekStart({}, undefined, rules), { filter: undefined }, 'first page, no filter')
  const first = seekStart({ filter: EXAMPLE }, undefined, rules)
  t.same(first, { filter: { field: 'status', value: 'active', operator: 'equals' } }, 'first page, filtered')
  t.notOk('after' in first)
  t.throws(() => seekStart({ filter: 'oops' }, undefined, rules), BAD)

  const after = { createdAt: '2025-01-01T00:00:00.000Z', id: 'c-3' }
  const filter = { field: 'status', value: 'active', operator: 'equals' }
  const token = encodeContinuation({ after, filter })
  t.same(seekStart({}, token, rules), { filter: undefined }, 'a token without seekOperation=Next starts over')

  t.throws(() => seekStart({ seekOperation: 'Next' }, undefined, rules), BAD, 'Next without the header')
  t.throws(() => seekStart({ seekOperation: 'Next' }, '', rules), { ...BAD, message: /MS-ContinuationToken/ })
  t.throws(() => seekStart({ seekOperation: 'Next' }, 'garbage!', rules), BAD)
  t.throws(() => seekStart({ seekOperation: 'Previous' }, token, rules), BAD)

  t.same(seekStart({ seekOperation: 'Next' }, token, rules), { after, filter }, 'the filter comes from the token')
  t.same(seekStart({ seekOperation: '0', filter: '{"Field":"Domain","Value":"x","Operator":"equals"}' }, token, rules),
    { after, filter }, 'a filter sent with Next is ignored')
  t.same(seekStart({ seekOperation: 'next' }, encodeContinuation({ after }), rules), { after, filter: undefined })
  t.same(seekStart({ seekOperation: 'next' }, encodeContinuation({ after, filter: 'not a filter' }), rules),
    { after, filter: undefined }, 'a carried value that is not a filter is dropped')
})

t.test('seekCollection', async (t) => {
  const rows = [1, 2, 3, 4].map((n) => ({ createdAt: `2025-01-0${n}`, id: `c-${n}` }))
  const page = { keyOf: (row: Key) => row, filter: { field: 'status' }, item: (row: Key) => ({ id: row.id }), self: '/customers?size=3', next: '/customers?size=3&seekOperation=Next' }

  const full = seekCollection(rows, 3, page)
  t.equal(full.totalCount, 3)
  t.same(full.items, [{ id: 'c-1' }, { id: 'c-2' }, { id: 'c-3' }], 'the extra row is not returned')
  t.same(full.attributes, { objectType: 'Collection' })
  t.same(full.links.self, { uri: '/customers?size=3', method: 'GET', headers: [] })
  const token = full.continuationToken
  t.type(token, 'string')
  t.same(full.links.next, { uri: '/customers?size=3&seekOperation=Next', method: 'GET', headers: [{ key: 'MS-ContinuationToken', value: token }] })
  t.same(decodeContinuation(token!, isKey), { after: rows[2], filter: { field: 'status' } }, 'after the last returned row')

  for (const [name, slice] of [['exactly size rows', rows.slice(0, 3)], ['fewer rows', rows.slice(0, 1)], ['no rows', []]] as const) {
    const last = seekCollection(slice, 3, page)
    t.equal(last.totalCount, slice.length, name)
    t.notOk('next' in last.links, `${name}: no next link`)
    t.notOk('continuationToken' in last, `${name}: no token`)
  }
})
