import { addDays, daysBetween } from '../../shared/dates.js'
import { divideRoundHalfUp, parseRate, RATE_SCALE } from './decimal-rate.js'
import type { PenaltyPeriod } from './country-law.js'

/** Whole days past the due date on `asOf` (0 when not yet late). */
export function daysLate(dueDate: string, asOf: string): number {
  return Math.max(0, daysBetween(dueDate, asOf))
}

/** 1 January or 1 July of the half-year holding `date`. */
export function halfYearStart(date: string): string {
  return `${date.slice(0, 4)}-${Number(date.slice(5, 7)) <= 6 ? '01' : '07'}-01`
}

function nextHalfYearStart(date: string): string {
  const year = Number(date.slice(0, 4))
  return Number(date.slice(5, 7)) <= 6 ? `${year}-07-01` : `${year + 1}-01-01`
}

/** Cuts [from, to] at each 1 January and 1 July. */
export function halfYearSegments(from: string, to: string): Array<{ from: string; to: string; days: number }> {
  const segments: Array<{ from: string; to: string; days: number }> = []
  for (let start = from; start <= to; start = nextHalfYearStart(start)) {
    const end = addDays(nextHalfYearStart(start), -1)
    const last = end < to ? end : to
    segments.push({ from: start, to: last, days: daysBetween(start, last) + 1 })
  }
  return segments
}

/**
 * Simple interest Σ amount × rate% × days / daysPerYear over rated periods, summed exactly and
 * rounded half up once; each period then gets its share by largest remainder so they add up.
 */
export function accrueSimpleInterest(
  amountDue: number,
  segments: ReadonlyArray<{ from: string; to: string; days: number; rate: string }>,
  daysPerYear: number,
): { amount: number; periods: PenaltyPeriod[] } {
  const numerators = segments.map((p) => BigInt(amountDue) * parseRate(p.rate) * BigInt(p.days))
  const denominator = 100n * RATE_SCALE * BigInt(daysPerYear)
  const amount = divideRoundHalfUp(numerators.reduce((sum, n) => sum + n, 0n), denominator)
  const shares = shareByLargestRemainder(numerators, denominator, amount)
  return { amount: Number(amount), periods: segments.map((s, i) => ({ from: s.from, to: s.to, days: s.days, rate: s.rate, amount: Number(shares[i]) })) }
}

/** Floors each exact share, then gives the cents left to the largest remainders (ties: earlier period). */
function shareByLargestRemainder(numerators: bigint[], denominator: bigint, total: bigint): bigint[] {
  const shares = numerators.map((n) => n / denominator)
  let left = total - shares.reduce((sum, s) => sum + s, 0n)
  const order = numerators.map((n, i) => ({ i, remainder: n % denominator })).sort((a, b) => (a.remainder === b.remainder ? a.i - b.i : a.remainder > b.remainder ? -1 : 1))
  for (const { i } of order) {
    if (left <= 0n) break
    shares[i] = shares[i]! + 1n
    left -= 1n
  }
  return shares
}
