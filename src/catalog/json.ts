// Catalog items as Partner Center JSON, priced and linked per market: products, SKUs, availabilities
// and their terms.
import { createHash } from 'node:crypto'
import { link } from '../schemas/common.js'
import { isReservation, type Market, type ProductData, type SkuData, type TermData } from './catalog.js'

/** SKU billing cycles in Partner Center's lower snake case, from the terms' PascalCase ones. */
const CYCLE_ENUM: Record<string, string> = { Monthly: 'monthly', Annual: 'annual', Triennial: 'triennial', OneTime: 'one_time', None: 'none' }

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
