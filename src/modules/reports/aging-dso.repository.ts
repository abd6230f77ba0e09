import { sql } from 'drizzle-orm'
import type { Tx } from '../../db/client.js'
import { agingBucketSql, invoicesAsOf, type ReceivablesFilter } from '../debtors/open-items.sql.js'

export interface AgingRow {
  grouped: boolean
  key: string | null
  name: string | null
  currency: string
  invoices: number
  amount_due: number
  not_yet_due: number
  days_1_30: number
  days_31_60: number
  days_61_90: number
  over_90: number
}

/**
 * Open items on `asOf` summed per aging bucket: per currency, and (grouping sets, same statement)
 * per debtor or segment and currency when asked.
 */
export async function agingRows(tx: Tx, tenantId: string, asOf: string, filter: ReceivablesFilter, groupBy?: 'debtor' | 'segment'): Promise<AgingRow[]> {
  const key = groupBy === 'debtor' ? sql`debtor_id` : groupBy === 'segment' ? sql`segment` : sql`null::text`
  const name = groupBy === 'debtor' ? sql`debtor_name` : sql`null::text`
  const sets = groupBy ? sql`grouping sets ((currency), (currency, ${key}, ${name}))` : sql`currency`
  const sum = (bucket: string) => sql`coalesce(sum(amount_due) filter (where bucket = ${bucket}), 0)::bigint`
  const result = await tx.execute<Record<string, string | null>>(sql`
    select ${groupBy ? sql`grouping(${key}) = 0` : sql`false`} as grouped, ${key} as key, ${name} as name, currency,
      count(*) as invoices, sum(amount_due)::bigint as amount_due,
      ${sum('not_yet_due')} as not_yet_due, ${sum('days_1_30')} as days_1_30, ${sum('days_31_60')} as days_31_60,
      ${sum('days_61_90')} as days_61_90, ${sum('over_90')} as over_90
    from (
      select i.*, ${agingBucketSql(sql`(${asOf}::date - i.due_date)`)} as bucket
      from ${invoicesAsOf(tenantId, asOf, filter)} i
      where i.amount_due > 0
    ) items
    group by ${sets}
    order by currency, key nulls first`)
  return result.rows.map((r) => ({
    grouped: String(r.grouped) === 'true',
    key: r.key ?? null,
    name: r.name ?? null,
    currency: r.currency!,
    invoices: Number(r.invoices),
    amount_due: Number(r.amount_due),
    not_yet_due: Number(r.not_yet_due),
    days_1_30: Number(r.days_1_30),
    days_31_60: Number(r.days_31_60),
    days_61_90: Number(r.days_61_90),
    over_90: Number(r.over_90),
  }))
}

export interface DsoRow {
  currency: string
  receivables: number
  salesInPeriod: number
  /** Sales per month back from as_of: month 0 is (as_of − 1 month, as_of]. */
  months: Array<{ from: string; to: string; days: number; sales: number }>
}

export const COUNTBACK_MONTHS = 36

/** Receivables on `asOf`, sales in the standard period and month by month back, per currency: one statement. */
export async function dsoRows(tx: Tx, tenantId: string, asOf: string, periodDays: number, filter: ReceivablesFilter): Promise<DsoRow[]> {
  const result = await tx.execute<{ currency: string; receivables: string; sales_in_period: string; months: Array<{ from: string; to: string; days: number; sales: number }> }>(sql`
    with items as (select * from ${invoicesAsOf(tenantId, asOf, filter)} i),
    slices as (
      select k, (${asOf}::date - make_interval(months => k + 1))::date as slice_start, (${asOf}::date - make_interval(months => k))::date as slice_end
      from generate_series(0, ${COUNTBACK_MONTHS - 1}) k
    ),
    currencies as (select distinct currency from items),
    monthly as (
      select c.currency, s.k, s.slice_start, s.slice_end,
        coalesce((select sum(i.amount_total) from items i where i.currency = c.currency and i.issue_date > s.slice_start and i.issue_date <= s.slice_end), 0) as sales
      from currencies c cross join slices s
    )
    select c.currency,
      coalesce((select sum(i.amount_due) from items i where i.currency = c.currency and i.amount_due > 0), 0)::text as receivables,
      coalesce((select sum(i.amount_total) from items i where i.currency = c.currency and i.issue_date > ${asOf}::date - ${periodDays}::int), 0)::text as sales_in_period,
      (select json_agg(json_build_object('from', (m.slice_start + 1)::text, 'to', m.slice_end::text, 'days', m.slice_end - m.slice_start, 'sales', m.sales) order by m.k)
        from monthly m where m.currency = c.currency) as months
    from currencies c
    order by c.currency`)
  return result.rows.map((r) => ({
    currency: r.currency,
    receivables: Number(r.receivables),
    salesInPeriod: Number(r.sales_in_period),
    months: r.months.map((m) => ({ ...m, sales: Number(m.sales) })),
  }))
}
