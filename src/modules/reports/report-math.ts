import { addDays } from '../../shared/dates.js'
import { COUNTBACK_MONTHS } from './aging-dso.repository.js'
import { FORECAST_WEEKS } from './forecast.repository.js'
import type { DsoReport, ForecastLine, ForecastReport } from './reports.schema.js'

type Money = { currency: string; amount: number }

/**
 * Countback DSO: take the latest month's sales off the receivables, then the month before, and so
 * on; each month fully absorbed counts all its days, the last one the share it absorbed.
 * Folds over at most 36 aggregated months, never over invoices.
 */
export function countback(receivables: number, months: Array<{ from: string; to: string; days: number; sales: number }>): DsoReport['currencies'][number]['countback'] {
  let left = receivables
  let dso = 0
  const used: DsoReport['currencies'][number]['countback']['months'] = []
  for (const month of months.slice(0, COUNTBACK_MONTHS)) {
    if (left <= 0) break
    const absorbed = Math.min(left, month.sales)
    used.push({ ...month, absorbed })
    dso += month.sales > 0 ? (absorbed / month.sales) * month.days : 0
    left -= absorbed
  }
  if (receivables <= 0) return { dso: 0, complete: true, months: [] }
  return { dso: Math.round(dso * 10) / 10, complete: left <= 0, months: used }
}

/** cost / recovered where both are in the same currency. */
export function costRatios(cost: Money[], recovered: Money[]): Array<{ currency: string; ratio: number }> {
  return cost.flatMap((c) => {
    const r = recovered.find((x) => x.currency === c.currency)
    return r && r.amount > 0 ? [{ currency: c.currency, ratio: Math.round((c.amount / r.amount) * 10_000) / 10_000 }] : []
  })
}

/** Lines (week index computed in SQL) into the 13 weeks, with totals per currency. */
export function groupForecast(asOf: string, lines: Array<ForecastLine & { week: number }>): ForecastReport['weeks'] {
  return Array.from({ length: FORECAST_WEEKS }, (_, week) => {
    const mine = lines.filter((l) => l.week === week).map(({ week: _w, ...line }) => line)
    const totals = new Map<string, number>()
    for (const line of mine) totals.set(line.currency, (totals.get(line.currency) ?? 0) + line.amount)
    return {
      week: week + 1,
      from: addDays(asOf, week * 7),
      to: addDays(asOf, week * 7 + 6),
      totals: [...totals].sort(([a], [b]) => a.localeCompare(b)).map(([currency, amount]) => ({ currency, amount })),
      lines: mine,
    }
  })
}
