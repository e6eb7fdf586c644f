// The seed catalog (data/catalog.json) indexed in memory: products, SKUs, availabilities and their
// terms per market, legacy offers, promotions, and list prices in integer minor units. The data file
// holds the facts; this module shapes them as Partner Center does.
import { createHash } from 'node:crypto'
import data from '../../data/catalog.json' with { type: 'json' }
import { unknownMarket } from '../errors.js'
import { scale, toMinor } from '../lib/money.js'

export const TARGET_VIEWS = [
  'Azure', 'AzureReservations', 'AzureReservationsVM', 'AzureReservationsSQL', 'AzureReservationsCosmosDb', 'MicrosoftAzure',
  'OnlineServices', 'Software', 'SoftwareSUSELinux', 'SoftwarePerpetual', 'SoftwareSubscriptions'
] as const
export const TARGET_SEGMENTS = ['commercial', 'education', 'government', 'nonprofit'] as const

interface TermData { duration: string, billingCycle: string, price: string }
interface SkuData {
  id: string, title: string, description: string, minimumQuantity: number, maximumQuantity: number, isTrial: boolean
  consumptionType?: string, regions?: string[], dynamicAttributes?: Record<string, unknown>, addonOf?: string
  availabilities: Array<{ id: string, terms: TermData[] }>
}
export interface ProductData {
  id: string, title: string, description: string, targetView: string, segments: string[]
  productType: { id: string, displayName: string, subType?: { id: string, displayName: string } }
  skus: SkuData[]
}
export interface Market { country: string, currency: string, symbol: string, rate: string }

const PRODUCTS = data.products as ProductData[]
const MARKETS = data.markets as Record<string, { currency: string, symbol: string, rate: string }>

/** Views that include a product's own view: AzureReservations covers every reservation view, Software every software view. */
const viewIncludes = (asked: string, view: string) =>
  asked.toLowerCase() === view.toLowerCase() ||
  (asked.toLowerCase() === 'azurereservations' && view.startsWith('AzureReservations')) ||
  (asked.toLowerCase() === 'software' && view.startsWith('Software')) ||
  (asked.toLowerCase() === 'azure' && (view === 'MicrosoftAzure' || view.startsWith('AzureReservations')))

/** SKU billing cycles in Partner Center's lower snake case, from the terms' PascalCase ones. */
const CYCLE_ENUM: Record<string, string> = { Monthly: 'monthly', Annual: 'annual', Triennial: 'triennial', OneTime: 'one_time', None: 'none' }

export const isReservation = (p: ProductData) => p.targetView.startsWith('AzureReservations')
const isPerpetual = (p: ProductData) => p.targetView === 'SoftwarePerpetual'

/** Opaque, stable term ids shaped like Microsoft's (12 lower-case letters). */
function termId (availabilityId: string, term: TermData): string {
  const digest = createHash('sha256').update(`${availabilityId}|${term.duration}|${term.billingCycle}`).digest()
  return [...digest.subarray(0, 12)].map((b) => String.fromCharCode(97 + (b % 26))).join('')
}

function termDescription (term: TermData): string {
  const length = { P1M: 'One-Month', P1Y: 'One-Year', P3Y: 'Three-Year' }[term.duration]
  if (!length) return term.billingCycle === 'OneTime' ? 'One-time purchase' : 'No commitment'
  return `${length} commitment for ${term.billingCycle === 'Monthly' ? 'monthly' : term.billingCycle === 'Annual' ? 'yearly' : 'triennial'} billing`
}

export function market (country: string): Market | undefined {
  const m = MARKETS[country.toUpperCase()]
  return m && { country: country.toUpperCase(), ...m }
}

/** The market of a country, or a 400 when the catalog does not sell there. */
export function requireMarket (country: string): Market {
  const m = market(country)
  if (!m) throw unknownMarket(country)
  return m
}

export function findProduct (productId: string): ProductData | undefined {
  return PRODUCTS.find((p) => p.id.toLowerCase() === productId.toLowerCase())
}

export function listProducts (targetView: string, segment: string | undefined): ProductData[] {
  return PRODUCTS.filter((p) => viewIncludes(targetView, p.targetView) && (!segment || p.segments.includes(segment.toLowerCase())))
}

export function findSku (product: ProductData, skuId: string) {
  return product.skus.find((s) => s.id.toLowerCase() === skuId.toLowerCase())
}

const link = (uri: string) => ({ uri, method: 'GET', headers: [] as Array<{ key: string, value: string }> })

export function productOf (p: ProductData, country: string) {
  return {
    id: p.id,
    title: p.title,
    description: p.description,
    productType: p.productType,
    isMicrosoftProduct: true,
    publisherName: 'Microsoft Corporation',
    links: { skus: link(`/products/${p.id}/skus?country=${country}`), self: link(`/products/${p.id}?country=${country}`) },
    attributes: { objectType: 'Product' }
  }
}

export function skuOf (p: ProductData, s: SkuData, country: string) {
  const cycles = [...new Set(s.availabilities.flatMap((a) => a.terms.map((t) => CYCLE_ENUM[t.billingCycle] ?? 'none')))]
  return {
    id: s.id,
    productId: p.id,
    title: s.title,
    description: s.description,
    minimumQuantity: s.minimumQuantity,
    maximumQuantity: s.maximumQuantity,
    isTrial: s.isTrial,
    supportedBillingCycles: cycles,
    purchasePrerequisites: isReservation(p) ? ['InventoryCheck', 'AzureSubscriptionRegistration'] : [],
    inventoryVariables: isReservation(p) ? ['CustomerId', 'AzureSubscriptionId', 'ArmRegionName'] : [],
    provisioningVariables: isReservation(p) ? ['Scope', 'SubscriptionId', 'Duration'] : [],
    dynamicAttributes: { ...s.dynamicAttributes, ...(s.addonOf ? { isAddon: true, prerequisiteSkus: [s.addonOf] } : {}) },
    ...(s.consumptionType ? { consumptionType: s.consumptionType } : {}),
    links: {
      availabilities: link(`/products/${p.id}/skus/${s.id}/availabilities?country=${country}`),
      self: link(`/products/${p.id}/skus/${s.id}?country=${country}`)
    },
    attributes: { objectType: 'Sku' }
  }
}

export function availabilityOf (p: ProductData, s: SkuData, a: SkuData['availabilities'][number], m: Market, segment: string) {
  return {
    id: a.id,
    productId: p.id,
    skuId: s.id,
    catalogItemId: `${p.id}:${s.id}:${a.id}`,
    defaultCurrency: { code: m.currency, symbol: m.symbol },
    segment,
    country: m.country,
    isPurchasable: true,
    isRenewable: !s.isTrial && !isPerpetual(p) && !a.terms.every((t) => t.billingCycle === 'OneTime' && t.duration === ''),
    terms: a.terms.map((t) => ({
      id: termId(a.id, t),
      duration: t.duration,
      description: termDescription(t),
      billingCycle: t.billingCycle,
      ...(t.duration === 'P1M' || t.duration === 'P1Y' || t.duration === 'P3Y'
        ? { cancellationPolicies: [{ refundOptions: [{ sequenceId: 1, type: 'Full', expiresAfter: 'P7D' }] }] }
        : {})
    })),
    links: { self: link(`/products/${p.id}/skus/${s.id}/availabilities/${a.id}?country=${m.country}`) },
    attributes: { objectType: 'Availability' }
  }
}

/** What a catalogItemId (`product:sku:availability`, or `product:sku`) names, for carts and orders. */
export function resolveCatalogItem (catalogItemId: string) {
  const [productId, skuId, availabilityId] = catalogItemId.split(':')
  const product = productId ? findProduct(productId) : undefined
  const sku = product && skuId ? findSku(product, skuId) : undefined
  const availability = sku && (availabilityId ? sku.availabilities.find((a) => a.id.toLowerCase() === availabilityId.toLowerCase()) : sku.availabilities[0])
  if (!product || !sku || !availability) return undefined
  const isNewCommerce = product.productType.id === 'OnlineServices' || product.productType.id === 'Azure' || product.targetView === 'SoftwareSubscriptions'
  return catalogItem(product, sku, availability, `${product.id}:${sku.id}:${availability.id}`, { isNewCommerce, isLegacy: false })
}

/**
 * A legacy offer (the offers API: a GUID, or MS-AZR-0145P for legacy Azure) as something an order can
 * buy: license-based offers bill per seat monthly or annually, legacy Azure only through its usage.
 */
export function resolveLegacyOffer (offerId: string) {
  const offer = data.offers.find((o) => o.id.toLowerCase() === offerId.toLowerCase())
  if (!offer) return undefined
  const usage = offer.billing === 'usage'
  const product: ProductData = {
    id: offer.id, title: offer.name, description: offer.description, targetView: 'Legacy', segments: ['commercial'],
    productType: usage ? { id: 'Azure', displayName: 'Azure' } : { id: 'OnlineServices', displayName: 'OnlineServices' }, skus: []
  }
  const prices = offer.prices as Record<string, string>
  const availability = {
    id: '',
    terms: Object.entries(prices).map(([cycle, price]) => ({ duration: '', billingCycle: cycle === 'annual' ? 'Annual' : 'Monthly', price }))
  }
  const sku: SkuData = {
    id: '', title: offer.name, description: offer.description, minimumQuantity: offer.minimumQuantity, maximumQuantity: offer.maximumQuantity,
    isTrial: false, availabilities: [availability]
  }
  return catalogItem(product, sku, availability, offer.id, { isNewCommerce: false, isLegacy: true })
}

function catalogItem (product: ProductData, sku: SkuData, availability: SkuData['availabilities'][number], catalogItemId: string, kind: { isNewCommerce: boolean, isLegacy: boolean }) {
  return {
    product,
    sku,
    availability,
    catalogItemId,
    ...kind,
    /** The term for a (termDuration, billingCycle) pair, with its list price in the market's minor units. */
    term (termDuration: string | undefined, billingCycle: string, m: Market) {
      const cycle = billingCycle.toLowerCase().replace('_', '')
      const term = availability.terms.find((t) => t.billingCycle.toLowerCase() === cycle && (termDuration ?? '') === t.duration) ??
        (termDuration ? undefined : availability.terms.find((t) => t.billingCycle.toLowerCase() === cycle))
      return term && { duration: term.duration, billingCycle: term.billingCycle, unitPrice: scale(toMinor(term.price), m.rate) }
    }
  }
}

export type CatalogItem = NonNullable<ReturnType<typeof resolveCatalogItem>>

export const offers = () => data.offers
export const offerCategories = () => data.offerCategories
export const promotions = () => data.promotions
export const agreementTemplates = () => data.agreements
