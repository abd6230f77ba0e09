import { isCalendarDate } from '../../shared/dates.js'
import { isRateString } from './decimal-rate.js'

/**
 * Rates that change over time, as dated tables an operator can extend (law-fr.md: "never a
 * constant in code"): they live in the `law_rates` table, seeded by migration with the published
 * values, and law-rates.repository.ts loads them into this shape. Each entry holds from its
 * `from` date until the next entry's.
 */
export interface DatedRate {
  /** First day the rate applies, YYYY-MM-DD. */
  from: string
  /** Percentage as a decimal string: "2.15" = 2.15 %. */
  rate: string
}

/** One row of the shared `law_rates` table, as a country module reads it. */
export interface DatedRateRow {
  series: string
  validFrom: string
  rate: string
}

/** One series of the table, oldest first. */
export function seriesTable(rows: readonly DatedRateRow[], series: string): DatedRate[] {
  return rows.filter((r) => r.series === series).map((r) => ({ from: r.validFrom, rate: r.rate })).sort((a, b) => (a.from < b.from ? -1 : 1))
}

/** The shape the late-payment computations read; which series fill it is the country module's choice. */
export interface RateTables {
  /** ECB main refinancing operations rate (the "most recent refinancing operation", art. L441-10 C. com.). */
  ecbRefinancing: DatedRate[]
  /**
   * The country's legal interest rate for the creditor's kind. France: taux de l'intérêt légal
   * (art. L313-2 C. monét. fin.) for creditors other than private individuals, which is what a
   * Relance tenant is. Set per half-year by arrêté.
   */
  legalInterest: DatedRate[]
}

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
