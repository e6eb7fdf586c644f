// A customer's market is the country of its billing address: what the catalog, carts and orders
// price in. The lookup names the partner, so another partner's customer is a 404.
import type { DirectoryRepository } from '../directory/repository.js'
import { customerNotFound } from '../errors.js'
import { requireMarket, type Market } from './catalog.js'

export async function customerMarket (directory: DirectoryRepository, partnerTenantId: string, customerId: string): Promise<Market> {
  const customer = await directory.customer(partnerTenantId, customerId)
  if (!customer) throw customerNotFound(customerId)
  return requireMarket(customer.billingAddress.country)
}
