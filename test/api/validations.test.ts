// Address validation and address rules by market, through the real app: every status from the rules
// and the address alone, the same address always getting the same answer, and the auth policy.
import t from 'tap'
import { build, call, mint, userToken, USERS } from '../helper.js'

const app = await build(t)
const admin = await userToken(app, USERS.adminAgent)
const validate = (payload: Record<string, unknown>, token = admin) => call(app, token, { method: 'POST', url: '/v1/validations/address', payload })
const microsoft = { AddressLine1: '1 Microsoft Way', City: 'Redmond', State: 'WA', PostalCode: '98052', Country: 'US' }

t.test('a US address is VerifiedShippable with its ZIP+4 (the page\'s sample, PascalCase)', async (t) => {
  const res = await validate(microsoft)
  t.equal(res.statusCode, 200, res.body)
  const body = res.json()
  t.match(body, {
    originalAddress: { country: 'US', city: 'Redmond', state: 'WA', addressLine1: '1 Microsoft Way', postalCode: '98052' },
    suggestedAddresses: [{ country: 'US', city: 'Redmond', state: 'WA', addressLine1: '1 Microsoft Way', postalCode: /^98052-\d{4}$/ }],
    status: 'VerifiedShippable'
  })
  t.notOk('validationMessage' in body)
  t.same((await validate(microsoft)).json(), body, 'deterministic')
  const other = (await validate({ ...microsoft, AddressLine1: '2 Microsoft Way' })).json()
  t.not(other.suggestedAddresses[0].postalCode, body.suggestedAddresses[0].postalCode, 'the ZIP+4 follows the street')
  const given = (await validate({ ...microsoft, PostalCode: '980521234' })).json()
  t.equal(given.suggestedAddresses[0].postalCode, '98052-1234', 'a ZIP+4 sent without its dash is kept, written with it')
})

t.test('casing and postal codes are normalised in the suggestion; the original stays as sent', async (t) => {
  const gb = (await validate({ country: 'gb', addressLine1: '10 DOWNING STREET', city: 'london', postalCode: 'sw1a2aa' })).json()
  t.match(gb, { status: 'Verified', originalAddress: { country: 'GB', city: 'london', postalCode: 'sw1a2aa' } })
  t.match(gb.suggestedAddresses, [{ country: 'GB', addressLine1: '10 Downing Street', city: 'London', postalCode: 'SW1A 2AA' }])
  const ca = (await validate({ country: 'CA', addressLine1: '100 queen street west', city: 'Toronto', state: 'on', postalCode: 'm5h2n2' })).json()
  t.match(ca, { status: 'VerifiedShippable', suggestedAddresses: [{ state: 'ON', postalCode: 'M5H 2N2', addressLine1: '100 Queen Street West' }] })
  const jp = (await validate({ country: 'JP', addressLine1: '2-16-3 Konan', city: 'Minato-ku', postalCode: '1080075' })).json()
  t.match(jp, { status: 'Verified', suggestedAddresses: [{ postalCode: '108-0075', city: 'Minato-ku' }] })
  const de = (await validate({ country: 'DE', addressLine1: 'Unter den Linden 17', city: 'Berlin', postalCode: '10117' })).json()
  t.match(de, { status: 'Verified', suggestedAddresses: [{ addressLine1: 'Unter den Linden 17' }] }, 'mixed case is kept')
})

t.test('a state written out in full becomes its code, for the user to confirm: InteractionRequired', async (t) => {
  const res = (await validate({ ...microsoft, State: 'washington' })).json()
  t.match(res, { status: 'InteractionRequired', suggestedAddresses: [{ state: 'WA' }], validationMessage: /WA/ })
})

t.test('no house number: StreetPartial with three numbered suggestions (the page\'s second sample)', async (t) => {
  const res = (await validate({ ...microsoft, AddressLine1: 'Microsoft Way' })).json()
  t.equal(res.status, 'StreetPartial')
  t.same(res.suggestedAddresses.map((a: { addressLine1: string }) => a.addressLine1), ['1 Microsoft Way', '2 Microsoft Way', '3 Microsoft Way'])
  t.match(res.validationMessage, /AddressLine1/)
  const de = (await validate({ country: 'DE', addressLine1: 'Unter den Linden', city: 'Berlin', postalCode: '10117' })).json()
  t.equal(de.suggestedAddresses[0].addressLine1, 'Unter den Linden 1', 'the number after the street where the market writes it so')
})

t.test('fields the market requires or cannot read: None, naming them', async (t) => {
  const res = (await validate({ Country: 'US', AddressLine1: '1 Microsoft Way', State: 'XX', PostalCode: '9805' })).json()
  t.match(res, { status: 'None', suggestedAddresses: [], validationMessage: "Address field invalid for property: 'City', 'Region', 'PostalCode'" })
  const fr = (await validate({ country: 'FR', addressLine1: '10 rue de Rivoli', city: 'Paris', postalCode: 'ABCDE' })).json()
  t.match(fr, { status: 'None', validationMessage: /'PostalCode'/ })
  const au = (await validate({ country: 'AU', addressLine1: '1 George St', city: 'Sydney', postalCode: '2000' })).json()
  t.match(au, { status: 'None', validationMessage: /'Region'/ }, 'Australia requires a state')
})

t.test('a market without rules: NotValidated', async (t) => {
  const res = (await validate({ country: 'BR', addressLine1: 'Av. Paulista 1000', city: 'São Paulo' })).json()
  t.match(res, { status: 'NotValidated', suggestedAddresses: [], originalAddress: { country: 'BR' } })
})

t.test('bad input is a 400 in the Partner Center envelope', async (t) => {
  for (const [name, payload] of [['no country', { city: 'Redmond' }], ['a three-letter country', { ...microsoft, Country: 'USA' }], ['a city too long', { ...microsoft, City: 'x'.repeat(101) }], ['no body', undefined]] as const) {
    const res = await call(app, admin, { method: 'POST', url: '/v1/validations/address', ...(payload ? { payload } : {}) })
    t.equal(res.statusCode, 400, name)
    t.match(res.json(), { code: 800002, source: 'PartnerFD' }, name)
  }
})

t.test('GET /v1/countryvalidationrules/{countryCode}', async (t) => {
  const res = await call(app, await mint(app), { url: '/v1/countryvalidationrules/us' })
  t.equal(res.statusCode, 200, 'app-only tokens may')
  const us = res.json()
  t.match(us, {
    iso2Code: 'US', iso3Code: 'USA', defaultCulture: 'en-US', isStateRequired: true, isPostalCodeRequired: true, isCityRequired: true,
    postalCodeRegex: '^\\d{5}(-\\d{4})?$', supportedLanguagesList: ['en', 'es'], countryCallingCodesList: ['1'], attributes: { objectType: 'CountryInformation' }
  })
  t.equal(us.supportedStatesList.length, 51)
  t.ok(us.supportedStatesList.includes('WA'))
  t.notOk('stateNames' in us || 'postalCodeFormat' in us, 'the emulator\'s own fields stay inside')
  const gb = (await call(app, admin, { url: '/v1/countryvalidationrules/GB' })).json()
  t.match(gb, { isStateRequired: false, supportedStatesList: [] })
  t.ok(new RegExp(gb.postalCodeRegex).test('SW1A 2AA'), 'the regex the validator applies')
  t.match((await call(app, admin, { url: '/v1/countryvalidationrules/ZZ' })).json(), { code: 1000 })
  t.equal((await call(app, admin, { url: '/v1/countryvalidationrules/ZZ' })).statusCode, 404)
  t.equal((await call(app, admin, { url: '/v1/countryvalidationrules/USA' })).statusCode, 400)
})

t.test('roles: agents validate; a user without a partner role may not; app-only tokens may', async (t) => {
  t.equal((await validate(microsoft, await userToken(app, USERS.helpdeskAgent))).statusCode, 200)
  t.equal((await validate(microsoft, await mint(app))).statusCode, 200)
  const denied = await validate(microsoft, await userToken(app, USERS.noRole))
  t.equal(denied.statusCode, 403)
  t.equal(denied.json().code, 900150)
  t.equal((await app.inject({ method: 'POST', url: '/v1/validations/address', payload: microsoft })).statusCode, 401)
})
