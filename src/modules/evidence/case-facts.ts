import { computeLatePenalty, daysLate, recoveryIndemnity, type LatePenalty, type LawDebtorKind } from '../law/late-payment.js'
import type { RateTables } from '../law/rate-tables.js'
import { prescriptionDate } from '../engine/prescription.js'
import type { InvoiceDto } from '../invoices/invoices.schema.js'
import { whenSent, type CaseDispatch } from './evidence.repository.js'

export interface InvoiceClaim {
  invoice_id: string
  number: string
  currency: string
  amount_total: number
  amount_due: number
  due_date: string
  status: string
  days_late: number
  /** Statutory late-payment penalties on the amount still due, with their periods and rates. */
  penalty: LatePenalty
  /** The €40 fixed recovery indemnity (art. D441-5 C. com.): businesses only. */
  indemnity: { applicable: boolean; amount: number; currency: 'EUR' }
  prescription_date: string
}

const SENT = new Set(['sent', 'delivered', 'refused', 'not_claimed'])

/**
 * The formal notice the consumer's legal interest runs from (art. 1344-1 C. civ.): the first
 * registered letter of a formal_notice step that actually went out.
 */
export function formalNoticeDate(dispatches: readonly CaseDispatch[], invoiceId: string): string | undefined {
  const notice = dispatches.find((d) => d.step_key === 'formal_notice' && d.invoice_ids.includes(invoiceId) && SENT.has(d.status))
  return notice && whenSent(notice).toISOString().slice(0, 10)
}

const paidLate = (invoice: InvoiceDto) => (invoice.status === 'paid' && invoice.paid_at ? daysLate(invoice.due_date, invoice.paid_at.slice(0, 10)) : 0)

/** What the creditor can claim on each invoice on `asOf`: every amount from the law module. */
export function claimsOf(
  invoices: readonly InvoiceDto[],
  debtorKind: LawDebtorKind,
  dispatches: readonly CaseDispatch[],
  asOf: string,
  tables: RateTables,
): InvoiceClaim[] {
  return invoices.map((invoice) => {
    const owed = invoice.status === 'open' || invoice.status === 'partially_paid' || invoice.status === 'disputed'
    const penalty = computeLatePenalty({
      amountDue: owed ? invoice.amount_due : 0,
      currency: invoice.currency,
      dueDate: invoice.due_date,
      asOf,
      debtorKind,
      formalNoticeDate: formalNoticeDate(dispatches, invoice.id),
      tables,
    })
    return {
      invoice_id: invoice.id,
      number: invoice.number,
      currency: invoice.currency,
      amount_total: invoice.amount_total,
      amount_due: invoice.amount_due,
      due_date: invoice.due_date,
      status: invoice.status,
      days_late: penalty.daysLate,
      penalty,
      // Owed on each invoice paid late too (art. L441-10 II): late as of today, or as of its payment.
      indemnity: recoveryIndemnity({ debtorKind, daysLate: owed ? penalty.daysLate : paidLate(invoice) }),
      prescription_date: prescriptionDate(invoice.due_date, debtorKind),
    }
  })
}

export interface ClaimTotal {
  currency: string
  principal: number
  penalties: number
  indemnities: number
  total: number
}

/** Principal + penalties + indemnity per currency (the indemnity is always in euros). */
export function claimTotals(claims: readonly InvoiceClaim[]): ClaimTotal[] {
  const totals = new Map<string, { principal: number; penalties: number; indemnities: number }>()
  const at = (currency: string) => totals.get(currency) ?? totals.set(currency, { principal: 0, penalties: 0, indemnities: 0 }).get(currency)!
  for (const c of claims) {
    at(c.currency).principal += c.amount_due
    at(c.currency).penalties += c.penalty.amount
    if (c.indemnity.applicable) at('EUR').indemnities += c.indemnity.amount
  }
  return [...totals].map(([currency, t]) => ({ currency, ...t, total: t.principal + t.penalties + t.indemnities }))
}
