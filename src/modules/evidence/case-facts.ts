import type { CountryLaw, LatePenalty, LawDebtorKind, RecoveryIndemnity } from '../law/country-law.js'
import { isFormalNotice } from '../law/formal-notice.js'
import type { RateTables } from '../law/rate-tables.js'
import { daysLate } from '../law/simple-interest.js'
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
  /** The fixed recovery indemnity (France: €40, art. D441-5 C. com., professionals only). */
  indemnity: RecoveryIndemnity
  /** The formal notice that started a consumer's interest (law/formal-notice.ts), null before it. */
  formal_notice_date: string | null
  /** Null when Relance has no law module for the tenant's country. */
  prescription_date: string | null
}

/** The law a dossier is drawn under: the tenant's country, and its module with its rates when there is one. */
export type DossierLaw = { country: string; law: CountryLaw; tables: RateTables } | { country: string; law: null; tables: null }

/** The formal notice (law/formal-notice.ts, the same rule as the penalties API) of one invoice, on or before `asOf`. */
export function formalNoticeDate(dispatches: readonly CaseDispatch[], invoiceId: string, asOf: string): string | undefined {
  const days = dispatches
    .filter((d) => d.invoice_ids.includes(invoiceId) && isFormalNotice(d))
    .map((d) => whenSent(d).toISOString().slice(0, 10))
    .filter((day) => day <= asOf)
    .sort()
  return days[0]
}

const paidLate = (invoice: InvoiceDto) => (invoice.status === 'paid' && invoice.paid_at ? daysLate(invoice.due_date, invoice.paid_at.slice(0, 10)) : 0)

/**
 * What the creditor can claim on each invoice on `asOf`: every amount from the tenant country's
 * law module; none at all (basis `none`, no indemnity, no prescription date) without one.
 */
export function claimsOf(
  invoices: readonly InvoiceDto[],
  debtorKind: LawDebtorKind,
  dispatches: readonly CaseDispatch[],
  asOf: string,
  governing: DossierLaw,
): InvoiceClaim[] {
  return invoices.map((invoice) => {
    const owed = invoice.status === 'open' || invoice.status === 'partially_paid' || invoice.status === 'disputed'
    const notice = formalNoticeDate(dispatches, invoice.id, asOf)
    const late = daysLate(invoice.due_date, asOf)
    const penalty: LatePenalty = governing.law
      ? governing.law.latePenalty({
          amountDue: owed ? invoice.amount_due : 0,
          currency: invoice.currency,
          dueDate: invoice.due_date,
          asOf,
          debtorKind,
          formalNoticeDate: notice,
          tables: governing.tables,
        })
      : { basis: 'none', daysLate: late, accruesFrom: null, periods: [], amount: 0, currency: invoice.currency, rate: null, warnings: [] }
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
      indemnity: governing.law
        ? governing.law.recoveryIndemnity({ debtorKind, daysLate: owed ? penalty.daysLate : paidLate(invoice) })
        : { applicable: false, amount: 0, currency: invoice.currency },
      formal_notice_date: notice ?? null,
      prescription_date: governing.law ? governing.law.prescriptionDate(invoice.due_date, debtorKind) : null,
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

/** Principal + penalties + indemnity per currency (the indemnity in the law's own currency: euros in France). */
export function claimTotals(claims: readonly InvoiceClaim[]): ClaimTotal[] {
  const totals = new Map<string, { principal: number; penalties: number; indemnities: number }>()
  const at = (currency: string) => totals.get(currency) ?? totals.set(currency, { principal: 0, penalties: 0, indemnities: 0 }).get(currency)!
  for (const c of claims) {
    at(c.currency).principal += c.amount_due
    at(c.currency).penalties += c.penalty.amount
    if (c.indemnity.applicable) at(c.indemnity.currency).indemnities += c.indemnity.amount
  }
  return [...totals].map(([currency, t]) => ({ currency, ...t, total: t.principal + t.penalties + t.indemnities }))
}
