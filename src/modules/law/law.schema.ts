import { z } from 'zod'
import { timestampSchema } from '../../platform/api-schemas.js'
import { calendarDateSchema } from '../../shared/dates.js'
import { PENALTY_BASES } from './country-law.js'
import { isRateString } from './decimal-rate.js'
import { LAW_RATE_SERIES } from './law-rates.tables.js'

export const lawRateSeriesSchema = z
  .enum(LAW_RATE_SERIES)
  .describe(
    'ecb_main_refinancing (ECB main refinancing operations rate, by decision effective date); ' +
      "fr_legal_interest_professional_creditor (taux de l'intérêt légal, all other cases: what penalties use); " +
      'fr_legal_interest_individual_creditor (the same for private individuals)',
  )

const rateSchema = z.string().refine(isRateString, 'Must be a decimal percentage such as "2.15" (dot, up to 6 decimals)').describe('Annual percentage, decimal string: "2.15" = 2.15 %')

export const lawRateSchema = z
  .object({
    object: z.literal('law_rate'),
    series: lawRateSeriesSchema,
    valid_from: z.string().describe('First day the rate applies; it holds until the next entry of its series'),
    rate: z.string().describe('Annual percentage, decimal string'),
    source: z.string().nullable(),
    created_at: timestampSchema,
  })
  .meta({ id: 'LawRate' })
export type LawRateDto = z.infer<typeof lawRateSchema>

export const lawRateListSchema = z.object({ object: z.literal('list'), data: z.array(lawRateSchema) }).meta({ id: 'LawRateList' })

export const listLawRatesQuery = z.strictObject({ series: lawRateSeriesSchema.optional() })

export const createLawRateBody = z
  .strictObject({
    series: lawRateSeriesSchema,
    valid_from: calendarDateSchema.describe('Legal interest rates: 1 January or 1 July of their half-year; ECB rate: the decision effective date'),
    rate: rateSchema,
    source: z.string().min(1).max(500).optional().describe('Publication: arrêté and JORF date, ECB press release'),
  })
  .superRefine((value, ctx) => {
    const halfYearly = value.series !== 'ecb_main_refinancing'
    if (halfYearly && !/-(01|07)-01$/.test(value.valid_from)) {
      ctx.addIssue({ code: 'custom', path: ['valid_from'], message: 'A legal interest rate is set per half-year: use YYYY-01-01 or YYYY-07-01' })
    }
  })
  .meta({ id: 'CreateLawRate' })
export type CreateLawRateInput = z.infer<typeof createLawRateBody>

export const penaltyQuery = z.strictObject({
  invoice_id: z.string().min(1).max(64),
  as_of: calendarDateSchema.optional().describe("Penalties are computed up to and including this day; the tenant's today by default"),
  contract_rate: rateSchema.optional().describe('Rate agreed in your terms of sale; never applied below 3× the legal interest rate'),
})
export type PenaltyQuery = z.infer<typeof penaltyQuery>

const periodSchema = z.object({
  from: z.string(),
  to: z.string(),
  days: z.number().int(),
  rate: z.string().describe('Annual percentage applied in this period'),
  amount: z.number().int().describe("This period's share, minor units; the periods add up to `amount`"),
})

export const penaltySchema = z
  .object({
    object: z.literal('late_penalty'),
    invoice_id: z.string(),
    debtor_id: z.string(),
    debtor_kind: z.enum(['business', 'consumer', 'public_body']),
    country: z.string().describe("The law it was computed under: the tenant's country (docs/law.md)"),
    as_of: z.string(),
    due_date: z.string(),
    amount_due: z.number().int().describe('Left to pay on as_of, minor units: what interest runs on'),
    currency: z.string(),
    basis: z.enum(PENALTY_BASES),
    formal_notice_date: z
      .string()
      .nullable()
      .describe('The formal notice that starts a consumer\'s interest: the first registered letter or formal_notice step that went out for this invoice'),
    days_late: z.number().int(),
    accrues_from: z.string().nullable(),
    periods: z.array(periodSchema).describe('One per half-year: the rate is re-read on each 1 January and 1 July'),
    amount: z.number().int().describe('Σ amount_due × rate × days / 365 over the periods, rounded half up once'),
    rate: z.string().nullable(),
    warnings: z.array(z.string()).describe('What the reader must know about the figures, e.g. a half-year whose legal rate is not in the table yet'),
    indemnity: z.object({
      applicable: z.boolean().describe('France: €40 per invoice paid late (art. D441-5 C. com.), never owed by a consumer'),
      amount: z.number().int(),
      currency: z.string(),
    }),
  })
  .meta({ id: 'LatePenalty' })
export type PenaltyDto = z.infer<typeof penaltySchema>
