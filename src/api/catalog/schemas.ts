// Catalog shapes: products, SKUs, availabilities, legacy offers, promotions, inventory.
import { Type, type Static } from 'typebox'
import { AttributesSchema, CustomerId, LinkSchema } from '../../schemas/common.js'

const Country = Type.String({ pattern: '^[A-Za-z]{2}$', description: 'ISO 3166-1 alpha-2 market' })
const Segment = Type.Optional(Type.String({ description: 'commercial, education, government or nonprofit' }))

export const ProductsQuery = Type.Object({
  country: Country,
  targetView: Type.String({ description: 'OnlineServices, MicrosoftAzure, AzureReservations(VM|SQL|CosmosDb), Software(Perpetual|Subscriptions)...' }),
  targetSegment: Segment,
  reservationScope: Type.Optional(Type.String())
})
export const CountryQuery = Type.Object({ country: Country, targetSegment: Segment, reservationScope: Type.Optional(Type.String()) })
export const CustomerProductsQuery = Type.Object({ targetView: Type.String(), targetSegment: Segment, reservationScope: Type.Optional(Type.String()) })
export const CustomerCatalogQuery = Type.Object({ targetSegment: Segment, reservationScope: Type.Optional(Type.String()) })

const customerId = CustomerId
export const ProductParams = Type.Object({ productId: Type.String() })
export const SkuParams = Type.Object({ productId: Type.String(), skuId: Type.String() })
export const AvailabilityParams = Type.Object({ productId: Type.String(), skuId: Type.String(), availabilityId: Type.String() })
export const CustomerProductParams = Type.Object({ customerId, productId: Type.String() })
export const CustomerSkuParams = Type.Object({ customerId, productId: Type.String(), skuId: Type.String() })
export const CustomerAvailabilityParams = Type.Object({ customerId, productId: Type.String(), skuId: Type.String(), availabilityId: Type.String() })
export { CustomerParams } from '../../schemas/common.js'
export const OfferParams = Type.Object({ offerId: Type.String() })
export const PromotionParams = Type.Object({ promotionId: Type.String() })
export const CountryOnlyQuery = Type.Object({ country: Country })

const ProductType = Type.Object({
  id: Type.String(),
  displayName: Type.String(),
  subType: Type.Optional(Type.Object({ id: Type.String(), displayName: Type.String() }))
})

export const ProductSchema = Type.Object({
  id: Type.String({ description: '12 characters, e.g. CFQ7TTC0LH18' }),
  title: Type.String(),
  description: Type.String(),
  productType: ProductType,
  isMicrosoftProduct: Type.Boolean(),
  publisherName: Type.String(),
  links: Type.Object({ skus: LinkSchema, self: LinkSchema }),
  attributes: AttributesSchema('Product')
})

export const SkuSchema = Type.Object({
  id: Type.String({ description: '4 characters, unique within the product' }),
  productId: Type.String(),
  title: Type.String(),
  description: Type.String(),
  minimumQuantity: Type.Integer(),
  maximumQuantity: Type.Integer(),
  isTrial: Type.Boolean(),
  supportedBillingCycles: Type.Array(Type.String()),
  purchasePrerequisites: Type.Array(Type.String()),
  inventoryVariables: Type.Array(Type.String()),
  provisioningVariables: Type.Array(Type.String()),
  dynamicAttributes: Type.Record(Type.String(), Type.Unknown()),
  consumptionType: Type.Optional(Type.String()),
  links: Type.Object({ availabilities: LinkSchema, self: LinkSchema }),
  attributes: AttributesSchema('Sku')
})

export const AvailabilitySchema = Type.Object({
  id: Type.String(),
  productId: Type.String(),
  skuId: Type.String(),
  catalogItemId: Type.String({ description: 'productId:skuId:availabilityId, the value carts and orders take' }),
  defaultCurrency: Type.Object({ code: Type.String(), symbol: Type.String() }),
  segment: Type.String(),
  country: Type.String(),
  isPurchasable: Type.Boolean(),
  isRenewable: Type.Boolean(),
  terms: Type.Array(Type.Object({
    id: Type.String(),
    duration: Type.String({ description: 'P1M, P1Y, P3Y; empty for one-time purchases' }),
    description: Type.String(),
    billingCycle: Type.String({ description: 'Monthly, Annual, Triennial, OneTime, None' }),
    cancellationPolicies: Type.Optional(Type.Array(Type.Object({
      refundOptions: Type.Array(Type.Object({ sequenceId: Type.Integer(), type: Type.String(), expiresAfter: Type.String() }))
    })))
  })),
  links: Type.Object({ self: LinkSchema }),
  attributes: AttributesSchema('Availability')
})

export const OfferCategorySchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  rank: Type.Integer(),
  locale: Type.String(),
  country: Type.String(),
  attributes: AttributesSchema('OfferCategory')
})

export const OfferSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  description: Type.String(),
  minimumQuantity: Type.Integer(),
  maximumQuantity: Type.Integer(),
  rank: Type.Integer(),
  uri: Type.String(),
  locale: Type.String(),
  country: Type.String(),
  category: OfferCategorySchema,
  prerequisiteOffers: Type.Array(Type.String()),
  isAddOn: Type.Boolean(),
  hasAddOns: Type.Boolean(),
  isAvailableForPurchase: Type.Boolean(),
  billing: Type.String({ description: 'none, usage or license' }),
  supportedBillingCycles: Type.Array(Type.String()),
  isAutoRenewable: Type.Boolean(),
  isTrial: Type.Boolean(),
  unitType: Type.String(),
  links: Type.Object({ self: LinkSchema }),
  attributes: AttributesSchema('Offer')
})

export const PromotionSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  description: Type.String(),
  startDate: Type.String(),
  endDate: Type.String(),
  properties: Type.Object({ isAutoApplicable: Type.Boolean() }),
  requiredProducts: Type.Array(Type.Object({
    productId: Type.String(),
    skuId: Type.String(),
    term: Type.Object({ duration: Type.String(), billingCycle: Type.String() }),
    pricingPolicies: Type.Array(Type.Object({ policyType: Type.String(), value: Type.String() }))
  })),
  promotionConstraints: Type.Object({
    seatConstraints: Type.Array(Type.Object({ minSeats: Type.Integer(), maxSeats: Type.Integer(), type: Type.String() }))
  }),
  attributes: AttributesSchema('ProductPromotion')
})

export const InventoryCheckSchema = Type.Object({
  targetItems: Type.Array(Type.Object({ productId: Type.String(), skuId: Type.Optional(Type.String()) }), { minItems: 1, maxItems: 50 }),
  inventoryContext: Type.Optional(Type.Record(Type.String(), Type.String(), { description: 'customerId, azureSubscriptionId, armRegionName' }))
})
export type InventoryCheck = Static<typeof InventoryCheckSchema>

export const InventoryItemSchema = Type.Object({
  productId: Type.String(),
  skuId: Type.String(),
  isRestricted: Type.Boolean(),
  restrictions: Type.Array(Type.Object({
    reasonCode: Type.String(),
    description: Type.String(),
    properties: Type.Record(Type.String(), Type.Unknown())
  }))
})

export const OffersQuery = Type.Object({
  country: Country,
  offer_category_id: Type.Optional(Type.String()),
  offset: Type.Optional(Type.Integer({ minimum: 0 })),
  size: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 }))
})
export const PromotionsQuery = Type.Object({ country: Country, segment: Type.String({ description: 'Only commercial' }) })
