import { sql, type SQL } from 'drizzle-orm'
import type { Tx } from '../../db/client.js'
import type { ReceivablesFilter } from '../debtors/open-items.sql.js'
import { debtorFilter } from './forecast.repository.js'

export interface StepCounts {
  step_key: string
  channel: string
  dispatches: number
  debts: number
  debts_paid: number
}

export interface StepMoney {
  step_key: string
  channel: string
  kind: 'recovered' | 'cost'
  currency: string
  amount: number
}

/** Settled on an invoice from money dated within [from, to] (allocations not reversed by as_of). */
function settledBetween(tenantId: string, invoice: SQL, from: SQL, to: SQL, asOf: string): SQL {
  return sql`coalesce((
    select sum(a.amount) from allocations a
    left join payments p on p.tenant_id = a.tenant_id and p.payment_id = a.payment_id
    left join credit_notes c on c.tenant_id = a.tenant_id and c.credit_note_id = a.credit_note_id
    where a.tenant_id = ${tenantId} and a.invoice_id = ${invoice}
      and coalesce(p.received_on, c.issue_date) between ${from} and ${to}
      and (a.reversed_at is null or (a.reversed_at at time zone 'UTC')::date > ${asOf}::date)
  ), 0)`
}

/**
 * Dispatches sent in (as_of − period_days, as_of] with the debts they carried: what was settled
 * before the sending, by the end of the window (sent day + within_days, at most as_of), and the
 * money received in the window. A debt already settled when the dispatch went out is left out.
 */
function debtsSql(tenantId: string, asOf: string, periodDays: number, withinDays: number, filter: ReceivablesFilter): SQL {
  const windowEnd = sql`least(s.sent_on + ${withinDays}::int, ${asOf}::date)`
  return sql`
    with sent as (
      select d.tenant_id, d.dispatch_id, d.debtor_id, d.step_key, d.channel, (d.sent_at at time zone 'UTC')::date as sent_on,
        d.cost_amount, d.cost_currency
      from dispatches d
      where d.tenant_id = ${tenantId} and d.sent_at is not null
        and (d.sent_at at time zone 'UTC')::date > ${asOf}::date - ${periodDays}::int
        and (d.sent_at at time zone 'UTC')::date <= ${asOf}::date
        ${debtorFilter('d', { ...filter, currency: undefined }, '')}
    ),
    debts as (
      select s.dispatch_id, s.step_key, s.channel, i.invoice_id, i.currency, i.amount_total,
        ${settledBetween(tenantId, sql`i.invoice_id`, sql`'-infinity'::date`, sql`s.sent_on - 1`, asOf)} as settled_before,
        ${settledBetween(tenantId, sql`i.invoice_id`, sql`'-infinity'::date`, windowEnd, asOf)} as settled_by_end,
        ${settledBetween(tenantId, sql`i.invoice_id`, sql`s.sent_on`, windowEnd, asOf)} as recovered
      from sent s
      join dispatch_items di on di.tenant_id = s.tenant_id and di.dispatch_id = s.dispatch_id
      join invoices i on i.tenant_id = di.tenant_id and i.invoice_id = di.invoice_id
      ${filter.currency ? sql`where i.currency = ${filter.currency}` : sql``}
    )`
}

export async function stepCounts(tx: Tx, tenantId: string, asOf: string, periodDays: number, withinDays: number, filter: ReceivablesFilter): Promise<StepCounts[]> {
  const result = await tx.execute<Record<string, string>>(sql`
    ${debtsSql(tenantId, asOf, periodDays, withinDays, filter)}
    select s.step_key, s.channel, count(distinct s.dispatch_id) as dispatches,
      count(d.invoice_id) filter (where d.settled_before < d.amount_total) as debts,
      count(d.invoice_id) filter (where d.settled_before < d.amount_total and d.settled_by_end >= d.amount_total) as debts_paid
    from sent s left join debts d on d.dispatch_id = s.dispatch_id
    group by s.step_key, s.channel
    order by s.step_key, s.channel`)
  return result.rows.map((r) => ({ step_key: r.step_key!, channel: r.channel!, dispatches: Number(r.dispatches), debts: Number(r.debts), debts_paid: Number(r.debts_paid) }))
}

export async function stepMoney(tx: Tx, tenantId: string, asOf: string, periodDays: number, withinDays: number, filter: ReceivablesFilter): Promise<StepMoney[]> {
  const result = await tx.execute<Record<string, string>>(sql`
    ${debtsSql(tenantId, asOf, periodDays, withinDays, filter)}
    select step_key, channel, 'recovered' as kind, currency, sum(recovered)::bigint as amount
    from debts where settled_before < amount_total group by step_key, channel, currency having sum(recovered) > 0
    union all
    select step_key, channel, 'cost', cost_currency, sum(cost_amount)::bigint
    from sent where cost_amount is not null and cost_currency is not null group by step_key, channel, cost_currency
    order by step_key, channel, kind, currency`)
  return result.rows.map((r) => ({ step_key: r.step_key!, channel: r.channel!, kind: r.kind as StepMoney['kind'], currency: r.currency!, amount: Number(r.amount) }))
}
