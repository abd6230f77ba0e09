import { addDays, daysBetween } from '../../shared/dates.js'
import { addRates, divideRoundHalfUp, maxRate, multiplyRate, parseRate, RATE_SCALE } from './decimal-rate.js'
import { rateInForce, type RateTables } from './rate-tables.js'

export type LawDebtorKind = 'business' | 'consumer' | 'public_body'

export interface PenaltyInput {
  /** What is still unpaid on the invoice, minor units. */
  amountDue: number
  currency: string
  /** Payment date on the invoice, YYYY-MM-DD; penalties run from the day after. */
  dueDate: string
  /** Computed up to and including this day. */
  asOf: string
  debtorKind: LawDebtorKind
  /** Consumers owe interest at the legal rate only from the formal notice (art. 1344-1 and 1231-6 C. civ.). */
  formalNoticeDate?: string
  /** A rate agreed in the contract or terms of sale; never below 3× the legal rate (art. L441-10 II). */
  contractRate?: string
  /** The dated rates, loaded from the `law_rates` table (law-rates.repository.ts). */
  tables: RateTables
}

export type PenaltyBasis = 'ecb_plus_10' | 'contract_rate' | 'ecb_plus_8' | 'legal_interest' | 'none'

export interface PenaltyPeriod {
  from: string
  to: string
  days: number
  /** Annual percentage, decimal string. */
  rate: string
  /**
   * This period's share of the total, minor units. The total is rounded once; the cents are then
   * shared out by largest remainder, so the periods always add up to it.
   */
  amount: number
}

export interface LatePenalty {
  basis: PenaltyBasis
  daysLate: number
  /** First day interest accrues; null when none does (not late, or a consumer not yet given notice). */
  accruesFrom: string | null
  periods: PenaltyPeriod[]
  /** Minor units of `currency`, rounded half up once over all periods. */
  amount: number
  currency: string
  /** The rate of the last period (what a letter states), null when nothing accrues. */
  rate: string | null
}

/** Interest is simple and counted on an exact 365-day year, the usual French practice. */
const DAYS_PER_YEAR = 365n
const COMMERCIAL_MARGIN = '10'
const PUBLIC_PROCUREMENT_MARGIN = '8'
const CONTRACT_FLOOR_MULTIPLE = 3

/** Whole days past the due date on `asOf` (0 when not yet late). */
export function daysLate(dueDate: string, asOf: string): number {
  return Math.max(0, daysBetween(dueDate, asOf))
}

/** 1 January or 1 July of the half-year holding `date`: the dates the law reads rates on. */
function halfYearStart(date: string): string {
  return `${date.slice(0, 4)}-${Number(date.slice(5, 7)) <= 6 ? '01' : '07'}-01`
}

function nextHalfYearStart(date: string): string {
  const year = Number(date.slice(0, 4))
  return Number(date.slice(5, 7)) <= 6 ? `${year}-07-01` : `${year + 1}-01-01`
}

/** Cuts [from, to] at each 1 January and 1 July. */
function halfYearSegments(from: string, to: string): Array<{ from: string; to: string }> {
  const segments: Array<{ from: string; to: string }> = []
  for (let start = from; start <= to; start = nextHalfYearStart(start)) {
    const end = addDays(nextHalfYearStart(start), -1)
    segments.push({ from: start, to: end < to ? end : to })
  }
  return segments
}

function basisFor(input: PenaltyInput): PenaltyBasis {
  if (input.debtorKind === 'consumer') return 'legal_interest'
  if (input.debtorKind === 'public_body') return 'ecb_plus_8'
  return input.contractRate ? 'contract_rate' : 'ecb_plus_10'
}

/**
 * The annual rate for the half-year starting `half`. Businesses: ECB rate in force on 1 January
 * or 1 July + 10 points (art. L441-10 II C. com.), re-read each half-year; an agreed rate is kept
 * unless below 3× the legal rate. Public bodies: ECB + 8 points, fixed on the half-year interest
 * started (décret 2013-269 art. 8, public procurement; not in law-fr.md). Consumers: legal rate.
 */
function rateFor(basis: PenaltyBasis, half: string, accrualHalf: string, input: PenaltyInput, tables: RateTables): string {
  switch (basis) {
    case 'ecb_plus_10':
      return addRates(rateInForce(tables.ecbRefinancing, half).rate, COMMERCIAL_MARGIN)
    case 'contract_rate': {
      const floor = multiplyRate(rateInForce(tables.legalInterest, half).rate, CONTRACT_FLOOR_MULTIPLE)
      return maxRate(input.contractRate!, floor)
    }
    case 'ecb_plus_8':
      return addRates(rateInForce(tables.ecbRefinancing, accrualHalf).rate, PUBLIC_PROCUREMENT_MARGIN)
    case 'legal_interest':
      return rateInForce(tables.legalInterest, half).rate
    case 'none':
      return '0'
  }
}

/** Late-payment penalties on one invoice, as the law computes them on `asOf`. */
export function computeLatePenalty(input: PenaltyInput): LatePenalty {
  const tables = input.tables
  const late = daysLate(input.dueDate, input.asOf)
  const basis = basisFor(input)
  const start = basis === 'legal_interest'
    ? input.formalNoticeDate && addDays(input.formalNoticeDate, 1)
    : addDays(input.dueDate, 1)
  const none: LatePenalty = { basis, daysLate: late, accruesFrom: null, periods: [], amount: 0, currency: input.currency, rate: null }
  if (!start || start > input.asOf || input.amountDue <= 0) return none

  const segments = halfYearSegments(start, input.asOf).map((segment) => ({
    ...segment,
    days: daysBetween(segment.from, segment.to) + 1,
    rate: rateFor(basis, halfYearStart(segment.from), halfYearStart(start), input, tables),
  }))
  // Σ amount × rate% × days / 365, summed exactly and rounded once.
  const numerators = segments.map((p) => BigInt(input.amountDue) * parseRate(p.rate) * BigInt(p.days))
  const denominator = 100n * RATE_SCALE * DAYS_PER_YEAR
  const amount = divideRoundHalfUp(numerators.reduce((sum, n) => sum + n, 0n), denominator)
  const shares = shareByLargestRemainder(numerators, denominator, amount)
  const periods = segments.map((segment, i) => ({ ...segment, amount: Number(shares[i]) }))
  return { basis, daysLate: late, accruesFrom: start, periods, amount: Number(amount), currency: input.currency, rate: periods.at(-1)!.rate }
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

export interface IndemnityInput {
  debtorKind: LawDebtorKind
  daysLate: number
  /** Safeguard, receivership or liquidation forbidding payment: the indemnity cannot be claimed. */
  collectiveProceedings?: boolean
}

export interface RecoveryIndemnity {
  applicable: boolean
  /** Minor units; always euros, whatever the invoice currency (the decree sets €40). */
  amount: number
  currency: 'EUR'
}

/** €40 per invoice paid late (art. D441-5 C. com.), owed by professionals only, never by consumers; not subject to VAT. */
export const RECOVERY_INDEMNITY_EUR_CENTS = 4000

export function recoveryIndemnity(input: IndemnityInput): RecoveryIndemnity {
  const applicable = input.debtorKind !== 'consumer' && input.daysLate > 0 && !input.collectiveProceedings
  return { applicable, amount: applicable ? RECOVERY_INDEMNITY_EUR_CENTS : 0, currency: 'EUR' }
}
