import { sql, type SQL } from 'drizzle-orm'
import type { Tx } from '../../db/client.js'
import { invoicesAsOf, type ReceivablesFilter } from '../debtors/open-items.sql.js'
import type { ForecastLine } from './reports.schema.js'

export const FORECAST_WEEKS = 13
/** Lateness is learnt from invoices settled in the year before as_of. */
const LATENESS_LOOKBACK_DAYS = 365

/** Debtor, segment and currency filters on a row with tenant_id, debtor_id and a currency column. */
export function debtorFilter(alias: string, filter: ReceivablesFilter, currencyColumn: string): SQL {
  const a = sql.raw(alias)
  return sql`
    ${filter.debtorId ? sql`and ${a}.debtor_id = ${filter.debtorId}` : sql``}
    ${filter.currency ? sql`and ${sql.raw(currencyColumn)} = ${filter.currency}` : sql``}
    ${filter.segment ? sql`and exists (select 1 from debtors ds where ds.tenant_id = ${a}.tenant_id and ds.debtor_id = ${a}.debtor_id and ds.segment = ${filter.segment})` : sql``}`
}

/**
 * What is expected to come in over the 13 weeks from `asOf`, one line per source, in one statement:
 * - open invoices at due date + the debtor's average days late (from invoices it settled in the
 *   past year), except those a payment plan or a promise to pay stands for;
 * - pending instalments of active payment plans, on their due date;
 * - active promises to pay, on the promised date.
 * Anything already past its date is expected in the first week. Plans and promises are taken as
 * they stand now (a forecast looks ahead); invoices and lateness as of `asOf`.
 */
export async function forecastLines(tx: Tx, tenantId: string, asOf: string, filter: ReceivablesFilter): Promise<Array<ForecastLine & { week: number }>> {
  const horizon = FORECAST_WEEKS * 7
  const result = await tx.execute<Record<string, string | number>>(sql`
    with lateness as (
      select debtor_id, round(avg(greatest(0, last_settled_on - due_date)))::int as days
      from ${invoicesAsOf(tenantId, asOf, { debtorId: filter.debtorId, segment: filter.segment })} s
      where s.amount_due <= 0 and s.settled > 0 and s.last_settled_on > ${asOf}::date - ${LATENESS_LOOKBACK_DAYS}::int
      group by debtor_id
    ),
    planned as (
      select unnest(invoice_ids) as invoice_id from payment_plans
      where tenant_id = ${tenantId} and status = 'active'
    ),
    promises as (
      select * from holds h
      where h.tenant_id = ${tenantId} and h.kind = 'promise_to_pay' and h.status = 'active'
        ${debtorFilter('h', filter, 'h.promised_currency')}
    ),
    lines as (
      select 'invoice_due_date' as basis, i.invoice_id as source_id, i.debtor_id, i.currency, i.amount_due as amount,
        i.due_date as scheduled_on, coalesce(l.days, 0) as adjustment_days
      from ${invoicesAsOf(tenantId, asOf, filter)} i
      left join lateness l on l.debtor_id = i.debtor_id
      where i.amount_due > 0
        and i.invoice_id not in (select invoice_id from planned)
        and not exists (select 1 from promises p where p.debtor_id = i.debtor_id and p.promised_currency = i.currency
                        and (p.invoice_id is null or p.invoice_id = i.invoice_id))
      union all
      select 'payment_plan_instalment', pp.plan_id || '#' || pi.sequence, pp.debtor_id, pp.currency, pi.amount - pi.amount_paid,
        pi.due_date, 0
      from payment_plans pp
      join payment_plan_instalments pi on pi.tenant_id = pp.tenant_id and pi.plan_id = pp.plan_id
      where pp.tenant_id = ${tenantId} and pp.status = 'active' and pi.status = 'pending' and pi.amount > pi.amount_paid
        ${debtorFilter('pp', filter, 'pp.currency')}
      union all
      select 'promise_to_pay', p.hold_id, p.debtor_id, p.promised_currency, p.promised_amount, p.promised_date, 0
      from promises p where p.promised_amount is not null and p.promised_date is not null
    )
    select basis, source_id, debtor_id, currency, amount::bigint as amount, scheduled_on::text as scheduled_on, adjustment_days,
      greatest(scheduled_on + adjustment_days, ${asOf}::date)::text as expected_on,
      (greatest(scheduled_on + adjustment_days, ${asOf}::date) - ${asOf}::date) / 7 as week
    from lines
    where scheduled_on + adjustment_days < ${asOf}::date + ${horizon}::int
    order by expected_on, basis, source_id`)
  return result.rows.map((r) => ({
    basis: r.basis as ForecastLine['basis'],
    source_id: String(r.source_id),
    debtor_id: String(r.debtor_id),
    currency: String(r.currency),
    amount: Number(r.amount),
    scheduled_on: String(r.scheduled_on),
    adjustment_days: Number(r.adjustment_days),
    expected_on: String(r.expected_on),
    week: Number(r.week),
  }))
}
