import { sql, type SQL } from 'drizzle-orm'

/** Narrows a receivables query; every field optional, all of them combined with AND. */
export interface ReceivablesFilter {
  debtorId?: string
  segment?: string
  currency?: string
  invoiceId?: string
}

/**
 * What each invoice had been settled by on `asOf`: allocations whose money had arrived that day (a
 * payment from the day it was received, a credit note from its issue date, not the day either was
 * entered) and were not yet reversed. The one definition of "as of" every statement and report uses.
 */
export function settledAsOf(tenantId: string, asOf: string): SQL {
  return sql`
    select a.invoice_id, sum(a.amount) as settled,
      max(coalesce(p.received_on, c.issue_date)) as last_settled_on
    from allocations a
    left join payments p on p.tenant_id = a.tenant_id and p.payment_id = a.payment_id
    left join credit_notes c on c.tenant_id = a.tenant_id and c.credit_note_id = a.credit_note_id
    where a.tenant_id = ${tenantId} and coalesce(p.received_on, c.issue_date) <= ${asOf}::date
      and (a.reversed_at is null or (a.reversed_at at time zone 'UTC')::date > ${asOf}::date)
    group by a.invoice_id`
}

/**
 * Every invoice that existed on `asOf` (issued by then, not yet cancelled or written off), with what
 * was settled and left to pay that day, as a subquery: `open_items(...) as i`. Rows left to pay 0
 * are kept (`amount_due` = 0): reports on lateness need them; callers wanting open ones filter.
 */
export function invoicesAsOf(tenantId: string, asOf: string, filter: ReceivablesFilter = {}): SQL {
  return sql`(
    select i.tenant_id, i.invoice_id, i.debtor_id, i.number, i.external_ref, i.currency,
      i.issue_date, i.due_date, i.amount_total,
      coalesce(s.settled, 0)::bigint as settled,
      (i.amount_total - coalesce(s.settled, 0))::bigint as amount_due,
      s.last_settled_on,
      d.segment, d.name as debtor_name, d.kind as debtor_kind
    from invoices i
    join debtors d on d.tenant_id = i.tenant_id and d.debtor_id = i.debtor_id
    left join (${settledAsOf(tenantId, asOf)}) s on s.invoice_id = i.invoice_id
    where i.tenant_id = ${tenantId} and i.issue_date <= ${asOf}::date
      and (i.cancelled_at is null or (i.cancelled_at at time zone 'UTC')::date > ${asOf}::date)
      and (i.written_off_at is null or (i.written_off_at at time zone 'UTC')::date > ${asOf}::date)
      ${filter.debtorId ? sql`and i.debtor_id = ${filter.debtorId}` : sql``}
      ${filter.segment ? sql`and d.segment = ${filter.segment}` : sql``}
      ${filter.currency ? sql`and i.currency = ${filter.currency}` : sql``}
      ${filter.invoiceId ? sql`and i.invoice_id = ${filter.invoiceId}` : sql``}
  )`
}

/** The aging bucket of `days_past_due` (an SQL expression), the same cut points as agingBucket(). */
export function agingBucketSql(daysPastDue: SQL): SQL {
  return sql`case when ${daysPastDue} <= 0 then 'not_yet_due' when ${daysPastDue} <= 30 then 'days_1_30'
    when ${daysPastDue} <= 60 then 'days_31_60' when ${daysPastDue} <= 90 then 'days_61_90' else 'over_90' end`
}
