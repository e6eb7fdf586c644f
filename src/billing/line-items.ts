// Charges and metered usage as Partner Center line items, one shape per provider and line item type:
// OneTimeInvoiceLineItem and DailyRatedUsageLineItem (new commerce), LicenseBasedLineItem and
// UsageBasedLineItem (legacy offers). Money goes out as JSON numbers (decimal strings converted at the edge).
import { monthStart, utcDay } from '../lib/dates.js'
import { amountOf as money } from '../lib/money.js'
import type { LineRow, UsageRow } from './repository.js'

/** The one Azure resource the metered usage runs on, in every Azure subscription (usage by resource names it too). */
export const AZURE_RESOURCE = { provider: 'Microsoft.Compute', group: 'pce-demo', type: 'virtualMachines', name: 'vm-1' } as const
export const azureResourceUri = (azureSubscriptionId: string) =>
  `/subscriptions/${azureSubscriptionId}/resourceGroups/${AZURE_RESOURCE.group}/providers/${AZURE_RESOURCE.provider}/${AZURE_RESOURCE.type}/${AZURE_RESOURCE.name}`

/** Who a new-commerce line item is for: the fields OneTimeInvoiceLineItem and DailyRatedUsageLineItem share. */
function customerFields (row: { customer_id: string, company_name: string, domain: string, billing_address: { country: string }, invoice_id: string | null }, partnerTenantId: string) {
  return {
    partnerId: partnerTenantId,
    customerId: row.customer_id,
    customerName: row.company_name,
    customerDomainName: row.domain,
    customerCountry: row.billing_address.country,
    invoiceNumber: row.invoice_id ?? '',
    mpnId: '',
    resellerMpnId: ''
  }
}

/** A charge's stored kind as new-commerce line items name it: `New`, `Cancel`, `AddQuantity`, `RemoveQuantity`. */
const chargeTypeOf = (stored: string) => stored.charAt(0).toUpperCase() + stored.slice(1)

const TERM_NAMES: Record<string, string> = { P1M: 'One-Month', P1Y: 'One-Year', P3Y: 'Three-Year' }

export function oneTimeLineItemOf (row: LineRow, partnerTenantId: string) {
  const [productId, skuId, availabilityId] = row.catalog_item_id.split(':')
  const unit = money(row.unit_price_minor)
  const subtotal = money(row.amount_minor)
  const term = row.term_duration ? TERM_NAMES[row.term_duration] ?? row.term_duration : 'None'
  // Object.assign, not a spread: V8 builds a literal that opens with a spread and goes on for forty
  // properties some twenty times slower, and exports make a million of these.
  return Object.assign(customerFields(row, partnerTenantId), {
    // The documented OneTimeInvoiceLineItem has resellerMpnId as a number (0 for a direct sale) while
    // mpnId stays a string (get-invoice-unbilled-recon-lineitems samples).
    resellerMpnId: row.reseller_mpn_id ? Number(row.reseller_mpn_id) : 0,
    orderId: row.order_id,
    orderDate: (row.order_date ?? row.occurred_at).toISOString(),
    productId: productId ?? '',
    skuId: skuId ?? '',
    availabilityId: availabilityId ?? '',
    productName: row.offer_name ?? '',
    skuName: row.offer_name ?? '',
    productQualifiers: [],
    chargeType: chargeTypeOf(row.charge_type),
    unitPrice: unit,
    effectiveUnitPrice: unit,
    unitType: row.unit_type ?? 'Licenses',
    quantity: row.quantity,
    subtotal,
    taxTotal: 0,
    totalForCustomer: subtotal,
    currency: row.currency_code,
    publisherName: 'Microsoft Corporation',
    publisherId: '',
    subscriptionDescription: row.friendly_name ?? '',
    subscriptionId: row.subscription_id ?? '',
    subscriptionStartDate: utcDay(row.subscription_start ?? row.occurred_at).toISOString(),
    subscriptionEndDate: row.commitment_end_at ? utcDay(row.commitment_end_at).toISOString() : '',
    chargeStartDate: utcDay(row.occurred_at).toISOString(),
    chargeEndDate: utcDay(row.commitment_end_at ?? row.occurred_at).toISOString(),
    termAndBillingCycle: `${term} commitment for ${row.billing_cycle ?? 'one_time'} billing`,
    alternateId: row.alternate_id ?? '',
    referenceId: String(row.id),
    priceAdjustmentDescription: '',
    pricingCurrency: row.currency_code,
    pcToBCExchangeRate: 1,
    billableQuantity: row.quantity,
    billingFrequency: row.billing_cycle === 'monthly' ? 'Monthly' : row.billing_cycle === 'annual' ? 'Annual' : 'OneTime',
    invoiceLineItemType: 'billing_line_items',
    billingProvider: 'one_time',
    attributes: { objectType: 'OneTimeInvoiceLineItem' }
  })
}

export function dailyRatedUsageOf (row: UsageRow, partnerTenantId: string, partnerName: string) {
  const [productId, skuId, availabilityId] = row.catalog_item_id.split(':')
  const day = row.usage_date.toISOString()
  const total = money(row.amount_minor)
  return Object.assign(customerFields(row, partnerTenantId), {
    partnerName,
    productId: productId ?? '',
    skuId: skuId ?? '',
    availabilityId: availabilityId ?? '',
    skuName: row.offer_name,
    productName: row.offer_name,
    publisherName: 'Microsoft',
    publisherId: '',
    subscriptionId: row.subscription_id,
    subscriptionDescription: row.friendly_name,
    // The charge spans the usage's billing month, first day to the next month's first day
    // (get-invoice-billed-consumption-lineitems sample: 2019-01-01T00:00:00Z to 2019-02-01T00:00:00Z).
    chargeStartDate: monthStart(row.usage_date).toISOString(),
    chargeEndDate: monthStart(row.usage_date, 1).toISOString(),
    usageDate: day,
    meterType: '1 Compute Hour',
    meterCategory: row.meter_category,
    meterId: row.meter_id,
    meterSubCategory: row.meter_sub_category,
    meterName: row.meter_name,
    meterRegion: row.meter_region,
    unitOfMeasure: row.unit_of_measure,
    resourceLocation: row.meter_region.toLowerCase().replaceAll(' ', ''),
    consumedService: AZURE_RESOURCE.provider,
    resourceGroup: AZURE_RESOURCE.group,
    resourceUri: azureResourceUri(row.subscription_id),
    tags: '',
    additionalInfo: '',
    serviceInfo1: '',
    serviceInfo2: '',
    chargeType: 'New',
    unitPrice: money(row.unit_price_minor),
    quantity: row.quantity,
    unitType: row.unit_of_measure,
    billingPreTaxTotal: total,
    billingCurrency: row.currency_code,
    pricingPreTaxTotal: total,
    pricingCurrency: row.currency_code,
    entitlementId: row.subscription_id,
    entitlementDescription: row.friendly_name,
    pcToBCExchangeRate: 1,
    pcToBCExchangeRateDate: day,
    effectiveUnitPrice: money(row.unit_price_minor),
    rateOfPartnerEarnedCredit: 0,
    hasPartnerEarnedCredit: false,
    creditType: 'None',
    rateOfCredit: 0,
    invoiceLineItemType: 'usage_line_items',
    billingProvider: 'marketplace',
    attributes: { objectType: 'DailyRatedUsageLineItem' }
  })
}

/**
 * The legacy line items' MPN ids are JSON numbers (get-invoiceline-items samples: `"mpnId": 4391507`,
 * `"tier2MpnId": -1`): tier 2 is the indirect reseller, -1 without one. The partner's own MPN id is
 * not modelled, so 0.
 */
const legacyMpnIds = (row: { reseller_mpn_id: string | null }) => ({ mpnId: 0, tier2MpnId: row.reseller_mpn_id ? Number(row.reseller_mpn_id) : -1 })

/** Legacy license-based billing line (billing_line_items, office): LicenseBasedLineItem. */
export function licenseBasedLineItemOf (row: LineRow, partnerTenantId: string) {
  const amount = money(row.amount_minor)
  return {
    partnerId: partnerTenantId,
    customerId: row.customer_id,
    customerName: row.company_name,
    ...legacyMpnIds(row),
    orderId: row.order_id,
    subscriptionId: row.subscription_id ?? '',
    syndicationPartnerSubscriptionNumber: row.subscription_id ?? '',
    subscriptionName: row.offer_name ?? '',
    subscriptionDescription: row.friendly_name ?? '',
    billingCycleType: row.billing_cycle === 'annual' ? 'Annual' : 'Monthly',
    domainName: row.domain,
    offerId: row.catalog_item_id,
    durableOfferId: row.catalog_item_id,
    offerName: row.offer_name ?? '',
    // Days, as the LicenseBasedLineItem sample of get-invoiceline-items writes them.
    subscriptionStartDate: utcDay(row.subscription_start ?? row.occurred_at).toISOString(),
    subscriptionEndDate: '9999-12-31T00:00:00.000Z',
    chargeStartDate: utcDay(row.occurred_at).toISOString(),
    chargeEndDate: utcDay(new Date(row.occurred_at.getTime() + 30 * 86_400_000)).toISOString(),
    chargeType: row.charge_type === 'new' ? 'Cycle fee' : row.charge_type,
    unitPrice: money(row.unit_price_minor),
    quantity: row.quantity,
    amount,
    totalOtherDiscount: 0,
    subtotal: amount,
    tax: 0,
    totalForCustomer: amount,
    currency: row.currency_code,
    invoiceLineItemType: 'billing_line_items',
    billingProvider: 'office',
    attributes: { objectType: 'LicenseBasedLineItem' }
  }
}

/** Legacy Azure usage billed per meter and day (billing_line_items, azure): UsageBasedLineItem. */
export function usageBasedLineItemOf (row: UsageRow, partnerTenantId: string, partnerName: string) {
  const total = money(row.amount_minor)
  const day = row.usage_date.toISOString()
  return {
    partnerId: partnerTenantId,
    partnerName,
    partnerBillableAccountId: partnerTenantId,
    customerId: row.customer_id,
    customerCompanyName: row.company_name,
    ...legacyMpnIds(row),
    invoiceNumber: row.invoice_id ?? '',
    domainName: row.domain,
    billingCycleType: 'Monthly',
    subscriptionId: row.subscription_id,
    subscriptionName: row.offer_name,
    subscriptionDescription: row.friendly_name,
    orderId: '',
    serviceName: row.meter_category,
    serviceType: row.meter_sub_category,
    resourceGuid: row.meter_id,
    resourceName: row.meter_name,
    region: row.meter_region,
    consumedQuantity: row.quantity,
    chargeStartDate: day,
    chargeEndDate: new Date(row.usage_date.getTime() + 86_400_000 - 1000).toISOString(),
    unit: row.unit_of_measure,
    detailLineItemId: Number(row.id),
    sku: row.meter_name,
    includedQuantity: 0,
    overageQuantity: row.quantity,
    listPrice: money(row.unit_price_minor),
    consumptionPrice: money(row.unit_price_minor),
    consumptionDiscount: 0,
    currency: row.currency_code,
    pretaxCharges: total,
    taxAmount: 0,
    postTaxTotal: total,
    pretaxEffectiveRate: money(row.unit_price_minor),
    postTaxEffectiveRate: money(row.unit_price_minor),
    chargeType: 'Usage',
    invoiceLineItemType: 'billing_line_items',
    billingProvider: 'azure',
    attributes: { objectType: 'UsageBasedLineItem' }
  }
}
