// SQL of billing: charges and metered usage as line items read them (billed on an invoice, or
// unbilled), usage metering, and closing a billing period. Line items are keyset-paged on the charge
// or usage id, so a page costs the same however many there are; the legacy providers page by offset.
import { sql, type Kysely } from 'kysely'
import type { Database, InvoiceRow } from '../db/schema.js'

/**
 * Which lines a query reads: those of an invoice or, with `null`, the unbilled ones; new-commerce
 * catalog items (`product:sku:availability`) or legacy offers (an offer id, no colon).
 */
export interface LineScope { partnerTenantId: string, invoiceId: string | null, catalog: 'new' | 'legacy' }
const catalogPattern = (scope: LineScope) => scope.catalog === 'new' ? 'like' as const : 'not like' as const

/** Charges, with what their line items need to say about them. */
function lineItemsQuery (db: Kysely<Database>, scope: LineScope) {
  return db.selectFrom('charges as ch')
    .innerJoin('customers as cu', 'cu.id', 'ch.customer_id')
    .leftJoin('subscriptions as s', 's.id', 'ch.subscription_id')
    .leftJoin('orders as o', 'o.id', 'ch.order_id')
    .select([
      'ch.id', 'ch.charge_type', 'ch.catalog_item_id', 'ch.quantity', 'ch.unit_price_minor', 'ch.amount_minor', 'ch.currency_code',
      'ch.occurred_at', 'ch.invoice_id', 'ch.order_id', 'ch.subscription_id', 'ch.customer_id',
      'cu.company_name', 'cu.domain', 'cu.billing_address', 'o.created_at as order_date', 'o.alternate_id',
      // The charge's own term where it has one (a renewal moves the subscription's on), else the subscription's.
      (eb) => eb.fn.coalesce('ch.offer_name', 's.offer_name').as('offer_name'), 's.friendly_name', 's.created_at as subscription_start',
      (eb) => eb.fn.coalesce('ch.term_end_at', 's.commitment_end_at').as('commitment_end_at'),
      (eb) => eb.fn.coalesce('ch.term_duration', 's.term_duration').as('term_duration'),
      (eb) => eb.fn.coalesce('ch.billing_cycle', 's.billing_cycle').as('billing_cycle'), 's.unit_type',
      's.reseller_mpn_id'
    ])
    .where('ch.partner_tenant_id', '=', scope.partnerTenantId)
    .where('ch.catalog_item_id', catalogPattern(scope), '%:%')
    .where((eb) => scope.invoiceId === null ? eb('ch.invoice_id', 'is', null) : eb('ch.invoice_id', '=', scope.invoiceId))
}

export type LineRow = Awaited<ReturnType<ReturnType<typeof lineItemsQuery>['execute']>>[number]

/** Metered usage, with what its line items need to say about it. */
function usageQuery (db: Kysely<Database>, scope: LineScope) {
  return db.selectFrom('usage_records as u')
    .innerJoin('customers as cu', 'cu.id', 'u.customer_id')
    .innerJoin('subscriptions as s', 's.id', 'u.subscription_id')
    .select([
      'u.id', 'u.usage_date', 'u.meter_id', 'u.meter_name', 'u.meter_category', 'u.meter_sub_category', 'u.meter_region', 'u.unit_of_measure',
      'u.quantity', 'u.unit_price_minor', 'u.amount_minor', 'u.currency_code', 'u.invoice_id', 'u.customer_id', 'u.subscription_id',
      'cu.company_name', 'cu.domain', 'cu.billing_address', 's.catalog_item_id', 's.offer_name', 's.friendly_name', 's.reseller_mpn_id'
    ])
    .where('u.partner_tenant_id', '=', scope.partnerTenantId)
    .where('s.catalog_item_id', catalogPattern(scope), '%:%')
    .where((eb) => scope.invoiceId === null ? eb('u.invoice_id', 'is', null) : eb('u.invoice_id', '=', scope.invoiceId))
}

export type UsageRow = Awaited<ReturnType<ReturnType<typeof usageQuery>['execute']>>[number]

export function createBillingRepository (db: Kysely<Database>) {
  return {
    /**
     * New-commerce charges of the scope after the charge id `after` (and up to `through`, when given),
     * in id order, one more than `size`.
     */
    chargesAfter (scope: LineScope, currency: string | undefined, after: string | undefined, size: number, through?: string): Promise<LineRow[]> {
      let query = lineItemsQuery(db, scope).orderBy('ch.id').limit(size + 1)
      if (currency) query = query.where('ch.currency_code', '=', currency.toUpperCase())
      if (after) query = query.where('ch.id', '>', after)
      if (through !== undefined) query = query.where('ch.id', '<=', through)
      return query.execute()
    },

    /** Usage of the scope after the usage id `after` (and up to `through`), in id order, one more than `size`. */
    usageAfter (scope: LineScope, currency: string | undefined, after: string | undefined, size: number, through?: string): Promise<UsageRow[]> {
      let query = usageQuery(db, scope).orderBy('u.id').limit(size + 1)
      if (currency) query = query.where('u.currency_code', '=', currency.toUpperCase())
      if (after) query = query.where('u.id', '>', after)
      if (through !== undefined) query = query.where('u.id', '<=', through)
      return query.execute()
    },

    /**
     * The highest charge and usage ids now: an export reads up to them, so lines added while it runs wait
     * for the next. Positions in the id sequences, not any partner's data: read across partners.
     */
    async highWaterIds (): Promise<{ charges: string, usage: string }> {
      const { rows } = await sql<{ charges: string, usage: string }>`select
        (select coalesce(max(id), 0) from charges)::text as charges, (select coalesce(max(id), 0) from usage_records)::text as usage`.execute(db)
      return rows[0]!
    },

    /** The invoice id of the most recently closed period in a currency (the "previous" unbilled period). */
    async latestInvoiceId (partnerTenantId: string, currency: string | undefined): Promise<string | undefined> {
      let query = db.selectFrom('invoices').select('id').where('partner_tenant_id', '=', partnerTenantId).orderBy('number', 'desc').limit(1)
      if (currency) query = query.where('currency_code', '=', currency.toUpperCase())
      return (await query.executeTakeFirst())?.id
    },

    /** Charges of the scope from `offset` (the legacy API's paging), one more than `size`. */
    chargesAt (scope: LineScope, offset: number, size: number): Promise<LineRow[]> {
      return lineItemsQuery(db, scope).orderBy('ch.id').offset(offset).limit(size + 1).execute()
    },

    usageAt (scope: LineScope, offset: number, size: number): Promise<UsageRow[]> {
      return usageQuery(db, scope).orderBy('u.id').offset(offset).limit(size + 1).execute()
    },

    /** The partner's active Azure plan subscriptions (their Azure subscription not cancelled), with the country their usage is priced in. */
    activeAzurePlans (partnerTenantId: string) {
      return db.selectFrom('subscriptions as s').innerJoin('customers as c', 'c.id', 's.customer_id')
        .leftJoin('azure_entitlements as e', 'e.subscription_id', 's.id')
        .select(['s.id', 's.customer_id', 's.currency_code', 'c.billing_address'])
        .where('s.partner_tenant_id', '=', partnerTenantId).where('s.billing_type', '=', 'usage').where('s.status', '=', 'active')
        .where((eb) => eb.or([eb('e.status', 'is', null), eb('e.status', '!=', 'canceled')])).execute()
    },

    /**
     * Meters one meter for every whole day of a subscription before `upTo` (from its purchase, or from the
     * reactivation of its cancelled Azure subscription), once: a unique key per
     * subscription, meter and day makes this idempotent, so concurrent readers and closes never count a day twice.
     */
    async meterDays (usage: MeteredUsage): Promise<void> {
      await sql`insert into usage_records (partner_tenant_id, customer_id, subscription_id, usage_date, meter_id, meter_name, meter_category,
          meter_sub_category, meter_region, unit_of_measure, quantity, unit_price_minor, amount_minor, currency_code)
        select ${usage.partnerTenantId}::uuid, ${usage.customerId}::uuid, s.id, day, ${usage.meter.id}::uuid, ${usage.meter.name},
          ${usage.meter.category}, ${usage.meter.subCategory}, ${usage.region}, ${usage.meter.unitOfMeasure}, ${usage.quantityPerDay},
          ${usage.unitPriceMinor}, ${usage.unitPriceMinor * BigInt(usage.quantityPerDay)}, s.currency_code
        from subscriptions s
        left join azure_entitlements e on e.subscription_id = s.id
        cross join generate_series(date_trunc('day', greatest(s.created_at, e.metered_from) at time zone 'UTC') at time zone 'UTC',
          date_trunc('day', ${usage.upTo}::timestamptz at time zone 'UTC') at time zone 'UTC' - interval '1 day', interval '1 day') as day
        where s.id = ${usage.subscriptionId}::uuid
        on conflict (subscription_id, meter_id, usage_date) do nothing`.execute(db)
    },

    /** Locks the partner's row: two closes of one partner's period run one after the other. */
    async lockPartner (partnerTenantId: string): Promise<void> {
      await db.selectFrom('partner_tenants').select('id').where('id', '=', partnerTenantId).forUpdate().executeTakeFirstOrThrow()
    },

    insertPeriod (partnerTenantId: string, start: Date, end: Date, closedAt: Date) {
      return db.insertInto('billing_periods').values({ partner_tenant_id: partnerTenantId, period_start: start, period_end: end, closed_at: closedAt })
        .returning('id').executeTakeFirstOrThrow()
    },

    /** Uninvoiced charges up to `upTo` and usage before it, totalled per currency. */
    uninvoicedTotals (partnerTenantId: string, upTo: Date) {
      const charges = db.selectFrom('charges').select(['currency_code', 'amount_minor'])
        .where('partner_tenant_id', '=', partnerTenantId).where('invoice_id', 'is', null).where('occurred_at', '<=', upTo)
      const usage = db.selectFrom('usage_records').select(['currency_code', 'amount_minor'])
        .where('partner_tenant_id', '=', partnerTenantId).where('invoice_id', 'is', null).where('usage_date', '<', upTo)
      return db.selectFrom(charges.unionAll(usage).as('lines'))
        .select(['currency_code', (eb) => eb.fn.sum<string>('amount_minor').as('total'), (eb) => eb.fn.countAll<string>().as('lines')])
        .groupBy('currency_code').orderBy('currency_code').execute()
    },

    insertInvoice (invoice: { partnerTenantId: string, periodId: string, start: Date, end: Date, invoiceDate: Date, currency: string, symbol: string, totalMinor: bigint, lines: number }): Promise<InvoiceRow> {
      return db.insertInto('invoices').values({
        partner_tenant_id: invoice.partnerTenantId, billing_period_id: invoice.periodId, invoice_date: invoice.invoiceDate,
        period_start: invoice.start, period_end: invoice.end, currency_code: invoice.currency, currency_symbol: invoice.symbol,
        total_minor: invoice.totalMinor, line_count: invoice.lines
      }).returningAll().executeTakeFirstOrThrow()
    },

    /** Puts the uninvoiced charges (up to `upTo`) and usage (before it) of one currency on an invoice. */
    async invoiceLines (partnerTenantId: string, invoiceId: string, currency: string, upTo: Date): Promise<void> {
      await db.updateTable('charges').set({ invoice_id: invoiceId })
        .where('partner_tenant_id', '=', partnerTenantId).where('invoice_id', 'is', null).where('occurred_at', '<=', upTo)
        .where('currency_code', '=', currency).execute()
      await db.updateTable('usage_records').set({ invoice_id: invoiceId })
        .where('partner_tenant_id', '=', partnerTenantId).where('invoice_id', 'is', null).where('usage_date', '<', upTo)
        .where('currency_code', '=', currency).execute()
    }
  }
}

export type BillingRepository = ReturnType<typeof createBillingRepository>

export interface MeteredUsage {
  partnerTenantId: string
  customerId: string
  subscriptionId: string
  meter: { id: string, name: string, category: string, subCategory: string, unitOfMeasure: string }
  region: string
  quantityPerDay: number
  unitPriceMinor: bigint
  upTo: Date
}
