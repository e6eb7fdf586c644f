// The Graph OData subset (src/lib/odata.ts): $filter, $orderby, $top, $count, $skiptoken paging, graphListLinks.
import t from 'tap'
import { graphListLinks, odataPage, type ODataFields, type ODataQuery } from '../../src/lib/odata.js'

const BAD = { name: 'ApiError', statusCode: 400, code: 800002, graphCode: 'BadRequest' }

interface Item { id: string, displayName: string, status: string, tenant: string | null }
const item = (id: string, displayName: string, status: string, tenant: string | null = null): Item => ({ id, displayName, status, tenant })
const ITEMS = [
  item('1', 'Contoso', 'active', 't-1'),
  item('2', 'Fabrikam', 'expired', 't-2'),
  item('3', "O'Brien Ltd", 'ACTIVE', 't-3'),
  item('4', 'adatum', 'terminated'),
  item('5', 'Bellows', 'active', 't-1')
]
const FIELDS: ODataFields<Item> = {
  displayName: (i) => i.displayName,
  status: (i) => i.status,
  'customer/tenantId': (i) => i.tenant
}
const BASE = 'https://pce.example'
const LINKS = graphListLinks(BASE, 'delegatedAdminRelationships', '/v1.0/tenantRelationships/delegatedAdminRelationships?$top=2')
const ids = (query: ODataQuery, items: readonly Item[] = ITEMS) => odataPage(items, query, FIELDS, LINKS).value.map((i) => i.id)
const skiptokenOf = (offset: string) => Buffer.from(offset).toString('base64url')

t.test('graphListLinks', async (t) => {
  t.same(LINKS, {
    context: `${BASE}/v1.0/$metadata#delegatedAdminRelationships`,
    url: `${BASE}/v1.0/tenantRelationships/delegatedAdminRelationships`
  }, 'the url drops the query string')
  t.equal(graphListLinks(BASE, 'x', '/v1.0/a/b').url, `${BASE}/v1.0/a/b`)
})

t.test('no query: everything, in order, one page', async (t) => {
  const page = odataPage(ITEMS, {}, FIELDS, LINKS)
  t.same(page, { '@odata.context': LINKS.context, value: ITEMS })
  t.not(page.value, ITEMS, 'a copy, not the input array')
})

t.test('$filter', async (t) => {
  t.same(ids({ $filter: "status eq 'active'" }), ['1', '3', '5'], 'values compare case-insensitively')
  t.same(ids({ $filter: "STATUS EQ 'Active'" }), ['1', '3', '5'], 'property names and eq in any case')
  t.same(ids({ $filter: "status eq 'active' and customer/tenantId eq 't-1'" }), ['1', '5'])
  t.same(ids({ $filter: "status eq 'active' AND displayName eq 'contoso'" }), ['1'], 'and in any case')
  t.same(ids({ $filter: "  displayName   eq  'O''Brien Ltd'  " }), ['3'], "'' is a quote")
  t.same(ids({ $filter: "displayName eq 'nobody'" }), [])
  t.same(ids({ $filter: "status eq 'active' and status eq 'expired'" }), [], 'clauses are all required')
})

t.test('$filter errors', async (t) => {
  t.throws(() => ids({ $filter: "colour eq 'red'" }), { ...BAD, message: /colour is not supported here; use one of displayName, status, customer\/tenantId/ })
  t.throws(() => ids({ $filter: "status eq 'active' and colour eq 'red'" }), BAD, 'an unknown property in a later clause')
  for (const clause of ["status ne 'active'", 'status eq active', "status eq 'a' or status eq 'b'", "eq 'x'",
    "status eq 'it's'", "status eq 'active' and", "startswith(displayName, 'C')", "1status eq 'x'"]) {
    t.throws(() => ids({ $filter: clause }), { ...BAD, message: /Invalid filter clause/ }, clause)
  }
})

t.test('$orderby', async (t) => {
  t.same(ids({ $orderby: 'displayName' }), ['4', '5', '1', '2', '3'], 'ascending by default')
  t.same(ids({ $orderby: 'displayName asc' }), ['4', '5', '1', '2', '3'])
  t.same(ids({ $orderby: 'DisplayName DESC' }), ['3', '2', '1', '5', '4'])
  t.same(ids({ $filter: "status eq 'active'", $orderby: 'displayName desc' }), ['3', '1', '5'], 'filter then order')
  t.throws(() => ids({ $orderby: 'colour' }), BAD)
  t.throws(() => ids({ $orderby: 'displayName sideways' }), { ...BAD, message: /Invalid \$orderby/ })
  t.throws(() => ids({ $orderby: 'displayName, status' }), BAD)
})

t.test('$top and $count', async (t) => {
  const many = Array.from({ length: 310 }, (_, n) => item(String(n), `n${n}`, 'active'))
  t.equal(ids({}, many).length, 300, 'at most 300 without $top')
  t.equal(ids({ $top: 500 }, many).length, 300, '$top is capped at 300')
  t.equal(ids({ $top: 300 }, many).length, 300)
  t.same(ids({ $top: 2 }), ['1', '2'])

  const counted = odataPage(ITEMS, { $filter: "status eq 'active'", $top: 1, $count: true }, FIELDS, LINKS)
  t.equal(counted['@odata.count'], 3, 'the count of all matches, not of the page')
  t.equal(counted.value.length, 1)
  t.notOk('@odata.count' in odataPage(ITEMS, { $count: false }, FIELDS, LINKS))
  t.notOk('@odata.count' in odataPage(ITEMS, {}, FIELDS, LINKS))
})

t.test('$skiptoken paging through @odata.nextLink', async (t) => {
  const query: ODataQuery = { $filter: "status eq 'active'", $orderby: 'displayName desc', $top: 2, $count: true }
  const first = odataPage(ITEMS, query, FIELDS, LINKS)
  t.same(first.value.map((i) => i.id), ['3', '1'])
  const next = new URL(first['@odata.nextLink']!)
  t.equal(`${next.origin}${next.pathname}`, LINKS.url, 'the next link is the list url')
  t.equal(next.searchParams.get('$filter'), query.$filter, 'it keeps the query')
  t.equal(next.searchParams.get('$orderby'), 'displayName desc')
  t.equal(next.searchParams.get('$top'), '2')
  t.equal(next.searchParams.get('$count'), 'true')

  const second = odataPage(ITEMS, { ...query, $skiptoken: next.searchParams.get('$skiptoken')! }, FIELDS, LINKS)
  t.same(second.value.map((i) => i.id), ['5'])
  t.equal(second['@odata.count'], 3)
  t.notOk('@odata.nextLink' in second, 'the last page has no next link')

  const seen: string[] = []
  let page = odataPage(ITEMS, { $top: 2 }, FIELDS, LINKS)
  for (let hops = 0; hops < 10; hops++) {
    seen.push(...page.value.map((i) => i.id))
    const link = page['@odata.nextLink']
    if (!link) break
    page = odataPage(ITEMS, { $top: 2, $skiptoken: new URL(link).searchParams.get('$skiptoken')! }, FIELDS, LINKS)
  }
  t.same(seen, ['1', '2', '3', '4', '5'], 'following next links visits every item once')

  t.same(ids({ $skiptoken: skiptokenOf('4') }), ['5'])
  t.same(ids({ $skiptoken: skiptokenOf('99') }), [], 'past the end: an empty page')
  t.notOk('@odata.nextLink' in odataPage(ITEMS, { $skiptoken: skiptokenOf('99') }, FIELDS, LINKS))
  t.notOk('@odata.nextLink' in odataPage(ITEMS, { $top: 5 }, FIELDS, LINKS), 'exactly one full page')
})

t.test('bad $skiptoken', async (t) => {
  for (const offset of ['abc', '-1', '1.5', 'NaN']) {
    t.throws(() => ids({ $skiptoken: skiptokenOf(offset) }), { ...BAD, message: 'The $skiptoken is not valid.' }, offset)
  }
})

t.test('a quoted value may contain " and "', async (t) => {
  const items = [{ status: 'active', displayName: 'Tom and Jerry' }, { status: 'active', displayName: 'Tom' }]
  const fields = { status: (x: { status: string }) => x.status, displayName: (x: { displayName: string }) => x.displayName }
  const page = odataPage(items, { $filter: "displayName eq 'Tom and Jerry' and status eq 'active'" }, fields, { context: 'c', url: 'u' })
  t.same(page.value.map((x) => x.displayName), ['Tom and Jerry'])
  t.throws(() => odataPage(items, { $filter: "displayName eq 'Tom' or status eq 'active'" }, fields, { context: 'c', url: 'u' }),
    { statusCode: 400, message: /Invalid filter clause: or status/ }, 'anything but and between clauses is refused')
})
