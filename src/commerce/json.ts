// An order as Partner Center JSON: what checkout answers and what the orders API reads.
import type { OrderRow } from '../db/schema.js'
import { fromMinor } from '../lib/money.js'
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

export function orderOf (row: OrderRow) {
  const base = `/customers/${row.customer_id}/orders/${row.id}`
  const lines = row.line_items as OrderLine[]
  return {
    id: row.id,
    alternateId: row.alternate_id,
    referenceCustomerId: row.customer_id,
    billingCycle: row.billing_cycle,
    currencyCode: row.currency_code,
    currencySymbol: row.currency_symbol,
    lineItems: lines.map((l) => ({
      ...l,
      links: {
        subscription: link(`/customers/${row.customer_id}/subscriptions/${l.subscriptionId}`),
        provisioningStatus: link(`${base}/provisioningstatus`)
      }
    })),
    creationDate: row.created_at.toISOString(),
    status: row.status,
    transactionType: row.transaction_type,
    totalPrice: fromMinor(BigInt(row.total_price_minor)),
    links: { self: link(base), provisioningStatus: link(`${base}/provisioningstatus`), patchOperation: link(base, 'PATCH') },
    attributes: { objectType: 'Order' }
  }
}
