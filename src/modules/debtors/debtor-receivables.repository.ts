import { sql } from 'drizzle-orm'
import type { Tx } from '../../db/client.js'
import { invoicesAsOf } from './open-items.sql.js'

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
 * Invoices open on `asOf`, with what was left to pay that day (open-items.sql.ts: payments count
 * from the day they were received, credit notes from their issue date, until reversed).
 */
export async function openItemsAsOf(tx: Tx, tenantId: string, debtorId: string, asOf: string): Promise<OpenItemRow[]> {
  const result = await tx.execute<Record<keyof OpenItemRow, string | null>>(sql`
    select i.invoice_id as "invoiceId", i.number, i.external_ref as "externalRef", i.currency,
      i.issue_date::text as "issueDate", i.due_date::text as "dueDate", i.amount_total as "amountTotal", i.amount_due as "amountDue"
    from ${invoicesAsOf(tenantId, asOf, { debtorId })} i
    where i.amount_due > 0
    order by i.due_date, i.invoice_id`)
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
