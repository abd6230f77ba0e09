import { addDays } from '../../../../shared/dates.js'
import type { ConsumerInterestInput, LatePenalty, PenaltyBasis, PenaltyInput } from '../../country-law.js'
import { addRates, maxRate, multiplyRate } from '../../decimal-rate.js'
import { rateInForce, type DatedRate, type RateTables } from '../../rate-tables.js'
import { accrueSimpleInterest, daysLate, halfYearSegments, halfYearStart } from '../../simple-interest.js'

/** Interest is simple and counted on an exact 365-day year, the usual French practice. */
const DAYS_PER_YEAR = 365
const COMMERCIAL_MARGIN = '10'
const PUBLIC_PROCUREMENT_MARGIN = '8'
const CONTRACT_FLOOR_MULTIPLE = 3

function basisFor(input: PenaltyInput): PenaltyBasis {
  if (input.debtorKind === 'consumer') return 'legal_interest'
  if (input.debtorKind === 'public_body') return 'ecb_plus_8'
  return input.contractRate ? 'contract_rate' : 'ecb_plus_10'
}

/**
 * The legal interest rate is set per half-year: a half-year with no entry of its own in the table
 * still gets the last published rate (the table may lag the arrêté), and the breakdown says so.
 */
function legalRateOf(table: readonly DatedRate[], half: string, warnings: Set<string>): string {
  const entry = rateInForce(table, half)
  if (entry.from < half) {
    warnings.add(`No legal interest rate in the table for the half-year starting ${half}: the rate in force from ${entry.from} (${entry.rate} %) was used. Add the published rate with POST /v1/law/rates.`)
  }
  return entry.rate
}

/**
 * The annual rate for the half-year starting `half` (art. L441-10 II C. com.): businesses pay the
 * ECB rate in force on 1 January or 1 July + 10 points, re-read each half-year; an agreed rate is
 * kept unless below 3× the legal rate. Public bodies: ECB + 8 points fixed on the half-year
 * interest started (art. R2192-31 CCP, formerly décret 2013-269 art. 8; not in law-fr.md).
 * Consumers: the legal rate.
 */
function rateFor(basis: PenaltyBasis, half: string, accrualHalf: string, input: PenaltyInput, tables: RateTables, warnings: Set<string>): string {
  switch (basis) {
    case 'ecb_plus_10':
      return addRates(rateInForce(tables.ecbRefinancing, half).rate, COMMERCIAL_MARGIN)
    case 'contract_rate':
      return maxRate(input.contractRate!, multiplyRate(legalRateOf(tables.legalInterest, half, warnings), CONTRACT_FLOOR_MULTIPLE))
    case 'ecb_plus_8':
      return addRates(rateInForce(tables.ecbRefinancing, accrualHalf).rate, PUBLIC_PROCUREMENT_MARGIN)
    case 'legal_interest':
      return legalRateOf(tables.legalInterest, half, warnings)
    case 'none':
      return '0'
  }
}

/** Interest on one invoice as French law computes it on `asOf`, period by period. */
export function frenchLatePenalty(input: PenaltyInput): LatePenalty {
  const late = daysLate(input.dueDate, input.asOf)
  const basis = basisFor(input)
  // Professionals owe penalties from the day after the due date, without any reminder (L441-10 II);
  // a consumer owes legal interest from the formal notice (art. 1344-1 and 1231-6 C. civ.).
  const start = basis === 'legal_interest'
    ? input.formalNoticeDate && addDays(input.formalNoticeDate, 1)
    : addDays(input.dueDate, 1)
  const none: LatePenalty = { basis, daysLate: late, accruesFrom: null, periods: [], amount: 0, currency: input.currency, rate: null, warnings: [] }
  if (!start || start > input.asOf || input.amountDue <= 0) return none

  const warnings = new Set<string>()
  const segments = halfYearSegments(start, input.asOf).map((segment) => ({
    ...segment,
    rate: rateFor(basis, halfYearStart(segment.from), halfYearStart(start), input, input.tables, warnings),
  }))
  const { amount, periods } = accrueSimpleInterest(input.amountDue, segments, DAYS_PER_YEAR)
  return { basis, daysLate: late, accruesFrom: start, periods, amount, currency: input.currency, rate: periods.at(-1)!.rate, warnings: [...warnings] }
}

/** Legal interest a consumer owes after the formal notice (art. 1344-1 C. civ.), nothing before it. */
export function frenchConsumerLegalInterest(input: ConsumerInterestInput): LatePenalty {
  return frenchLatePenalty({ ...input, debtorKind: 'consumer' })
}
