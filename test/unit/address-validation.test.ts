// The address validator and the rules file it reads: every market's rules are self-consistent, and the
// answer is a function of the address alone.
import t from 'tap'
import { countryRules, RULE_MARKETS } from '../../src/addresses/rules.js'
import { validateAddress } from '../../src/addresses/validate.js'

t.test('every market: a well-formed regex, defaults among its cultures, state lists only where states are required', async (t) => {
  t.same([...RULE_MARKETS].sort(), ['AU', 'CA', 'DE', 'FR', 'GB', 'IN', 'JP', 'US'])
  for (const code of RULE_MARKETS) {
    const rules = countryRules(code.toLowerCase())!
    t.equal(rules.iso2Code, code)
    t.doesNotThrow(() => new RegExp(rules.postalCodeRegex), code)
    t.ok(rules.supportedCulturesList.includes(rules.defaultCulture), `${code} default culture`)
    if (rules.stateNames) t.ok(rules.isStateRequired, `${code} lists states it requires`)
  }
  t.equal(countryRules('constructor'), undefined, 'no prototype keys')
})

t.test('the same address, the same answer; the original is returned untouched', async (t) => {
  const address = { country: 'us', addressLine1: ' 1  microsoft way ', city: 'REDMOND', state: 'wa', postalCode: '98052' }
  const first = validateAddress({ ...address })
  t.same(validateAddress({ ...address }), first)
  t.same(first.originalAddress, address)
  t.match(first, { status: 'VerifiedShippable', suggestedAddresses: [{ country: 'US', addressLine1: '1 Microsoft Way', city: 'Redmond', state: 'WA' }] })
})

t.test('postal codes in their market\'s written form, or refused', async (t) => {
  const cases: Array<[string, string, string | undefined]> = [
    ['GB', 'ec1a1bb', 'EC1A 1BB'], ['CA', 'k1a 0b1', 'K1A 0B1'], ['JP', '100 0001', '100-0001'], ['IN', '110 001', '110001'],
    ['DE', '1011', undefined], ['US', '98052-12', undefined]
  ]
  for (const [country, postalCode, expected] of cases) {
    const state = country === 'US' ? 'WA' : country === 'CA' ? 'ON' : country === 'IN' ? 'DL' : undefined
    const result = validateAddress({ country, addressLine1: '1 Main Street', city: 'Town', postalCode, ...(state ? { state } : {}) })
    if (expected) t.equal(result.suggestedAddresses[0]?.postalCode, expected, `${country} ${postalCode}`)
    else t.match(result, { status: 'None', validationMessage: /'PostalCode'/ }, `${country} ${postalCode}`)
  }
})
