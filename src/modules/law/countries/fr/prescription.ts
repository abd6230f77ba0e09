import { sql, type SQL } from 'drizzle-orm'
import type { LawDebtorKind } from '../../country-law.js'

const yearsFor = (kind: LawDebtorKind) => (kind === 'consumer' ? 2 : 5)

/**
 * When the creditor's action is time-barred (law-fr.md, "Prescription"): 5 years between or
 * with professionals (art. L110-4 C. com., art. 2224 C. civ.), 2 years for a professional against
 * a consumer (art. L218-2 C. conso.), counted from the due date. The result is the last day of
 * the term (art. 2229: acquired once that day is over), the same day and month N years on; a
 * 29 February start ends on 28 February, the last day of that month (art. 641 CPC).
 * A mise en demeure does not interrupt it; a claim in court or an acknowledgement does, which
 * the caller accounts for by passing the new starting date.
 */
export function frenchPrescriptionDate(dueDate: string, debtorKind: LawDebtorKind): string {
  const years = yearsFor(debtorKind)
  const [y, m, d] = dueDate.split('-').map(Number) as [number, number, number]
  const lastOfMonth = new Date(Date.UTC(y + years, m, 0)).getUTCDate()
  return new Date(Date.UTC(y + years, m - 1, Math.min(d, lastOfMonth))).toISOString().slice(0, 10)
}

/** The same in SQL: PostgreSQL's interval arithmetic also ends a 29 February term on 28 February. */
export function frenchPrescriptionDateSql(dueDate: SQL, debtorKind: SQL): SQL {
  return sql`(${dueDate} + case when ${debtorKind} = 'consumer' then interval '2 years' else interval '5 years' end)::date`
}
