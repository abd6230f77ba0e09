import { sql } from 'drizzle-orm'
import type { Tx } from '../../db/client.js'

/** What a debtor owes, per currency, and how late it pays: one grouped pass over its invoices. */
export interface DebtorCurrencyFigures {
  debtorId: string
  currency: string
  openCount: number
  outstanding: number
  overdue: number
  paidCount: number
  daysLateTotal: number
}

const OPEN = sql.raw(`status in ('open', 'partially_paid', 'disputed')`)
const PAID = sql.raw(`status = 'paid' and paid_at is not null`)

/** One query for any number of debtors, so a list page costs the same as a single read. */
export async function figuresByDebtor(tx: Tx, tenantId: string, debtorIds: string[], today: string): Promise<DebtorCurrencyFigures[]> {
  if (!debtorIds.length) return []
  const result = await tx.execute<Record<keyof DebtorCurrencyFigures, string>>(sql`
    select debtor_id as "debtorId", currency,
      count(*) filter (where ${OPEN}) as "openCount",
      coalesce(sum(amount_total - amount_paid - amount_credited) filter (where ${OPEN}), 0) as outstanding,
      coalesce(sum(amount_total - amount_paid - amount_credited) filter (where ${OPEN} and due_date < ${today}::date), 0) as overdue,
      count(*) filter (where ${PAID}) as "paidCount",
      coalesce(sum(greatest(0, (paid_at at time zone 'UTC')::date - due_date)) filter (where ${PAID}), 0) as "daysLateTotal"
    from invoices
    where tenant_id = ${tenantId} and debtor_id = any(${sql.param(debtorIds)}::text[])
    group by debtor_id, currency
    order by debtor_id, currency`)
  return result.rows.map((r) => ({
    debtorId: r.debtorId,
    currency: r.currency,
    openCount: Number(r.openCount),
    outstanding: Number(r.outstanding),
    overdue: Number(r.overdue),
    paidCount: Number(r.paidCount),
    daysLateTotal: Number(r.daysLateTotal),
  }))
}

export interface OpenItemRow {
  invoiceId: string
  number: string
  externalRef: string | null
  currency: string
  issueDate: string
  dueDate: string
  amountTotal: number
  amountDue: number
}

/**
 * Invoices open on `asOf`, with what was left to pay that day: issued by then, not yet cancelled
 * or written off, minus the allocations in force that day. A payment counts from the day it was
 * received (a credit note from its issue date), not from the day it was entered, and stops
 * counting the day its allocation was reversed.
 */
export async function openItemsAsOf(tx: Tx, tenantId: string, debtorId: string, asOf: string): Promise<OpenItemRow[]> {
  const result = await tx.execute<Record<keyof OpenItemRow, string | null>>(sql`
    select * from (
      select i.invoice_id as "invoiceId", i.number, i.external_ref as "externalRef", i.currency,
        i.issue_date::text as "issueDate", i.due_date::text as "dueDate", i.amount_total as "amountTotal",
        i.amount_total - coalesce((
          select sum(a.amount)
          from allocations a
          left join payments p on p.tenant_id = a.tenant_id and p.payment_id = a.payment_id
          left join credit_notes c on c.tenant_id = a.tenant_id and c.credit_note_id = a.credit_note_id
          where a.tenant_id = i.tenant_id and a.invoice_id = i.invoice_id
            and coalesce(p.received_on, c.issue_date) <= ${asOf}::date
            and (a.reversed_at is null or (a.reversed_at at time zone 'UTC')::date > ${asOf}::date)
        ), 0) as "amountDue"
      from invoices i
      where i.tenant_id = ${tenantId} and i.debtor_id = ${debtorId} and i.issue_date <= ${asOf}::date
        and (i.cancelled_at is null or (i.cancelled_at at time zone 'UTC')::date > ${asOf}::date)
        and (i.written_off_at is null or (i.written_off_at at time zone 'UTC')::date > ${asOf}::date)
    ) items
    where "amountDue" > 0
    order by "dueDate", "invoiceId"`)
  return result.rows.map((r) => ({
    invoiceId: r.invoiceId!,
    number: r.number!,
    externalRef: r.externalRef,
    currency: r.currency!,
    issueDate: r.issueDate!,
    dueDate: r.dueDate!,
    amountTotal: Number(r.amountTotal),
    amountDue: Number(r.amountDue),
  }))
}
