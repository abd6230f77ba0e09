import { sql } from 'drizzle-orm'
import type { Tx } from '../../db/client.js'
import { invoicesAsOf, type ReceivablesFilter } from '../debtors/open-items.sql.js'

export interface AtRiskRow {
  debtor_id: string
  name: string
  segment: string | null
  recent: number | null
  prior: number | null
  broken_promises: number
  refused: number
}

/** Windows, in days before as_of: recent lateness, the lateness it is compared with, and events. */
const RECENT_DAYS = 90
const PRIOR_DAYS = 180
const EVENTS_DAYS = 180

/**
 * Debtors showing one of the signs, in one statement. Lateness of an invoice: days from due date
 * to its settlement, or to as_of while it is still open.
 */
export async function atRiskRows(tx: Tx, tenantId: string, asOf: string, riseDays: number, filter: ReceivablesFilter): Promise<AtRiskRow[]> {
  const result = await tx.execute<Record<string, string | null>>(sql`
    with due as (
      select i.debtor_id, i.due_date,
        case when i.amount_due <= 0 then greatest(0, i.last_settled_on - i.due_date) else ${asOf}::date - i.due_date end as late
      from ${invoicesAsOf(tenantId, asOf, filter)} i
      where i.due_date < ${asOf}::date and i.due_date >= ${asOf}::date - ${RECENT_DAYS + PRIOR_DAYS}::int
    ),
    lateness as (
      select debtor_id,
        round(avg(late) filter (where due_date >= ${asOf}::date - ${RECENT_DAYS}::int), 1) as recent,
        round(avg(late) filter (where due_date < ${asOf}::date - ${RECENT_DAYS}::int), 1) as prior
      from due group by debtor_id
    ),
    broken as (
      select debtor_id, count(*) as n from holds
      where tenant_id = ${tenantId} and kind = 'promise_to_pay' and status = 'broken'
        and (ended_at at time zone 'UTC')::date between ${asOf}::date - ${EVENTS_DAYS}::int and ${asOf}::date
      group by debtor_id
    ),
    refused as (
      select d.debtor_id, count(distinct d.dispatch_id) as n from dispatches d
      join dispatch_events e on e.tenant_id = d.tenant_id and e.dispatch_id = d.dispatch_id
      where d.tenant_id = ${tenantId} and d.channel in ('registered_letter', 'registered_email')
        and e.status in ('refused', 'not_claimed')
        and (e.occurred_at at time zone 'UTC')::date between ${asOf}::date - ${EVENTS_DAYS}::int and ${asOf}::date
      group by d.debtor_id
    )
    select d.debtor_id, d.name, d.segment, l.recent::text, l.prior::text,
      coalesce(b.n, 0) as broken_promises, coalesce(r.n, 0) as refused
    from debtors d
    left join lateness l on l.debtor_id = d.debtor_id
    left join broken b on b.debtor_id = d.debtor_id
    left join refused r on r.debtor_id = d.debtor_id
    where d.tenant_id = ${tenantId}
      ${filter.debtorId ? sql`and d.debtor_id = ${filter.debtorId}` : sql``}
      ${filter.segment ? sql`and d.segment = ${filter.segment}` : sql``}
      and (l.recent - l.prior >= ${riseDays} or b.n > 0 or r.n > 0)
    order by coalesce(b.n, 0) + coalesce(r.n, 0) desc, coalesce(l.recent - l.prior, 0) desc, d.debtor_id`)
  return result.rows.map((r) => ({
    debtor_id: r.debtor_id!,
    name: r.name!,
    segment: r.segment ?? null,
    recent: r.recent === null || r.recent === undefined ? null : Number(r.recent),
    prior: r.prior === null || r.prior === undefined ? null : Number(r.prior),
    broken_promises: Number(r.broken_promises),
    refused: Number(r.refused),
  }))
}
