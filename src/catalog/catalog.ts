// The seed catalog (data/catalog.json) in memory: products, SKUs, availabilities and their terms per
// market, legacy offers, promotions, agreement templates, and list prices in integer minor units. The
// catalog API (api/catalog) shows it; carts and orders (commerce/) buy from it.
import data from '../../data/catalog.json' with { type: 'json' }
import { unknownMarket } from '../errors.js'
import { scale, toMinor } from '../lib/money.js'

export const TARGET_VIEWS = [
  'Azure', 'AzureReservations', 'AzureReservationsVM', 'AzureReservationsSQL', 'AzureReservationsCosmosDb', 'MicrosoftAzure',
  'OnlineServices', 'Software', 'SoftwareSUSELinux', 'SoftwarePerpetual', 'SoftwareSubscriptions'
] as const
export const TARGET_SEGMENTS = ['commercial', 'education', 'government', 'nonprofit'] as const

export interface TermData { duration: string, billingCycle: string, price: string }
export interface SkuData {
  id: string, title: string, description: string, minimumQuantity: number, maximumQuantity: number, isTrial: boolean
  consumptionType?: string, regions?: string[], dynamicAttributes?: Record<string, unknown>, addonOf?: string
  /** Catalog items (product:sku:availability) a subscription of this SKU may transition to (api/subscription-transitions). */
  upgradeTargets?: string[]
  availabilities: Array<{ id: string, terms: TermData[] }>
}
export interface ProductData {
  id: string, title: string, description: string, targetView: string, segments: string[]
  productType: { id: string, displayName: string, subType?: { id: string, displayName: string } }
  skus: SkuData[]
  /** Its subscriptions are Azure subscriptions a partner registers for Azure reservations (POST …/registrations). */
  subscriptionRegistration?: boolean
  /** A third-party SaaS product: its publisher, and the page where it activates each subscription. */
  activation?: { publisherName: string, activationUrl: string }
}
export interface Market { country: string, currency: string, symbol: string, rate: string }

export const PRODUCTS = data.products as ProductData[]
const MARKETS = data.markets as Record<string, { currency: string, symbol: string, rate: string }>

export const isReservation = (p: ProductData) => p.targetView.startsWith('AzureReservations')

/**
 * Whether subscriptions of a catalog item (`product:sku:availability`) or legacy offer are Azure
 * subscriptions that a partner registers before it buys Azure reservations for them (the catalog's
 * `subscriptionRegistration` flag).
 */
export function needsRegistration (catalogItemId: string): boolean {
  const product = findProduct(catalogItemId.split(':')[0] ?? '')
  if (product) return product.subscriptionRegistration === true
  const offer = (data.offers as Array<{ id: string, subscriptionRegistration?: boolean }>).find((o) => o.id.toLowerCase() === catalogItemId.toLowerCase())
  return offer?.subscriptionRegistration === true
}

/** The publisher activation of a catalog item's product (third-party SaaS), if it has one. */
export function activationOf (catalogItemId: string): ProductData['activation'] {
  return findProduct(catalogItemId.split(':')[0] ?? '')?.activation
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

export function findSku (product: ProductData, skuId: string) {
  return product.skus.find((s) => s.id.toLowerCase() === skuId.toLowerCase())
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
