// An order as Partner Center JSON: what checkout answers and what the orders API reads. Prices are
// JSON numbers, as the .NET SDK's Order models them (decimal), and only on request (`include_price`),
// as *Get an order by ID* says: a client that does not ask sees no pricing.
import type { OrderRow } from '../db/schema.js'
import { amountOf } from '../lib/money.js'
import { link } from '../schemas/common.js'

interface OrderLine {
  lineItemNumber: number
  offerId: string
  subscriptionId: string
  termDuration?: string
  transactionType: string
  friendlyName: string
  quantity: number
  pricing: { listPrice: string, discountedPrice: string, price: string, extendedPrice: string }
}

/** A line's stored decimal strings as the numbers the API sends. */
function pricingOf ({ listPrice, discountedPrice, price, extendedPrice }: OrderLine['pricing']) {
  return { listPrice: Number(listPrice), discountedPrice: Number(discountedPrice), price: Number(price), extendedPrice: Number(extendedPrice) }
}

export function orderOf (row: OrderRow, { includePrice = false }: { includePrice?: boolean } = {}) {
  const base = `/customers/${row.customer_id}/orders/${row.id}`
  const lines = row.line_items as OrderLine[]
  return {
    id: row.id,
    alternateId: row.alternate_id,
    referenceCustomerId: row.customer_id,
    billingCycle: row.billing_cycle,
    currencyCode: row.currency_code,
    currencySymbol: row.currency_symbol,
    lineItems: lines.map(({ pricing, ...l }) => ({
      ...l,
      // Orders bought before the casing was fixed stored `new`; Partner Center sends `New`.
      transactionType: l.transactionType === 'new' ? 'New' : l.transactionType,
      ...(includePrice ? { pricing: pricingOf(pricing) } : {}),
      links: {
        subscription: link(`/customers/${row.customer_id}/subscriptions/${l.subscriptionId}`),
        provisioningStatus: link(`${base}/provisioningstatus`)
      }
    })),
    creationDate: row.created_at.toISOString(),
    status: row.status,
    transactionType: row.transaction_type,
    ...(includePrice ? { totalPrice: amountOf(BigInt(row.total_price_minor)) } : {}),
    links: { self: link(base), provisioningStatus: link(`${base}/provisioningstatus`), patchOperation: link(base, 'PATCH') },
    attributes: { objectType: 'Order' }
  }
}
