// The catalog's rules and its Partner Center JSON: markets, views and segments checked, products,
// SKUs, availabilities and terms shaped per market, legacy offers and promotions, inventory checks.
import type { Kysely } from 'kysely'
import { requireMarket, TARGET_SEGMENTS, TARGET_VIEWS, type Market, type ProductData } from '../../catalog/catalog.js'
import { customerMarket } from '../../catalog/customer-market.js'
import { availabilityOf, productOf, skuOf } from '../../catalog/json.js'
import type { Database } from '../../db/schema.js'
import { createDirectoryRepository } from '../../directory/repository.js'
import { ApiError, catalogItemNotFound, invalidTargetSegment, invalidTargetView } from '../../errors.js'
import { link } from '../../schemas/common.js'
import { createCatalogRepository, type Offer, type Promotion } from './repository.js'
import type { InventoryCheck } from './schemas.js'

/** Where a catalog is shown: a country's market, or a customer's (the country of its billing address). */
export type Where = { country: string } | { partnerTenantId: string, customerId: string }

export function createCatalogService (db: Kysely<Database>) {
  const catalog = createCatalogRepository()
  const directory = createDirectoryRepository(db)

  function mustFindProduct (productId: string, segment?: string): ProductData {
    const product = catalog.product(productId)
    if (!product || (segment && !product.segments.includes(segment))) throw catalogItemNotFound(`Product ${productId}`)
    return product
  }

  function mustFindSku (productId: string, skuId: string, segment?: string) {
    const product = mustFindProduct(productId, segment)
    const sku = catalog.sku(product, skuId)
    if (!sku) throw catalogItemNotFound(`SKU ${skuId} of product ${productId}`)
    return { product, sku }
  }

  function mustFindAvailability (productId: string, skuId: string, availabilityId: string) {
    const { product, sku } = mustFindSku(productId, skuId)
    const availability = catalog.availability(sku, availabilityId)
    if (!availability) throw catalogItemNotFound(`Availability ${availabilityId}`)
    return { product, sku, availability }
  }

  function mustFindOffer (offerId: string): Offer {
    const offer = catalog.offer(offerId)
    if (offer) return offer
    if (catalog.product(offerId.split(':')[0] ?? '')) throw new ApiError(400, 2100, `${offerId} is a new-commerce catalog item: use the Products/SKUs APIs.`)
    throw catalogItemNotFound(`Offer ${offerId}`)
  }

  const categoryOf = (id: string, country: string) => {
    const c = catalog.offerCategories().find((x) => x.id === id)!
    return { ...c, locale: 'en-US', country, attributes: { objectType: 'OfferCategory' } }
  }

  const offerOf = (o: Offer, country: string) => ({
    id: o.id,
    name: o.name,
    description: o.description,
    minimumQuantity: o.minimumQuantity,
    maximumQuantity: o.maximumQuantity,
    rank: 0,
    uri: `/offers/${o.id}`,
    locale: 'en-US',
    country,
    category: categoryOf(o.category, country),
    prerequisiteOffers: [],
    isAddOn: o.isAddOn,
    hasAddOns: o.addOns.length > 0,
    isAvailableForPurchase: true,
    billing: o.billing,
    supportedBillingCycles: o.supportedBillingCycles,
    isAutoRenewable: o.billing === 'license',
    isTrial: false,
    unitType: o.unitType,
    links: { self: link(`/offers/${o.id}?country=${country}`) },
    attributes: { objectType: 'Offer' }
  })

  /** The market of a country, or of a customer of the partner (its billing address). */
  const marketOf = (where: Where): Promise<Market> | Market =>
    'country' in where ? requireMarket(where.country) : customerMarket(directory, where.partnerTenantId, where.customerId)

  /**
   * An item found in the catalog and the market it is shown in. A customer is checked first (another
   * partner's customer is a 404 whatever the item); a country after the item, so an unknown item is a 404.
   */
  async function inMarket<T> (where: Where, find: () => T): Promise<{ item: T, market: Market }> {
    if ('country' in where) {
      const item = find()
      return { item, market: requireMarket(where.country) }
    }
    const market = await marketOf(where)
    return { item: find(), market }
  }

  return {
    marketOf,

    async products (where: Where, targetView: string, targetSegment: string | undefined) {
      const m = await marketOf(where)
      return catalog.products(viewOf(targetView), targetSegment && segmentOf(targetSegment)).map((p) => productOf(p, m.country))
    },

    async product (where: Where, productId: string) {
      const { item, market } = await inMarket(where, () => mustFindProduct(productId))
      return productOf(item, market.country)
    },

    /** The SKUs of a product; a segment (global catalog only) narrows which products are found. */
    async skus (where: Where, productId: string, targetSegment?: string) {
      const m = await marketOf(where)
      const product = mustFindProduct(productId, targetSegment && segmentOf(targetSegment))
      return product.skus.map((s) => skuOf(product, s, m.country))
    },

    async sku (where: Where, productId: string, skuId: string) {
      const { item: { product, sku }, market } = await inMarket(where, () => mustFindSku(productId, skuId))
      return skuOf(product, sku, market.country)
    },

    async availabilities (where: Where, productId: string, skuId: string, targetSegment: string | undefined) {
      const m = await marketOf(where)
      const segment = segmentOf(targetSegment)
      const { product, sku } = mustFindSku(productId, skuId, segment)
      return sku.availabilities.map((a) => availabilityOf(product, sku, a, m, segment))
    },

    async availability (where: Where, ids: { productId: string, skuId: string, availabilityId: string }, targetSegment: string | undefined) {
      const { item, market } = await inMarket(where, () => mustFindAvailability(ids.productId, ids.skuId, ids.availabilityId))
      return availabilityOf(item.product, item.sku, item.availability, market, segmentOf(targetSegment))
    },

    /** Azure reservations are restricted outside their regions. */
    checkInventory (country: string, check: InventoryCheck) {
      requireMarket(country)
      const region = check.inventoryContext?.armRegionName?.toLowerCase()
      return check.targetItems.flatMap((item) => {
        const product = mustFindProduct(item.productId)
        const skus = item.skuId ? [mustFindSku(item.productId, item.skuId).sku] : product.skus
        return skus.map((sku) => {
          const restricted = sku.regions !== undefined && (!region || !sku.regions.includes(region))
          return {
            productId: product.id,
            skuId: sku.id,
            isRestricted: restricted,
            restrictions: restricted
              ? [{ reasonCode: 'NotAvailableInRegion', description: `Available in ${sku.regions!.join(', ')} only.`, properties: { type: 'ArmRegionName', values: sku.regions } }]
              : []
          }
        })
      })
    },

    /** Legacy offers, offset-paged as the legacy API is. */
    offers (country: string, categoryId: string | undefined, offset: number, size: number) {
      const m = requireMarket(country)
      return catalog.offers(categoryId).slice(offset, offset + size).map((o) => offerOf(o, m.country))
    },

    offer (country: string, offerId: string) {
      return offerOf(mustFindOffer(offerId), requireMarket(country).country)
    },

    offerAddOns (country: string, offerId: string) {
      const m = requireMarket(country)
      return mustFindOffer(offerId).addOns.map((id) => offerOf(mustFindOffer(id), m.country))
    },

    offerCategories (country: string) {
      const m = requireMarket(country)
      return catalog.offerCategories().map((c) => categoryOf(c.id, m.country))
    },

    /** Promotions of a market running at `now` (the emulator clock). */
    promotions (country: string, segment: string, now: Date) {
      const m = requireMarket(country)
      if (segment.toLowerCase() !== 'commercial') throw invalidTargetSegment(segment)
      const at = now.toISOString()
      return catalog.promotions().filter((p) => p.countries.includes(m.country) && p.startDate <= at && at <= p.endDate).map(promotionOf)
    },

    promotion (country: string, promotionId: string) {
      requireMarket(country)
      const promotion = catalog.promotion(promotionId)
      if (!promotion) throw catalogItemNotFound(`Promotion ${promotionId}`)
      return promotionOf(promotion)
    }
  }
}

function segmentOf (segment: string | undefined): string {
  const value = (segment ?? 'commercial').toLowerCase()
  if (!(TARGET_SEGMENTS as readonly string[]).includes(value)) throw invalidTargetSegment(segment ?? '')
  return value
}

function viewOf (view: string): string {
  if (!(TARGET_VIEWS as readonly string[]).some((v) => v.toLowerCase() === view.toLowerCase())) throw invalidTargetView(view)
  return view
}

const promotionOf = (p: Promotion) => ({
  id: p.id,
  name: p.name,
  description: p.description,
  startDate: p.startDate,
  endDate: p.endDate,
  properties: { isAutoApplicable: true },
  requiredProducts: p.requiredProducts,
  promotionConstraints: { seatConstraints: [{ minSeats: p.minSeats, maxSeats: p.maxSeats, type: 'lifetime' }] },
  attributes: { objectType: 'ProductPromotion' }
})
