import { z } from 'zod'
import { calendarDateSchema } from '../../shared/dates.js'
import { currencySchema } from '../../shared/money.js'

const minor = z.number().int()

/** Every report: as of a day, narrowed to a debtor, a segment and/or a currency. */
const reportFilters = {
  as_of: calendarDateSchema.optional().describe("The day the report is drawn up; the tenant's today (its test clock's in sandbox) by default"),
  debtor_id: z.string().min(1).max(64).optional().describe('Only this debtor (404 if it is not yours)'),
  segment: z.string().min(1).max(100).optional().describe("Only debtors of this segment"),
  currency: currencySchema.optional().describe('Only amounts in this currency'),
}
const days = (max: number, fallback: number, what: string) => z.coerce.number().int().min(1).max(max).default(fallback).describe(what)

export const agingQuery = z.strictObject({ ...reportFilters, group_by: z.enum(['debtor', 'segment']).optional().describe('Adds one row per debtor or segment and currency') })
export const dsoQuery = z.strictObject({ ...reportFilters, period_days: days(730, 90, 'Length of the period the standard method reads sales over') })
export const forecastQuery = z.strictObject(reportFilters)
export const effectivenessQuery = z.strictObject({
  ...reportFilters,
  within_days: days(365, 14, 'A debt counts as paid after a dispatch when settled within this many days of its sending'),
  period_days: days(730, 90, 'Dispatches sent in this many days up to as_of'),
})
export const atRiskQuery = z.strictObject({
  ...reportFilters,
  lateness_rise_days: days(365, 7, 'Flag when average lateness over the last 90 days exceeds the 180 days before by at least this'),
})
export type ReportFilterQuery = z.infer<typeof forecastQuery>
export type AgingQuery = z.infer<typeof agingQuery>
export type DsoQuery = z.infer<typeof dsoQuery>
export type EffectivenessQuery = z.infer<typeof effectivenessQuery>
export type AtRiskQuery = z.infer<typeof atRiskQuery>

const filtersEcho = z.object({ debtor_id: z.string().nullable(), segment: z.string().nullable(), currency: z.string().nullable() })

const bucketsShape = {
  currency: z.string(),
  invoices: z.number().int().describe('Open invoices counted'),
  amount_due: minor.describe('Sum of the buckets, minor units'),
  not_yet_due: minor,
  days_1_30: minor,
  days_31_60: minor,
  days_61_90: minor,
  over_90: minor,
}
export const agingReportSchema = z
  .object({
    object: z.literal('aging_report'),
    as_of: z.string(),
    filters: filtersEcho,
    group_by: z.enum(['debtor', 'segment']).nullable(),
    totals: z.array(z.object(bucketsShape)).describe('One row per currency'),
    groups: z.array(z.object({ key: z.string().nullable().describe('debtor id or segment (null: no segment)'), name: z.string().nullable(), ...bucketsShape })),
  })
  .meta({ id: 'AgingReport' })
export type AgingReport = z.infer<typeof agingReportSchema>

const countbackMonth = z.object({ from: z.string(), to: z.string(), days: z.number().int(), sales: minor, absorbed: minor.describe('Receivables matched against this month') })
export const dsoReportSchema = z
  .object({
    object: z.literal('dso_report'),
    as_of: z.string(),
    filters: filtersEcho,
    period_days: z.number().int(),
    currencies: z.array(
      z.object({
        currency: z.string(),
        receivables: minor.describe('Left to pay on as_of over all invoices, minor units'),
        standard: z.object({
          period_start: z.string(),
          sales_in_period: minor.describe('Invoiced (amount_total) from period_start to as_of'),
          dso: z.number().nullable().describe('receivables / sales_in_period × period_days; null without sales'),
        }),
        countback: z.object({
          dso: z.number().nullable().describe('Days of the latest sales it takes to account for the receivables'),
          complete: z.boolean().describe('False when 36 months of sales do not account for them all'),
          months: z.array(countbackMonth),
        }),
      }),
    ),
  })
  .meta({ id: 'DsoReport' })
export type DsoReport = z.infer<typeof dsoReportSchema>

export const FORECAST_BASES = ['invoice_due_date', 'payment_plan_instalment', 'promise_to_pay'] as const
const forecastLine = z.object({
  basis: z.enum(FORECAST_BASES),
  source_id: z.string().describe('The invoice, payment plan (plan_id#sequence) or promise-to-pay hold'),
  debtor_id: z.string(),
  currency: z.string(),
  amount: minor,
  scheduled_on: z.string().describe('Due date, instalment date or promised date'),
  adjustment_days: z.number().int().describe("Invoices: the debtor's average days late, added to the due date"),
  expected_on: z.string().describe('scheduled_on + adjustment_days, never before as_of'),
})
export const forecastReportSchema = z
  .object({
    object: z.literal('forecast_report'),
    as_of: z.string(),
    filters: filtersEcho,
    weeks: z.array(
      z.object({ week: z.number().int(), from: z.string(), to: z.string(), totals: z.array(z.object({ currency: z.string(), amount: minor })), lines: z.array(forecastLine) }),
    ),
  })
  .meta({ id: 'ForecastReport' })
export type ForecastReport = z.infer<typeof forecastReportSchema>
export type ForecastLine = z.infer<typeof forecastLine>

const moneyList = z.array(z.object({ currency: z.string(), amount: minor }))
export const effectivenessReportSchema = z
  .object({
    object: z.literal('effectiveness_report'),
    as_of: z.string(),
    filters: filtersEcho,
    period_start: z.string(),
    within_days: z.number().int(),
    steps: z.array(
      z.object({
        step_key: z.string(),
        channel: z.string(),
        dispatches: z.number().int(),
        debts: z.number().int().describe('Invoices the dispatches carried that were still owed when sent'),
        debts_paid: z.number().int().describe('Of those, settled in full within within_days of the sending'),
        paid_share: z.number().nullable().describe('debts_paid / debts, 0..1'),
        recovered: moneyList.describe('Money received on those debts within within_days of the sending'),
        cost: moneyList.describe('Sum of the dispatches\' cost_amount'),
        cost_per_recovered_unit: z.array(z.object({ currency: z.string(), ratio: z.number() })).describe('cost / recovered, same currency only: 0.025 = 2.5 cents per euro'),
      }),
    ),
  })
  .meta({ id: 'EffectivenessReport' })
export type EffectivenessReport = z.infer<typeof effectivenessReportSchema>

export const atRiskReportSchema = z
  .object({
    object: z.literal('at_risk_report'),
    as_of: z.string(),
    filters: filtersEcho,
    debtors: z.array(
      z.object({
        debtor_id: z.string(),
        name: z.string(),
        segment: z.string().nullable(),
        reasons: z.array(z.enum(['lateness_rising', 'broken_promises', 'registered_letters_refused'])),
        recent_avg_days_late: z.number().nullable().describe('Invoices due in the 90 days up to as_of (still open: days so far)'),
        prior_avg_days_late: z.number().nullable().describe('Invoices due in the 180 days before those'),
        broken_promises: z.number().int().describe('Promises to pay broken in the last 180 days'),
        registered_letters_refused: z.number().int().describe('Registered letters or e-mails refused or not claimed in the last 180 days'),
      }),
    ),
  })
  .meta({ id: 'AtRiskReport' })
export type AtRiskReport = z.infer<typeof atRiskReportSchema>
