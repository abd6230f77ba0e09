import type { SQL } from 'drizzle-orm'
import type { LawRateSeries } from './law-rates.tables.js'
import type { DatedRateRow, RateTables } from './rate-tables.js'

/**
 * What every country module answers (one folder per country under countries/, one registry keyed
 * by ISO 3166-1 alpha-2 in countries/registry.ts). Callers — the penalties API, the invoice
 * mapper, letters, the dossier, the prescription job — never compute law themselves: they look the
 * tenant's country up in the registry and call these. A country without a module computes nothing
 * (docs/law.md), it never falls back on another country's rules.
 */
export interface CountryLaw {
  /** ISO 3166-1 alpha-2 code of the law, e.g. "FR". */
  readonly country: string
  /** Its name, for answers and documents ("France"). */
  readonly name: string
  /** The `law_rates` series it reads; the rates themselves are dated data, never constants. */
  readonly rateSeries: readonly LawRateSeries[]
  /** Its rate tables, from the rows of the shared `law_rates` table. */
  rateTables(rows: readonly DatedRateRow[]): RateTables
  /** Statutory late-payment interest on one invoice, with its breakdown (a consumer's: consumerLegalInterest). */
  latePenalty(input: PenaltyInput): LatePenalty
  /** What a consumer owes once given formal notice (nothing before it). */
  consumerLegalInterest(input: ConsumerInterestInput): LatePenalty
  /** The fixed indemnity owed per invoice paid late, when the law sets one (null: none). */
  readonly fixedIndemnity: { amount: number; currency: string } | null
  recoveryIndemnity(input: IndemnityInput): RecoveryIndemnity
  /** Payment-term limits, as warnings: the invoice exists whatever its terms. */
  paymentTermsWarnings(debtorKind: LawDebtorKind, issueDate: string, dueDate: string): LegalWarning[]
  /** Last day the creditor can still sue, counted from the due date. */
  prescriptionDate(dueDate: string, debtorKind: LawDebtorKind): string
  /** The same as a SQL date expression, for jobs that scan every invoice; tested to agree with prescriptionDate. */
  prescriptionDateSql(dueDate: SQL, debtorKind: SQL): SQL
  /** How a basis reads in a letter (`letter`) or a dossier line (`short`), in `language` (fr, else English). */
  basisWording(basis: PenaltyBasis, language: string, style: 'letter' | 'short'): string
}

export type LawDebtorKind = 'business' | 'consumer' | 'public_body'

/**
 * Why interest runs and at which rate. A new country adds its own bases here (and so to the API
 * enum, which is built from this list).
 */
export const PENALTY_BASES = ['ecb_plus_10', 'contract_rate', 'ecb_plus_8', 'legal_interest', 'none'] as const
export type PenaltyBasis = (typeof PENALTY_BASES)[number]

export interface PenaltyInput {
  /** What is still unpaid on the invoice, minor units. */
  amountDue: number
  currency: string
  /** Payment date on the invoice, YYYY-MM-DD; interest runs from the day after. */
  dueDate: string
  /** Computed up to and including this day. */
  asOf: string
  debtorKind: LawDebtorKind
  /** The formal notice (first registered letter that went out, formal-notice.ts): starts a consumer's interest. */
  formalNoticeDate?: string
  /** A rate agreed in the contract or terms of sale (decimal string); the law may floor it. */
  contractRate?: string
  /** The dated rates, from CountryLaw.rateTables. */
  tables: RateTables
}

export type ConsumerInterestInput = Omit<PenaltyInput, 'debtorKind' | 'contractRate'>

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
  /** What the reader must know about the figures, e.g. a half-year whose rate is not in the table yet. */
  warnings: string[]
}

export interface IndemnityInput {
  debtorKind: LawDebtorKind
  daysLate: number
  /** Safeguard, receivership or liquidation forbidding payment. */
  collectiveProceedings?: boolean
}

export interface RecoveryIndemnity {
  applicable: boolean
  /** Minor units of `currency` (the law's currency, whatever the invoice's). */
  amount: number
  currency: string
}

export interface LegalWarning {
  code: string
  message: string
}
