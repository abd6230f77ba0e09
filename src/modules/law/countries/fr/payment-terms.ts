import { addDays, daysBetween } from '../../../../shared/dates.js'
import type { LawDebtorKind, LegalWarning } from '../../country-law.js'

function endOfMonth(date: string): string {
  const [y, m] = date.split('-').map(Number) as [number, number]
  return new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10)
}

/**
 * Art. L441-10 I C. com.: between businesses a term may not exceed 60 days from the invoice date,
 * or 45 days end of month (either reading: end of month then +45, or +45 then end of month).
 * Public buyers pay within 30 days (art. R2192-10 CCP; not in law-fr.md). A warning, not a
 * refusal: the invoice exists, and what is owed is owed.
 */
export function frenchPaymentTermsWarnings(kind: LawDebtorKind, issueDate: string, dueDate: string): LegalWarning[] {
  const days = daysBetween(issueDate, dueDate)
  if (kind === 'public_body' && days > 30) {
    return [{ code: 'payment_terms_exceed_limit', message: `Due ${days} days after issue; public buyers must pay within 30 days.` }]
  }
  if (kind !== 'business') return []
  const latest = [addDays(issueDate, 60), addDays(endOfMonth(issueDate), 45), endOfMonth(addDays(issueDate, 45))].sort().at(-1)!
  if (dueDate <= latest) return []
  return [
    {
      code: 'payment_terms_exceed_limit',
      message: `Due ${days} days after issue: beyond the 60 days / 45 days end-of-month limit between businesses (art. L441-10 C. com.).`,
    },
  ]
}
