// Where the catalog's data comes from: the seed catalog in memory (catalog/catalog.ts), not SQL.
// Lookups are case-insensitive, as Partner Center's ids are; a miss is undefined.
import {
  findProduct, findSku, offerCategories, offers, PRODUCTS, promotions, type ProductData, type SkuData
} from '../../catalog/catalog.js'

/** Views that include a product's own view: AzureReservations covers every reservation view, Software every software view. */
const viewIncludes = (asked: string, view: string) =>
  asked.toLowerCase() === view.toLowerCase() ||
  (asked.toLowerCase() === 'azurereservations' && view.startsWith('AzureReservations')) ||
  (asked.toLowerCase() === 'software' && view.startsWith('Software')) ||
  (asked.toLowerCase() === 'azure' && (view === 'MicrosoftAzure' || view.startsWith('AzureReservations')))

const sameId = (a: string, b: string) => a.toLowerCase() === b.toLowerCase()

export type Offer = ReturnType<typeof offers>[number]
export type Promotion = ReturnType<typeof promotions>[number]

export function createCatalogRepository () {
  return {
    /** Products of a target view (and segment, when given). */
    products (targetView: string, segment: string | undefined): ProductData[] {
      return PRODUCTS.filter((p) => viewIncludes(targetView, p.targetView) && (!segment || p.segments.includes(segment.toLowerCase())))
    },

    product: findProduct,
    sku: findSku,

    availability (sku: SkuData, availabilityId: string) {
      return sku.availabilities.find((a) => sameId(a.id, availabilityId))
    },

    /** Legacy offers, of one category when given. */
    offers (categoryId: string | undefined): Offer[] {
      return offers().filter((o) => !categoryId || o.category === categoryId)
    },

    offer (offerId: string): Offer | undefined {
      return offers().find((o) => sameId(o.id, offerId))
    },

    offerCategories,

    promotions (): Promotion[] {
      return promotions()
    },

    promotion (promotionId: string): Promotion | undefined {
      return promotions().find((p) => sameId(p.id, promotionId))
    }
  }
}

export type CatalogRepository = ReturnType<typeof createCatalogRepository>
