// Catalog (discover): products, SKUs and availabilities (global and per customer), legacy offers and
// offer categories, product promotions, inventory check. Read-only, from data/catalog.json.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import {
  availabilityOf, findProduct, findSku, listProducts, offerCategories, offers, productOf, promotions, requireMarket, skuOf,
  TARGET_SEGMENTS, TARGET_VIEWS, type ProductData
} from '../../catalog/catalog.js'
import { ApiError, catalogItemNotFound, invalidTargetSegment, invalidTargetView } from '../../errors.js'
import { customerMarket } from '../../catalog/customer-market.js'
import { partnerOf, type AuthPolicy } from '../../plugins/auth/index.js'
import { selfOf } from '../../lib/url.js'
import { collectionOf, ErrorRef, link, protectedErrors, SeekCollectionSchema } from '../../schemas/common.js'
import {
  AvailabilityParams, AvailabilitySchema, CountryQuery, CustomerCatalogQuery, CustomerProductParams, CustomerProductsQuery, CustomerSkuParams,
  InventoryCheckSchema, InventoryItemSchema, OfferCategorySchema, OfferSchema, OffersQuery, ProductParams, ProductSchema, ProductsQuery,
  PromotionSchema, PromotionsQuery, SkuParams, SkuSchema
} from './schemas.js'

// Reference §2.5/§2.7: the catalog is APP+AU; partner users who sell or support read it. Promotions: Global admin or Admin agent.
const READ: AuthPolicy = { appOnly: true, partnerRoles: ['admin_agent', 'sales_agent', 'helpdesk_agent', 'global_admin'] }
const PROMOTIONS: AuthPolicy = { appOnly: true, partnerRoles: ['admin_agent', 'global_admin'] }
const tags = ['catalog']
const errors = { ...protectedErrors, 404: ErrorRef }


function segmentOf (segment: string | undefined): string {
  const value = (segment ?? 'commercial').toLowerCase()
  if (!(TARGET_SEGMENTS as readonly string[]).includes(value)) throw invalidTargetSegment(segment ?? '')
  return value
}

function viewOf (view: string): string {
  if (!(TARGET_VIEWS as readonly string[]).some((v) => v.toLowerCase() === view.toLowerCase())) throw invalidTargetView(view)
  return view
}

function mustFindProduct (productId: string, segment?: string): ProductData {
  const product = findProduct(productId)
  if (!product || (segment && !product.segments.includes(segment))) throw catalogItemNotFound(`Product ${productId}`)
  return product
}

function mustFindSku (productId: string, skuId: string, segment?: string) {
  const product = mustFindProduct(productId, segment)
  const sku = findSku(product, skuId)
  if (!sku) throw catalogItemNotFound(`SKU ${skuId} of product ${productId}`)
  return { product, sku }
}

const catalog: FastifyPluginAsyncTypebox = async (app) => {
  const marketOfCustomer = (request: FastifyRequest, customerId: string) => customerMarket(app.db, partnerOf(request), customerId)

  app.get('/v1/products', {
    config: { auth: READ },
    schema: {
      operationId: 'listProducts', tags, summary: 'Products of a market and view',
      querystring: ProductsQuery, response: { 200: SeekCollectionSchema(ProductSchema, 'Products'), ...errors }
    }
  }, async (request) => {
    const m = requireMarket(request.query.country)
    const items = listProducts(viewOf(request.query.targetView), request.query.targetSegment && segmentOf(request.query.targetSegment))
    return collectionOf(items.map((p) => productOf(p, m.country)), selfOf(request))
  })

  app.get('/v1/products/:productId', {
    config: { auth: READ },
    schema: { operationId: 'getProduct', tags, summary: 'A product', params: ProductParams, querystring: CountryQuery, response: { 200: ProductSchema, ...errors } }
  }, async (request) => productOf(mustFindProduct(request.params.productId), requireMarket(request.query.country).country))

  app.get('/v1/products/:productId/skus', {
    config: { auth: READ },
    schema: { operationId: 'listSkus', tags, summary: 'SKUs of a product', params: ProductParams, querystring: CountryQuery, response: { 200: SeekCollectionSchema(SkuSchema, 'SKUs'), ...errors } }
  }, async (request) => {
    const m = requireMarket(request.query.country)
    const product = mustFindProduct(request.params.productId, request.query.targetSegment && segmentOf(request.query.targetSegment))
    return collectionOf(product.skus.map((s) => skuOf(product, s, m.country)), selfOf(request))
  })

  app.get('/v1/products/:productId/skus/:skuId', {
    config: { auth: READ },
    schema: { operationId: 'getSku', tags, summary: 'A SKU', params: SkuParams, querystring: CountryQuery, response: { 200: SkuSchema, ...errors } }
  }, async (request) => {
    const { product, sku } = mustFindSku(request.params.productId, request.params.skuId)
    return skuOf(product, sku, requireMarket(request.query.country).country)
  })

  app.get('/v1/products/:productId/skus/:skuId/availabilities', {
    config: { auth: READ },
    schema: {
      operationId: 'listAvailabilities', tags, summary: 'Availabilities (terms) of a SKU in a market',
      params: SkuParams, querystring: CountryQuery, response: { 200: SeekCollectionSchema(AvailabilitySchema, 'Availabilities'), ...errors }
    }
  }, async (request) => {
    const m = requireMarket(request.query.country)
    const segment = segmentOf(request.query.targetSegment)
    const { product, sku } = mustFindSku(request.params.productId, request.params.skuId, segment)
    return collectionOf(sku.availabilities.map((a) => availabilityOf(product, sku, a, m, segment)), selfOf(request))
  })

  app.get('/v1/products/:productId/skus/:skuId/availabilities/:availabilityId', {
    config: { auth: READ },
    schema: { operationId: 'getAvailability', tags, summary: 'An availability', params: AvailabilityParams, querystring: CountryQuery, response: { 200: AvailabilitySchema, ...errors } }
  }, async (request) => {
    const { product, sku } = mustFindSku(request.params.productId, request.params.skuId)
    const availability = sku.availabilities.find((a) => a.id.toLowerCase() === request.params.availabilityId.toLowerCase())
    if (!availability) throw catalogItemNotFound(`Availability ${request.params.availabilityId}`)
    return availabilityOf(product, sku, availability, requireMarket(request.query.country), segmentOf(request.query.targetSegment))
  })

  app.get('/v1/customers/:customerId/products', {
    config: { auth: READ },
    schema: {
      operationId: 'listCustomerProducts', tags, summary: 'Products for a customer (its market)',
      params: Type.Object({ customerId: CustomerProductParams.properties.customerId }), querystring: CustomerProductsQuery,
      response: { 200: SeekCollectionSchema(ProductSchema, 'Products'), ...errors }
    }
  }, async (request) => {
    const m = await marketOfCustomer(request, request.params.customerId)
    const items = listProducts(viewOf(request.query.targetView), request.query.targetSegment && segmentOf(request.query.targetSegment))
    return collectionOf(items.map((p) => productOf(p, m.country)), selfOf(request))
  })

  app.get('/v1/customers/:customerId/products/:productId/skus', {
    config: { auth: READ },
    schema: {
      operationId: 'listCustomerSkus', tags, summary: 'SKUs of a product for a customer',
      params: CustomerProductParams, querystring: CustomerCatalogQuery, response: { 200: SeekCollectionSchema(SkuSchema, 'SKUs'), ...errors }
    }
  }, async (request) => {
    const m = await marketOfCustomer(request, request.params.customerId)
    const product = mustFindProduct(request.params.productId)
    return collectionOf(product.skus.map((s) => skuOf(product, s, m.country)), selfOf(request))
  })

  app.get('/v1/customers/:customerId/products/:productId/skus/:skuId/availabilities', {
    config: { auth: READ },
    schema: {
      operationId: 'listCustomerAvailabilities', tags, summary: 'Availabilities of a SKU for a customer',
      params: CustomerSkuParams, querystring: CustomerCatalogQuery, response: { 200: SeekCollectionSchema(AvailabilitySchema, 'Availabilities'), ...errors }
    }
  }, async (request) => {
    const m = await marketOfCustomer(request, request.params.customerId)
    const segment = segmentOf(request.query.targetSegment)
    const { product, sku } = mustFindSku(request.params.productId, request.params.skuId, segment)
    return collectionOf(sku.availabilities.map((a) => availabilityOf(product, sku, a, m, segment)), selfOf(request))
  })

  app.get('/v1/customers/:customerId/products/:productId', {
    config: { auth: READ },
    schema: { operationId: 'getCustomerProduct', tags, summary: 'A product for a customer', params: CustomerProductParams, querystring: CustomerCatalogQuery, response: { 200: ProductSchema, ...errors } }
  }, async (request) => productOf(mustFindProduct(request.params.productId), (await marketOfCustomer(request, request.params.customerId)).country))

  app.get('/v1/customers/:customerId/products/:productId/skus/:skuId', {
    config: { auth: READ },
    schema: { operationId: 'getCustomerSku', tags, summary: 'A SKU for a customer', params: CustomerSkuParams, querystring: CustomerCatalogQuery, response: { 200: SkuSchema, ...errors } }
  }, async (request) => {
    const m = await marketOfCustomer(request, request.params.customerId)
    const { product, sku } = mustFindSku(request.params.productId, request.params.skuId)
    return skuOf(product, sku, m.country)
  })

  app.get('/v1/customers/:customerId/products/:productId/skus/:skuId/availabilities/:availabilityId', {
    config: { auth: READ },
    schema: {
      operationId: 'getCustomerAvailability', tags, summary: 'An availability for a customer',
      params: Type.Object({ ...CustomerSkuParams.properties, availabilityId: Type.String() }), querystring: CustomerCatalogQuery, response: { 200: AvailabilitySchema, ...errors }
    }
  }, async (request) => {
    const m = await marketOfCustomer(request, request.params.customerId)
    const { product, sku } = mustFindSku(request.params.productId, request.params.skuId)
    const availability = sku.availabilities.find((a) => a.id.toLowerCase() === request.params.availabilityId.toLowerCase())
    if (!availability) throw catalogItemNotFound(`Availability ${request.params.availabilityId}`)
    return availabilityOf(product, sku, availability, m, segmentOf(request.query.targetSegment))
  })

  app.post('/v1/extensions/product/checkinventory', {
    config: { auth: READ },
    schema: {
      operationId: 'checkInventory', tags, summary: 'Inventory check (Azure reservations are restricted outside their regions)',
      description: 'Answers a bare array, as Partner Center does.',
      querystring: Type.Object({ country: Type.String({ pattern: '^[A-Za-z]{2}$' }) }), body: InventoryCheckSchema,
      response: { 200: Type.Array(InventoryItemSchema), ...errors }
    }
  }, async (request) => {
    requireMarket(request.query.country)
    const region = request.body.inventoryContext?.armRegionName?.toLowerCase()
    return request.body.targetItems.flatMap((item) => {
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
  })

  const categoryOf = (id: string, country: string) => {
    const c = offerCategories().find((x) => x.id === id)!
    return { ...c, locale: 'en-US', country, attributes: { objectType: 'OfferCategory' } }
  }
  const offerOf = (o: ReturnType<typeof offers>[number], country: string) => ({
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
  const mustFindOffer = (offerId: string) => {
    const offer = offers().find((o) => o.id.toLowerCase() === offerId.toLowerCase())
    if (offer) return offer
    if (findProduct(offerId.split(':')[0] ?? '')) throw new ApiError(400, 2100, `${offerId} is a new-commerce catalog item: use the Products/SKUs APIs.`)
    throw catalogItemNotFound(`Offer ${offerId}`)
  }

  app.get('/v1/offers', {
    config: { auth: READ },
    schema: { operationId: 'listOffers', tags, summary: 'Legacy offers (offset paging)', querystring: OffersQuery, response: { 200: SeekCollectionSchema(OfferSchema, 'Offers'), ...errors } }
  }, async (request) => {
    const m = requireMarket(request.query.country)
    const all = offers().filter((o) => !request.query.offer_category_id || o.category === request.query.offer_category_id)
    const offset = request.query.offset ?? 0
    return collectionOf(all.slice(offset, offset + (request.query.size ?? 100)).map((o) => offerOf(o, m.country)), selfOf(request))
  })

  app.get('/v1/offers/:offerId', {
    config: { auth: READ },
    schema: { operationId: 'getOffer', tags, summary: 'A legacy offer', params: Type.Object({ offerId: Type.String() }), querystring: OffersQuery, response: { 200: OfferSchema, ...errors } }
  }, async (request) => offerOf(mustFindOffer(request.params.offerId), requireMarket(request.query.country).country))

  app.get('/v1/offers/:offerId/addons', {
    config: { auth: READ },
    schema: { operationId: 'listOfferAddons', tags, summary: 'Add-ons of a legacy offer', params: Type.Object({ offerId: Type.String() }), querystring: OffersQuery, response: { 200: SeekCollectionSchema(OfferSchema, 'Add-on offers'), ...errors } }
  }, async (request) => {
    const m = requireMarket(request.query.country)
    const offer = mustFindOffer(request.params.offerId)
    return collectionOf(offer.addOns.map((id) => offerOf(mustFindOffer(id), m.country)), selfOf(request))
  })

  app.get('/v1/offercategories', {
    config: { auth: READ },
    schema: { operationId: 'listOfferCategories', tags, summary: 'Legacy offer categories', querystring: Type.Object({ country: Type.String({ pattern: '^[A-Za-z]{2}$' }) }), response: { 200: SeekCollectionSchema(OfferCategorySchema, 'Offer categories'), ...errors } }
  }, async (request) => {
    const m = requireMarket(request.query.country)
    return collectionOf(offerCategories().map((c) => categoryOf(c.id, m.country)), selfOf(request))
  })

  const promotionOf = (p: ReturnType<typeof promotions>[number]) => ({
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

  app.get('/v1/productpromotions', {
    config: { auth: PROMOTIONS },
    schema: { operationId: 'listProductPromotions', tags, summary: 'Current product promotions of a market', querystring: PromotionsQuery, response: { 200: SeekCollectionSchema(PromotionSchema, 'Promotions'), ...errors } }
  }, async (request) => {
    const m = requireMarket(request.query.country)
    if (request.query.segment.toLowerCase() !== 'commercial') throw invalidTargetSegment(request.query.segment)
    const now = (await app.clock.now()).toISOString()
    const current = promotions().filter((p) => p.countries.includes(m.country) && p.startDate <= now && now <= p.endDate)
    return collectionOf(current.map(promotionOf), selfOf(request))
  })

  app.get('/v1/productpromotions/:promotionId', {
    config: { auth: PROMOTIONS },
    schema: { operationId: 'getProductPromotion', tags, summary: 'A product promotion', params: Type.Object({ promotionId: Type.String() }), querystring: Type.Object({ country: Type.String({ pattern: '^[A-Za-z]{2}$' }) }), response: { 200: PromotionSchema, ...errors } }
  }, async (request) => {
    requireMarket(request.query.country)
    const promotion = promotions().find((p) => p.id.toLowerCase() === request.params.promotionId.toLowerCase())
    if (!promotion) throw catalogItemNotFound(`Promotion ${request.params.promotionId}`)
    return promotionOf(promotion)
  })
}

export default catalog
