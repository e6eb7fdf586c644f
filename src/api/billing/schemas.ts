// Billing shapes: invoices, balances, line items, and the line items' query.
import { Type, type Static } from 'typebox'
import { AttributesSchema, LinkSchema } from '../../schemas/common.js'

export { ContinuationHeaders } from '../../schemas/common.js'

/** Line items come at most 2,000 to a page. */
export const MAX_PAGE = 2000

export const InvoiceParams = Type.Object({ invoiceId: Type.String() })
export const LineItemsPathParams = Type.Object({ invoiceId: Type.String(), billingProvider: Type.String(), invoiceLineItemType: Type.String() })
export const InvoicesQuery = Type.Object({ size: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })), offset: Type.Optional(Type.Integer({ minimum: 0 })) })

export const InvoiceSchema = Type.Object({
  id: Type.String(),
  invoiceDate: Type.String(),
  billingPeriodStartDate: Type.String(),
  billingPeriodEndDate: Type.String(),
  totalCharges: Type.Number(),
  paidAmount: Type.Number(),
  currencyCode: Type.String(),
  currencySymbol: Type.String(),
  pdfDownloadLink: Type.Optional(Type.String()),
  invoiceDetails: Type.Array(Type.Object({ invoiceLineItemType: Type.String(), billingProvider: Type.String(), links: Type.Object({ self: LinkSchema }), attributes: AttributesSchema('InvoiceDetail') })),
  amendments: Type.Array(Type.Unknown()),
  documentType: Type.String(),
  invoiceType: Type.String(),
  links: Type.Object({ self: LinkSchema }),
  attributes: AttributesSchema('Invoice')
})

export const SummarySchema = Type.Object({
  balanceAmount: Type.Number(),
  currencyCode: Type.String(),
  currencySymbol: Type.String(),
  accountingDate: Type.String(),
  firstInvoiceCreationDate: Type.Union([Type.String(), Type.Null()]),
  latestInvoiceDate: Type.Union([Type.String(), Type.Null()]),
  lastPaymentDate: Type.Null(),
  lastPaymentAmount: Type.Number(),
  details: Type.Array(Type.Object({ invoiceType: Type.String(), summary: Type.Object({ balanceAmount: Type.Number(), currencyCode: Type.String() }) })),
  attributes: AttributesSchema('InvoiceSummary')
})

export const LineItemSchema = Type.Object({
  invoiceLineItemType: Type.String({ description: 'billing_line_items or usage_line_items' }),
  billingProvider: Type.String({ description: 'one_time, office, azure, marketplace' }),
  attributes: AttributesSchema('OneTimeInvoiceLineItem, DailyRatedUsageLineItem, LicenseBasedLineItem or UsageBasedLineItem')
}, { additionalProperties: true, description: 'A line item, by invoiceLineItemType and billingProvider: OneTimeInvoiceLineItem (billing_line_items, one_time), DailyRatedUsageLineItem (usage_line_items, marketplace), LicenseBasedLineItem (billing_line_items, office), UsageBasedLineItem (billing_line_items, azure); fields as Partner Center\'s invoice line item resources' })

export const LineItemsQuery = Type.Object({
  provider: Type.String({ description: 'onetime (new commerce), office or azure (legacy)' }),
  invoicelineitemtype: Type.String({ description: 'billinglineitems or usagelineitems' }),
  currencycode: Type.Optional(Type.String({ pattern: '^[A-Za-z]{3}$' })),
  size: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_PAGE })),
  offset: Type.Optional(Type.Integer({ minimum: 0 })),
  seekOperation: Type.Optional(Type.String()),
  period: Type.Optional(Type.String({ description: 'Unbilled only: current or previous' }))
})
export type LineItemsQueryValue = Static<typeof LineItemsQuery>
