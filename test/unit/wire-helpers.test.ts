// Wire helpers: ETags and If-Match (src/lib/etag.ts), case-insensitive body keys (src/lib/case-insensitive.ts), own-key lookups (src/lib/ids.ts).
import t from 'tap'
import { normalizeKeys } from '../../src/lib/case-insensitive.js'
import { etagOf, ifMatchSatisfied } from '../../src/lib/etag.js'
import { ownValue } from '../../src/lib/ids.js'
import { parseCustomerFilter } from '../../src/api/customers/service.js'

t.test('etagOf', async (t) => {
  const etag = etagOf('c-1', 3)
  t.equal(etagOf('c-1', 3), etag, 'stable for the same id and version')
  t.same(JSON.parse(Buffer.from(etag, 'base64').toString('utf8')), { id: 'c-1', version: 3 }, 'base64 of {"id","version"}')
  t.match(etag, /^[A-Za-z0-9+/]+=*$/)
  t.not(etagOf('c-1', 4), etag, 'a new version, a new ETag')
  t.not(etagOf('c-2', 3), etag, 'another resource, another ETag')
})

t.test('ifMatchSatisfied', async (t) => {
  const etag = etagOf('c-1', 3)
  t.ok(ifMatchSatisfied(etag, etag), 'bare')
  t.ok(ifMatchSatisfied(`"${etag}"`, etag), 'quoted')
  t.ok(ifMatchSatisfied(`W/"${etag}"`, etag), 'weak')
  t.ok(ifMatchSatisfied(`  "${etag}"  `, etag), 'surrounding spaces')
  t.ok(ifMatchSatisfied('*', etag), 'any')
  t.ok(ifMatchSatisfied('"*"', etag))
  t.ok(ifMatchSatisfied(`"${etagOf('c-1', 2)}", "${etag}"`, etag), 'second of a list')
  t.ok(ifMatchSatisfied(`"${etag}",W/"other"`, etag), 'first of a list')
  t.ok(ifMatchSatisfied('"other", *', etag), 'a list with *')

  t.notOk(ifMatchSatisfied(etagOf('c-1', 2), etag), 'an older version')
  t.notOk(ifMatchSatisfied(`"${etagOf('c-2', 3)}"`, etag), 'another resource')
  t.notOk(ifMatchSatisfied('', etag), 'empty')
  t.notOk(ifMatchSatisfied('"other", "another"', etag), 'a list without it')
  t.notOk(ifMatchSatisfied(`"${etag.slice(0, -2)}"`, etag), 'a prefix is not a match')
  t.notOk(ifMatchSatisfied(`${etag}x`, etag))
})

const CART = {
  type: 'object',
  properties: {
    lineItems: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          catalogItemId: { type: 'string' },
          quantity: { type: 'integer' },
          provisioningContext: { type: 'object' },
          attributes: { type: 'object', properties: { objectType: { type: 'string' } } }
        }
      }
    },
    billingProfile: {
      anyOf: [
        { type: 'null' },
        { type: 'object', properties: { defaultAddress: { type: 'object', properties: { postalCode: { type: 'string' } } } } }
      ]
    },
    tags: { anyOf: [{ type: 'null' }, { type: 'array', items: { type: 'object', properties: { tagName: { type: 'string' } } } }] },
    attributes: { type: 'object', properties: { objectType: { type: 'string' } } }
  }
}

t.test('normalizeKeys renames keys to the schema spelling', async (t) => {
  const body = {
    LineItems: [
      { CatalogItemId: 'p:s:a', QUANTITY: 2, Attributes: { ObjectType: 'CartLineItem' } },
      { catalogItemId: 'p:s:b', quantity: 1 }
    ],
    Attributes: { OBJECTTYPE: 'Cart' }
  }
  t.same(normalizeKeys(body, CART), {
    lineItems: [
      { catalogItemId: 'p:s:a', quantity: 2, attributes: { objectType: 'CartLineItem' } },
      { catalogItemId: 'p:s:b', quantity: 1 }
    ],
    attributes: { objectType: 'Cart' }
  })
  t.same(body.LineItems[0], { CatalogItemId: 'p:s:a', QUANTITY: 2, Attributes: { ObjectType: 'CartLineItem' } }, 'the input is not changed')
})

t.test('normalizeKeys through anyOf', async (t) => {
  t.same(normalizeKeys({ BillingProfile: { DefaultAddress: { PostalCode: '98052' } } }, CART),
    { billingProfile: { defaultAddress: { postalCode: '98052' } } }, 'the object branch of a nullable object')
  t.same(normalizeKeys({ BillingProfile: null }, CART), { billingProfile: null })
  t.same(normalizeKeys({ Tags: [{ TagName: 'a' }, { tagname: 'b' }] }, CART), { tags: [{ tagName: 'a' }, { tagName: 'b' }] },
    'the array branch of a nullable array')
  const listOf = { anyOf: [{ type: 'null' }, { type: 'array', items: CART.properties.attributes }] }
  t.same(normalizeKeys([{ ObjectType: 'x' }], listOf), [{ objectType: 'x' }], 'a top-level array through anyOf')
})

t.test('normalizeKeys keeps what the schema does not name', async (t) => {
  t.same(normalizeKeys({ Extra: 1, LineItems: [{ Unknown: { Deep: true } }] }, CART),
    { Extra: 1, lineItems: [{ Unknown: { Deep: true } }] }, 'unknown keys stay as sent')
  t.same(normalizeKeys({ LineItems: [{ ProvisioningContext: { SomeKey: 'v' } }] }, CART),
    { lineItems: [{ provisioningContext: { SomeKey: 'v' } }] }, 'inside an object without properties, keys stay as sent')
  t.same(normalizeKeys({ LineItems: 'not an array', Attributes: 7 }, CART), { lineItems: 'not an array', attributes: 7 },
    'values of the wrong shape are renamed, not walked')
  const body = { A: 1 }
  t.equal(normalizeKeys(body, undefined), body, 'no schema: the value itself')
  t.equal(normalizeKeys('text', CART), 'text')
  t.equal(normalizeKeys(null, CART), null)
  t.equal(normalizeKeys(42, CART), 42)
})

t.test('normalizeKeys: exact spelling wins over a differently-cased duplicate', async (t) => {
  t.same(normalizeKeys({ LineItems: [{ quantity: 1 }], lineItems: [{ quantity: 2 }] }, CART), { lineItems: [{ quantity: 2 }] }, 'exact last')
  t.same(normalizeKeys({ lineItems: [{ quantity: 2 }], LineItems: [{ quantity: 1 }] }, CART), { lineItems: [{ quantity: 2 }] }, 'exact first')
  t.same(normalizeKeys({ Attributes: { ObjectType: 'a', objectType: 'b' } }, CART), { attributes: { objectType: 'b' } }, 'nested')
})

t.test('ownValue reads only a record\'s own keys', async (t) => {
  const record = { monthly: 'monthly' }
  t.equal(ownValue(record, 'monthly'), 'monthly')
  for (const key of ['constructor', '__proto__', 'toString', 'hasOwnProperty']) t.equal(ownValue(record, key), undefined, key)
})

t.test('a filter naming an Object.prototype member is a 400, not a field', async (t) => {
  for (const field of ['constructor', '__proto__', 'toString']) {
    t.throws(() => parseCustomerFilter(JSON.stringify({ Field: field, Value: 'a', Operator: 'starts_with' })),
      { statusCode: 400, message: /Field must be CompanyName or Domain/ }, field)
  }
})
