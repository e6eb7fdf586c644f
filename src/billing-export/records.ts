// The records of an export file, one JSON object per line, in Microsoft's column names (PascalCase)
// and order: the new-commerce reconciliation file's 47 columns, and the daily rated usage columns of
// Graph's attributeSet page. Each record is made from the same v1 line item the reconciliation API
// answers with (billing/line-items.ts), so the export and the line items always agree. `basic` keeps
// the subset of columns its set names (a JSON.stringify replacer list: it picks and orders them).
import { findProduct } from '../catalog/catalog.js'
import { dailyRatedUsageOf, oneTimeLineItemOf } from '../billing/line-items.js'
import type { BillingRepository, LineRow, LineScope, UsageRow } from '../billing/repository.js'
import type { BillingExportRow } from '../db/schema.js'

/** Reconciliation columns in file order; the `basic` ones (our reading: the Learn page's table could not be read) in BASIC_RECONCILIATION. */
export const RECONCILIATION_COLUMNS = [
  'PartnerId', 'CustomerId', 'CustomerName', 'CustomerDomainName', 'CustomerCountry', 'InvoiceNumber', 'MpnId', 'Tier2MpnId',
  'OrderId', 'OrderDate', 'ProductId', 'SkuId', 'AvailabilityId', 'SkuName', 'ProductName', 'ChargeType', 'UnitPrice', 'Quantity',
  'Subtotal', 'TaxTotal', 'Total', 'Currency', 'PriceAdjustmentDescription', 'PublisherName', 'PublisherId',
  'SubscriptionDescription', 'SubscriptionId', 'ChargeStartDate', 'ChargeEndDate', 'TermAndBillingCycle', 'EffectiveUnitPrice',
  'UnitType', 'AlternateId', 'BillableQuantity', 'BillingFrequency', 'PricingCurrency', 'PCToBCExchangeRate',
  'PCToBCExchangeRateDate', 'MeterDescription', 'ReservationOrderId', 'CreditReasonCode', 'SubscriptionStartDate',
  'SubscriptionEndDate', 'ReferenceId', 'ProductQualifiers', 'PromotionId', 'ProductCategory'
] as const
const BASIC_RECONCILIATION = [
  'PartnerId', 'CustomerId', 'CustomerName', 'InvoiceNumber', 'OrderId', 'OrderDate', 'ProductId', 'SkuId', 'SkuName', 'ChargeType',
  'UnitPrice', 'Quantity', 'Subtotal', 'TaxTotal', 'Total', 'Currency', 'PublisherName', 'SubscriptionId', 'ChargeStartDate',
  'ChargeEndDate', 'EffectiveUnitPrice', 'BillableQuantity', 'PricingCurrency', 'PCToBCExchangeRate'
]

/** Usage columns in file order (Graph attributeSet page); the basic set is the page's "Basic" column. */
const BASIC_USAGE = [
  'PartnerId', 'PartnerName', 'CustomerId', 'CustomerName', 'InvoiceNumber', 'ProductId', 'SkuId', 'SkuName', 'PublisherName',
  'SubscriptionId', 'ChargeStartDate', 'ChargeEndDate', 'UsageDate', 'ResourceURI', 'ChargeType', 'UnitPrice', 'Quantity', 'UnitType',
  'BillingPreTaxTotal', 'BillingCurrency', 'PricingPreTaxTotal', 'PricingCurrency', 'AdditionalInfo', 'EffectiveUnitPrice',
  'PCToBCExchangeRate', 'EntitlementId', 'CreditPercentage', 'CreditType', 'BenefitOrderId', 'BenefitType'
]

type Reconciliation = Record<typeof RECONCILIATION_COLUMNS[number], unknown>

const categories = new Map<string, string>()
const categoryOf = (productId: string) => {
  let category = categories.get(productId)
  if (category === undefined) categories.set(productId, category = findProduct(productId)?.productType.id ?? '')
  return category
}

export function reconciliationRecordOf (row: LineRow, partnerTenantId: string): Reconciliation {
  const li = oneTimeLineItemOf(row, partnerTenantId)
  return {
    PartnerId: li.partnerId,
    CustomerId: li.customerId,
    CustomerName: li.customerName,
    CustomerDomainName: li.customerDomainName,
    CustomerCountry: li.customerCountry,
    InvoiceNumber: li.invoiceNumber,
    MpnId: li.mpnId,
    Tier2MpnId: li.resellerMpnId ? String(li.resellerMpnId) : '',
    OrderId: li.orderId,
    OrderDate: li.orderDate,
    ProductId: li.productId,
    SkuId: li.skuId,
    AvailabilityId: li.availabilityId,
    SkuName: li.skuName,
    ProductName: li.productName,
    ChargeType: li.chargeType,
    UnitPrice: li.unitPrice,
    Quantity: li.quantity,
    Subtotal: li.subtotal,
    TaxTotal: li.taxTotal,
    Total: li.totalForCustomer,
    Currency: li.currency,
    PriceAdjustmentDescription: li.priceAdjustmentDescription,
    PublisherName: li.publisherName,
    PublisherId: li.publisherId,
    SubscriptionDescription: li.subscriptionDescription,
    SubscriptionId: li.subscriptionId,
    ChargeStartDate: li.chargeStartDate,
    ChargeEndDate: li.chargeEndDate,
    TermAndBillingCycle: li.termAndBillingCycle,
    EffectiveUnitPrice: li.effectiveUnitPrice,
    UnitType: li.unitType,
    AlternateId: li.alternateId,
    BillableQuantity: li.billableQuantity,
    BillingFrequency: li.billingFrequency,
    PricingCurrency: li.pricingCurrency,
    PCToBCExchangeRate: li.pcToBCExchangeRate,
    // Prices are in the billing currency: the rate is 1 and dated at the charge.
    PCToBCExchangeRateDate: li.chargeStartDate,
    MeterDescription: '',
    ReservationOrderId: '',
    CreditReasonCode: '',
    SubscriptionStartDate: li.subscriptionStartDate,
    SubscriptionEndDate: li.subscriptionEndDate,
    ReferenceId: li.referenceId,
    // The file's qualifiers are the API's list, written as text.
    ProductQualifiers: JSON.stringify(li.productQualifiers),
    PromotionId: '',
    ProductCategory: categoryOf(li.productId)
  }
}

export function usageRecordOf (row: UsageRow, partnerTenantId: string, partnerName: string) {
  const li = dailyRatedUsageOf(row, partnerTenantId, partnerName)
  return {
    PartnerId: li.partnerId,
    PartnerName: li.partnerName,
    CustomerId: li.customerId,
    CustomerName: li.customerName,
    CustomerDomainName: li.customerDomainName,
    CustomerCountry: li.customerCountry,
    MpnId: li.mpnId,
    Tier2MpnId: li.resellerMpnId,
    InvoiceNumber: li.invoiceNumber,
    ProductId: li.productId,
    SkuId: li.skuId,
    AvailabilityId: li.availabilityId,
    SkuName: li.skuName,
    ProductName: li.productName,
    PublisherName: li.publisherName,
    PublisherId: li.publisherId,
    SubscriptionDescription: li.subscriptionDescription,
    SubscriptionId: li.subscriptionId,
    ChargeStartDate: li.chargeStartDate,
    ChargeEndDate: li.chargeEndDate,
    UsageDate: li.usageDate,
    MeterType: li.meterType,
    MeterCategory: li.meterCategory,
    MeterId: li.meterId,
    MeterSubCategory: li.meterSubCategory,
    MeterName: li.meterName,
    MeterRegion: li.meterRegion,
    Unit: li.unitOfMeasure,
    ResourceLocation: li.resourceLocation,
    ConsumedService: li.consumedService,
    ResourceGroup: li.resourceGroup,
    ResourceURI: li.resourceUri,
    ChargeType: li.chargeType,
    UnitPrice: li.unitPrice,
    Quantity: li.quantity,
    UnitType: li.unitType,
    BillingPreTaxTotal: li.billingPreTaxTotal,
    BillingCurrency: li.billingCurrency,
    PricingPreTaxTotal: li.pricingPreTaxTotal,
    PricingCurrency: li.pricingCurrency,
    ServiceInfo1: li.serviceInfo1,
    ServiceInfo2: li.serviceInfo2,
    Tags: li.tags,
    AdditionalInfo: li.additionalInfo,
    EffectiveUnitPrice: li.effectiveUnitPrice,
    PCToBCExchangeRate: li.pcToBCExchangeRate,
    PCToBCExchangeRateDate: li.pcToBCExchangeRateDate,
    EntitlementId: li.entitlementId,
    EntitlementDescription: li.entitlementDescription,
    PartnerEarnedCreditPercentage: li.rateOfPartnerEarnedCredit,
    CreditPercentage: li.rateOfCredit,
    CreditType: li.creditType,
    BenefitOrderId: '',
    BenefitId: '',
    BenefitType: ''
  }
}

/** Where an export's records come from: batches after an id, each record's id, and a batch as JSON lines. */
export interface ExportSource {
  next: (after: string | undefined, size: number) => Promise<Array<{ id: string }>>
  idOf: (row: { id: string }) => string
  lines: (rows: Array<{ id: string }>) => string[]
}

/**
 * Records per string handed to gzip: about 64 KB, under V8's large-object size, so the strings die
 * young in the scavenged space instead of piling up in large-object space until a full collection.
 */
const RECORDS_PER_STRING = 48

/** The lines of an export: its invoice's (or the unbilled ones, in its currency) up to its high-water id. */
export function sourceOf (row: BillingExportRow, billing: BillingRepository, partnerName: string): ExportSource {
  const scope: LineScope = { partnerTenantId: row.partner_tenant_id, invoiceId: row.invoice_id, catalog: 'new' }
  const currency = row.invoice_id === null ? row.currency_code ?? undefined : undefined
  const partner = row.partner_tenant_id
  const basic = row.attribute_set === 'basic'
  const jsonLines = <T>(record: (r: T) => unknown, columns: string[]) => (rows: T[]) => {
    const strings: string[] = []
    for (let i = 0; i < rows.length; i += RECORDS_PER_STRING) {
      let text = ''
      for (const r of rows.slice(i, i + RECORDS_PER_STRING)) text += JSON.stringify(record(r), basic ? columns : undefined) + '\n'
      strings.push(text)
    }
    return strings
  }
  // The repository reads one more than asked (to tell a last page): ask for one fewer.
  if (row.dataset.endsWith('usage')) {
    return {
      next: (after, size) => billing.usageAfter(scope, currency, after, size - 1, row.high_water_id),
      idOf: (r) => r.id,
      lines: jsonLines<UsageRow>((r) => usageRecordOf(r, partner, partnerName), BASIC_USAGE) as ExportSource['lines']
    }
  }
  return {
    next: (after, size) => billing.chargesAfter(scope, currency, after, size - 1, row.high_water_id),
    idOf: (r) => r.id,
    lines: jsonLines<LineRow>((r) => reconciliationRecordOf(r, partner), BASIC_RECONCILIATION) as ExportSource['lines']
  }
}
