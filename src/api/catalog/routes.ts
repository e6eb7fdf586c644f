// Catalog (discover): products, SKUs and availabilities (global and per customer), legacy offers and
// offer categories, product promotions, inventory check. Read-only, from data/catalog.json.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import { partnerOf, type AuthPolicy } from '../../auth/policy.js'
import { selfOf } from '../../lib/url.js'
import { collectionOf, ErrorRef, protectedErrors, SeekCollectionSchema } from '../../schemas/common.js'
import {
  AvailabilityParams, AvailabilitySchema, CountryOnlyQuery, CountryQuery, CustomerAvailabilityParams, CustomerCatalogQuery, CustomerParams,
  CustomerProductParams, CustomerProductsQuery, CustomerSkuParams, InventoryCheckSchema, InventoryItemSchema, OfferCategorySchema, OfferParams,
  OfferSchema, OffersQuery, ProductParams, ProductSchema, ProductsQuery, PromotionParams, PromotionSchema, PromotionsQuery, SkuParams, SkuSchema
} from './schemas.js'
import { createCatalogService } from './service.js'

// The catalog is APP+AU; partner users who sell or support read it. Promotions: Global admin or Admin agent.
const READ: AuthPolicy = { appOnly: true, partnerRoles: ['admin_agent', 'sales_agent', 'helpdesk_agent', 'global_admin'] }
const PROMOTIONS: AuthPolicy = { appOnly: true, partnerRoles: ['admin_agent'] }
const tags = ['catalog']
const errors = { ...protectedErrors, 404: ErrorRef }

const catalog: FastifyPluginAsyncTypebox = async (app) => {
  const service = createCatalogService(app.db)
  const customerOf = (request: FastifyRequest, customerId: string) => ({ partnerTenantId: partnerOf(request), customerId })

  app.get('/v1/products', {
    config: { auth: READ },
    schema: {
      operationId: 'listProducts', tags, summary: 'Products of a market and view',
      querystring: ProductsQuery,
      response: { 200: SeekCollectionSchema(ProductSchema, 'Products'), ...errors }
    }
  }, async (request) => {
    const { country, targetView, targetSegment } = request.query
    return collectionOf(await service.products({ country }, targetView, targetSegment), selfOf(request))
  })

  app.get('/v1/products/:productId', {
    config: { auth: READ },
    schema: {
      operationId: 'getProduct', tags, summary: 'A product',
      params: ProductParams, querystring: CountryQuery,
      response: { 200: ProductSchema, ...errors }
    }
  }, async (request) => service.product({ country: request.query.country }, request.params.productId))

  app.get('/v1/products/:productId/skus', {
    config: { auth: READ },
    schema: {
      operationId: 'listSkus', tags, summary: 'SKUs of a product',
      params: ProductParams, querystring: CountryQuery,
      response: { 200: SeekCollectionSchema(SkuSchema, 'SKUs'), ...errors }
    }
  }, async (request) => {
    const skus = await service.skus({ country: request.query.country }, request.params.productId, request.query.targetSegment)
    return collectionOf(skus, selfOf(request))
  })

  app.get('/v1/products/:productId/skus/:skuId', {
    config: { auth: READ },
    schema: {
      operationId: 'getSku', tags, summary: 'A SKU',
      params: SkuParams, querystring: CountryQuery,
      response: { 200: SkuSchema, ...errors }
    }
  }, async (request) => service.sku({ country: request.query.country }, request.params.productId, request.params.skuId))

  app.get('/v1/products/:productId/skus/:skuId/availabilities', {
    config: { auth: READ },
    schema: {
      operationId: 'listAvailabilities', tags, summary: 'Availabilities (terms) of a SKU in a market',
      params: SkuParams, querystring: CountryQuery,
      response: { 200: SeekCollectionSchema(AvailabilitySchema, 'Availabilities'), ...errors }
    }
  }, async (request) => {
    const { productId, skuId } = request.params
    return collectionOf(await service.availabilities({ country: request.query.country }, productId, skuId, request.query.targetSegment), selfOf(request))
  })

  app.get('/v1/products/:productId/skus/:skuId/availabilities/:availabilityId', {
    config: { auth: READ },
    schema: {
      operationId: 'getAvailability', tags, summary: 'An availability',
      params: AvailabilityParams, querystring: CountryQuery,
      response: { 200: AvailabilitySchema, ...errors }
    }
  }, async (request) => service.availability({ country: request.query.country }, request.params, request.query.targetSegment))

  app.get('/v1/customers/:customerId/products', {
    config: { auth: READ },
    schema: {
      operationId: 'listCustomerProducts', tags, summary: 'Products for a customer (its market)',
      params: CustomerParams, querystring: CustomerProductsQuery,
      response: { 200: SeekCollectionSchema(ProductSchema, 'Products'), ...errors }
    }
  }, async (request) => {
    const products = await service.products(customerOf(request, request.params.customerId), request.query.targetView, request.query.targetSegment)
    return collectionOf(products, selfOf(request))
  })

  app.get('/v1/customers/:customerId/products/:productId/skus', {
    config: { auth: READ },
    schema: {
      operationId: 'listCustomerSkus', tags, summary: 'SKUs of a product for a customer',
      params: CustomerProductParams, querystring: CustomerCatalogQuery,
      response: { 200: SeekCollectionSchema(SkuSchema, 'SKUs'), ...errors }
    }
  }, async (request) => collectionOf(await service.skus(customerOf(request, request.params.customerId), request.params.productId), selfOf(request)))

  app.get('/v1/customers/:customerId/products/:productId/skus/:skuId/availabilities', {
    config: { auth: READ },
    schema: {
      operationId: 'listCustomerAvailabilities', tags, summary: 'Availabilities of a SKU for a customer',
      params: CustomerSkuParams, querystring: CustomerCatalogQuery,
      response: { 200: SeekCollectionSchema(AvailabilitySchema, 'Availabilities'), ...errors }
    }
  }, async (request) => {
    const { customerId, productId, skuId } = request.params
    const availabilities = await service.availabilities(customerOf(request, customerId), productId, skuId, request.query.targetSegment)
    return collectionOf(availabilities, selfOf(request))
  })

  app.get('/v1/customers/:customerId/products/:productId', {
    config: { auth: READ },
    schema: {
      operationId: 'getCustomerProduct', tags, summary: 'A product for a customer',
      params: CustomerProductParams, querystring: CustomerCatalogQuery,
      response: { 200: ProductSchema, ...errors }
    }
  }, async (request) => service.product(customerOf(request, request.params.customerId), request.params.productId))

  app.get('/v1/customers/:customerId/products/:productId/skus/:skuId', {
    config: { auth: READ },
    schema: {
      operationId: 'getCustomerSku', tags, summary: 'A SKU for a customer',
      params: CustomerSkuParams, querystring: CustomerCatalogQuery,
      response: { 200: SkuSchema, ...errors }
    }
  }, async (request) => service.sku(customerOf(request, request.params.customerId), request.params.productId, request.params.skuId))

  app.get('/v1/customers/:customerId/products/:productId/skus/:skuId/availabilities/:availabilityId', {
    config: { auth: READ },
    schema: {
      operationId: 'getCustomerAvailability', tags, summary: 'An availability for a customer',
      params: CustomerAvailabilityParams, querystring: CustomerCatalogQuery,
      response: { 200: AvailabilitySchema, ...errors }
    }
  }, async (request) => service.availability(customerOf(request, request.params.customerId), request.params, request.query.targetSegment))

  app.post('/v1/extensions/product/checkinventory', {
    config: { auth: READ },
    schema: {
      operationId: 'checkInventory', tags, summary: 'Inventory check (Azure reservations are restricted outside their regions)',
      description: 'Answers a bare array, as Partner Center does.',
      querystring: CountryOnlyQuery, body: InventoryCheckSchema,
      response: { 200: Type.Array(InventoryItemSchema), ...errors }
    }
  }, async (request) => service.checkInventory(request.query.country, request.body))

  app.get('/v1/offers', {
    config: { auth: READ },
    schema: {
      operationId: 'listOffers', tags, summary: 'Legacy offers (offset paging)',
      querystring: OffersQuery,
      response: { 200: SeekCollectionSchema(OfferSchema, 'Offers'), ...errors }
    }
  }, async (request) => {
    const { country, offer_category_id: category, offset, size } = request.query
    return collectionOf(service.offers(country, category, offset ?? 0, size ?? 100), selfOf(request))
  })

  app.get('/v1/offers/:offerId', {
    config: { auth: READ },
    schema: {
      operationId: 'getOffer', tags, summary: 'A legacy offer',
      params: OfferParams, querystring: OffersQuery,
      response: { 200: OfferSchema, ...errors }
    }
  }, async (request) => service.offer(request.query.country, request.params.offerId))

  app.get('/v1/offers/:offerId/addons', {
    config: { auth: READ },
    schema: {
      operationId: 'listOfferAddons', tags, summary: 'Add-ons of a legacy offer',
      params: OfferParams, querystring: OffersQuery,
      response: { 200: SeekCollectionSchema(OfferSchema, 'Add-on offers'), ...errors }
    }
  }, async (request) => collectionOf(service.offerAddOns(request.query.country, request.params.offerId), selfOf(request)))

  app.get('/v1/offercategories', {
    config: { auth: READ },
    schema: {
      operationId: 'listOfferCategories', tags, summary: 'Legacy offer categories',
      querystring: CountryOnlyQuery,
      response: { 200: SeekCollectionSchema(OfferCategorySchema, 'Offer categories'), ...errors }
    }
  }, async (request) => collectionOf(service.offerCategories(request.query.country), selfOf(request)))

  app.get('/v1/productpromotions', {
    config: { auth: PROMOTIONS },
    schema: {
      operationId: 'listProductPromotions', tags, summary: 'Current product promotions of a market',
      querystring: PromotionsQuery,
      response: { 200: SeekCollectionSchema(PromotionSchema, 'Promotions'), ...errors }
    }
  }, async (request) => collectionOf(service.promotions(request.query.country, request.query.segment, await app.clock.now()), selfOf(request)))

  app.get('/v1/productpromotions/:promotionId', {
    config: { auth: PROMOTIONS },
    schema: {
      operationId: 'getProductPromotion', tags, summary: 'A product promotion',
      params: PromotionParams, querystring: CountryOnlyQuery,
      response: { 200: PromotionSchema, ...errors }
    }
  }, async (request) => service.promotion(request.query.country, request.params.promotionId))
}

export default catalog
