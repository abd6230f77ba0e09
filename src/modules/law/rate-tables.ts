import { isCalendarDate } from '../../shared/dates.js'
import { isRateString } from './decimal-rate.js'

/**
 * Rates that change over time, as dated tables an operator can extend (law-fr.md: "never a
 * constant in code"). Each entry holds from its `from` date until the next entry's.
 */
export interface DatedRate {
  /** First day the rate applies, YYYY-MM-DD. */
  from: string
  /** Percentage as a decimal string: "2.15" = 2.15 %. */
  rate: string
}

export interface RateTables {
  /** ECB main refinancing operations rate (the "most recent refinancing operation", art. L441-10 C. com.). */
  ecbRefinancing: DatedRate[]
  /**
   * French legal interest rate (taux de l'intérêt légal, art. L313-2 C. monét. fin.) for creditors
   * other than private individuals, which is what a Relance tenant is. Set per half-year by arrêté.
   */
  legalInterest: DatedRate[]
}

/**
 * ECB main refinancing rate by decision effective date. The ECB rate is read as in force on
 * 1 January / 1 July, so only the changes around those dates matter for penalties, but the whole
 * history is kept so the table can be checked against the ECB's publication line by line.
 */
const ECB_REFINANCING: DatedRate[] = [
  { from: '2016-03-16', rate: '0' },
  { from: '2022-07-27', rate: '0.5' },
  { from: '2022-09-14', rate: '1.25' },
  { from: '2022-11-02', rate: '2' },
  { from: '2022-12-21', rate: '2.5' },
  { from: '2023-02-08', rate: '3' },
  { from: '2023-03-22', rate: '3.5' },
  { from: '2023-05-10', rate: '3.75' },
  { from: '2023-06-21', rate: '4' },
  { from: '2023-08-02', rate: '4.25' },
  { from: '2023-09-20', rate: '4.5' },
  { from: '2024-06-12', rate: '4.25' },
  { from: '2024-09-18', rate: '3.65' },
  { from: '2024-10-23', rate: '3.4' },
  { from: '2024-12-18', rate: '3.15' },
  { from: '2025-02-05', rate: '2.9' },
  { from: '2025-03-12', rate: '2.65' },
  { from: '2025-04-23', rate: '2.4' },
  { from: '2025-06-11', rate: '2.15' },
]

/** Taux de l'intérêt légal, "autres cas" (creditor not a private individual), per half-year. */
const LEGAL_INTEREST: DatedRate[] = [
  { from: '2022-01-01', rate: '0.76' },
  { from: '2022-07-01', rate: '0.77' },
  { from: '2023-01-01', rate: '2.06' },
  { from: '2023-07-01', rate: '4.22' },
  { from: '2024-01-01', rate: '5.07' },
  { from: '2024-07-01', rate: '4.92' },
  { from: '2025-01-01', rate: '3.71' },
  { from: '2025-07-01', rate: '2.76' },
]

export const DEFAULT_RATE_TABLES: RateTables = { ecbRefinancing: ECB_REFINANCING, legalInterest: LEGAL_INTEREST }

/**
 * The rate in force on `date`: the last entry starting on or before it. A date past the table's
 * last entry keeps that entry (the table is extended as new rates are published); a date before
 * its first entry is an error rather than a guess.
 */
export function rateInForce(table: readonly DatedRate[], date: string): DatedRate {
  let found: DatedRate | undefined
  for (const entry of table) if (entry.from <= date && (!found || entry.from >= found.from)) found = entry
  if (!found) throw new RangeError(`No rate in the table on ${date}`)
  return found
}

/** Checks an operator- or tenant-supplied table: real dates, decimal-string rates, no duplicate date. */
export function rateTableIssues(table: readonly DatedRate[]): string[] {
  const issues: string[] = []
  const seen = new Set<string>()
  table.forEach((entry, i) => {
    if (!isCalendarDate(entry.from)) issues.push(`[${i}].from: not a calendar date YYYY-MM-DD`)
    if (!isRateString(entry.rate)) issues.push(`[${i}].rate: not a decimal percentage such as "2.15"`)
    if (seen.has(entry.from)) issues.push(`[${i}].from: ${entry.from} appears twice`)
    seen.add(entry.from)
  })
  return issues
}
