// SQL of usage records and Azure entitlements: a customer and its usage-based subscriptions, the unbilled
// usage of a billing period totalled per subscription, meter or day, and the cancellation state of an
// Azure plan's Azure subscription. Every query is scoped by the partner tenant.
import type { ExpressionBuilder, Kysely } from 'kysely'
import type { AzureEntitlementRow, Database, SubscriptionRow, UsageRecordsTable } from '../../db/schema.js'

/** Which usage a total reads: the unbilled usage of the partner (or one customer, or one subscription) dated in [from, to). */
export interface UsageScope { partnerTenantId: string, customerId?: string, subscriptionId?: string, from: Date, to: Date }

/** Unbilled usage of the scope: usage put on an invoice belongs to a closed period, not the current one. */
function usage (db: Kysely<Database>, scope: UsageScope) {
  let query = db.selectFrom('usage_records as u').where('u.partner_tenant_id', '=', scope.partnerTenantId)
    .where('u.invoice_id', 'is', null).where('u.usage_date', '>=', scope.from).where('u.usage_date', '<', scope.to)
  if (scope.customerId) query = query.where('u.customer_id', '=', scope.customerId)
  if (scope.subscriptionId) query = query.where('u.subscription_id', '=', scope.subscriptionId)
  return query
}

/** The sums every total carries: amount (minor units), hours, and the last day metered. */
const sums = (eb: ExpressionBuilder<Database & { u: UsageRecordsTable }, 'u'>) => [
  eb.fn.sum<string>('u.amount_minor').as('amount'),
  eb.fn.sum<string>('u.quantity').as('quantity'),
  eb.fn.max('u.usage_date').as('last_day')
] as const

export function createUsageRecordsRepository (db: Kysely<Database>) {
  return {
    customer (partnerTenantId: string, customerId: string) {
      return db.selectFrom('customers').select(['id', 'company_name', 'billing_address'])
        .where('partner_tenant_id', '=', partnerTenantId).where('id', '=', customerId.toLowerCase()).executeTakeFirst()
    },

    /** The customer's usage-based subscriptions (Azure plans and legacy Azure), oldest first. */
    usageSubscriptions (partnerTenantId: string, customerId: string): Promise<SubscriptionRow[]> {
      return db.selectFrom('subscriptions').selectAll().where('partner_tenant_id', '=', partnerTenantId)
        .where('customer_id', '=', customerId).where('billing_type', '=', 'usage').orderBy('created_at').orderBy('id').execute()
    },

    /** Totals of the scope (one customer buys in one currency, so one row, or none without usage). */
    async total (scope: UsageScope) {
      return (await usage(db, scope).select((eb) => ['u.currency_code', ...sums(eb)]).groupBy('u.currency_code').execute())[0]
    },

    /** The partner's customers with usage-based subscriptions; `upgraded`: one of them is an Azure plan. */
    customersWithUsage (partnerTenantId: string) {
      return db.selectFrom('customers as c').innerJoin('subscriptions as s', 's.customer_id', 'c.id')
        .select(['c.id', 'c.company_name', 'c.billing_address', (eb) => eb.fn.max(eb.case().when('s.catalog_item_id', 'like', '%:%').then(1).else(0).end()).as('upgraded')])
        .where('c.partner_tenant_id', '=', partnerTenantId).where('s.partner_tenant_id', '=', partnerTenantId).where('s.billing_type', '=', 'usage')
        .groupBy(['c.id', 'c.company_name', 'c.billing_address']).orderBy('c.company_name').orderBy('c.id').execute()
    },

    /** Totals of the scope per customer. */
    byCustomer (scope: UsageScope) {
      return usage(db, scope).select((eb) => ['u.customer_id', 'u.currency_code', ...sums(eb)]).groupBy(['u.customer_id', 'u.currency_code']).execute()
    },

    /** Totals of the scope per subscription. */
    bySubscription (scope: UsageScope) {
      return usage(db, scope).select((eb) => ['u.subscription_id', 'u.currency_code', ...sums(eb)])
        .groupBy(['u.subscription_id', 'u.currency_code']).execute()
    },

    /** Totals of the scope per meter, in meter order. */
    byMeter (scope: UsageScope) {
      const meter = ['u.meter_id', 'u.meter_name', 'u.meter_category', 'u.meter_sub_category', 'u.unit_of_measure', 'u.currency_code'] as const
      return usage(db, scope).select((eb) => [...meter, ...sums(eb)]).groupBy([...meter])
        .orderBy('u.meter_name').orderBy('u.meter_id').execute()
    },

    /** Totals of the scope per day, oldest first. */
    byDay (scope: UsageScope) {
      return usage(db, scope).select((eb) => ['u.usage_date', 'u.currency_code', ...sums(eb)])
        .groupBy(['u.usage_date', 'u.currency_code']).orderBy('u.usage_date').execute()
    },

    /** How the partner changed the plan's Azure subscription (cancelled, reactivated), if it did. */
    entitlement (partnerTenantId: string, subscriptionId: string): Promise<AzureEntitlementRow | undefined> {
      return db.selectFrom('azure_entitlements').selectAll().where('partner_tenant_id', '=', partnerTenantId)
        .where('subscription_id', '=', subscriptionId).executeTakeFirst()
    },

    /** The subscription, locked until the transaction ends (a cancel and a reactivate of one entitlement run one after the other). */
    lockSubscription (id: string): Promise<SubscriptionRow> {
      return db.selectFrom('subscriptions').selectAll().where('id', '=', id).forUpdate().executeTakeFirstOrThrow()
    },

    saveEntitlement (row: { subscriptionId: string, partnerTenantId: string, status: string, cancellationReason: string | null, at: Date, meteredFrom: Date | null }) {
      const values = { status: row.status, cancellation_reason: row.cancellationReason, changed_at: row.at, metered_from: row.meteredFrom }
      return db.insertInto('azure_entitlements').values({ subscription_id: row.subscriptionId, partner_tenant_id: row.partnerTenantId, ...values })
        .onConflict((oc) => oc.column('subscription_id').doUpdateSet(values)).returningAll().executeTakeFirstOrThrow()
    }
  }
}

export type UsageRecordsRepository = ReturnType<typeof createUsageRecordsRepository>
