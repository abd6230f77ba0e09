import type { IResolvers } from 'mercurius'
import { read } from '../../graphql/context.js'
import { parseInput } from '../../graphql/input.js'
import { agingQuery, atRiskQuery, dsoQuery, effectivenessQuery, forecastQuery } from './reports.schema.js'
import * as reports from './reports.service.js'

const filterArgs = 'asOf: String, debtorId: ID, segment: String, currency: String'

export const typeDefs = /* GraphQL */ `
  "The filters a report was drawn with."
  type ReportFilters { debtorId: ID, segment: String, currency: String }
  "Minor units per aging bucket, in one currency."
  type AgingBuckets {
    key: String
    name: String
    currency: String!
    invoices: Int!
    amountDue: Float!
    notYetDue: Float!
    days1To30: Float!
    days31To60: Float!
    days61To90: Float!
    over90: Float!
  }
  type AgingReport { asOf: String!, filters: ReportFilters!, groupBy: String, totals: [AgingBuckets!]!, groups: [AgingBuckets!]! }
  type CountbackMonth { from: String!, to: String!, days: Int!, sales: Float!, absorbed: Float! }
  type DsoStandard { periodStart: String!, salesInPeriod: Float!, dso: Float }
  type DsoCountback { dso: Float, complete: Boolean!, months: [CountbackMonth!]! }
  type DsoCurrency { currency: String!, receivables: Float!, standard: DsoStandard!, countback: DsoCountback! }
  type DsoReport { asOf: String!, filters: ReportFilters!, periodDays: Int!, currencies: [DsoCurrency!]! }
  type MoneyAmount { currency: String!, amount: Float! }
  type ForecastLine {
    basis: String!
    sourceId: String!
    debtorId: ID!
    currency: String!
    amount: Float!
    scheduledOn: String!
    adjustmentDays: Int!
    expectedOn: String!
  }
  type ForecastWeek { week: Int!, from: String!, to: String!, totals: [MoneyAmount!]!, lines: [ForecastLine!]! }
  type ForecastReport { asOf: String!, filters: ReportFilters!, weeks: [ForecastWeek!]! }
  type CostRatio { currency: String!, ratio: Float! }
  type StepEffectiveness {
    stepKey: String!
    channel: String!
    dispatches: Int!
    debts: Int!
    debtsPaid: Int!
    paidShare: Float
    recovered: [MoneyAmount!]!
    cost: [MoneyAmount!]!
    costPerRecoveredUnit: [CostRatio!]!
  }
  type EffectivenessReport { asOf: String!, filters: ReportFilters!, periodStart: String!, withinDays: Int!, steps: [StepEffectiveness!]! }
  type AtRiskDebtor {
    debtorId: ID!
    name: String!
    segment: String
    reasons: [String!]!
    recentAvgDaysLate: Float
    priorAvgDaysLate: Float
    brokenPromises: Int!
    registeredLettersRefused: Int!
  }
  type AtRiskReport { asOf: String!, filters: ReportFilters!, debtors: [AtRiskDebtor!]! }
  extend type Query {
    agingReport(${filterArgs}, groupBy: String): AgingReport!
    dsoReport(${filterArgs}, periodDays: Int): DsoReport!
    forecastReport(${filterArgs}): ForecastReport!
    effectivenessReport(${filterArgs}, withinDays: Int, periodDays: Int): EffectivenessReport!
    atRiskReport(${filterArgs}, latenessRiseDays: Int): AtRiskReport!
  }
`

type Args = Record<string, unknown>

/** The REST report, deeply camelCased; bucket names read better as days1To30 than days130. */
export function camelizeDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(camelizeDeep)
  if (value === null || typeof value !== 'object') return value
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [
      k.replace(/^days_(\d+)_(\d+)$/, 'days$1To$2').replace(/^over_90$/, 'over90').replace(/_([a-z])/g, (_, c: string) => c.toUpperCase()),
      camelizeDeep(v),
    ]),
  )
}

export const resolvers: IResolvers = {
  Query: {
    agingReport: (_root, args: Args, ctx) =>
      read(ctx, (tx) => reports.agingReport(tx, ctx.principal, parseInput(agingQuery, args))).then(camelizeDeep),
    dsoReport: (_root, args: Args, ctx) =>
      read(ctx, (tx) => reports.dsoReport(tx, ctx.principal, parseInput(dsoQuery, args))).then(camelizeDeep),
    forecastReport: (_root, args: Args, ctx) =>
      read(ctx, (tx) => reports.forecastReport(tx, ctx.principal, parseInput(forecastQuery, args))).then(camelizeDeep),
    effectivenessReport: (_root, args: Args, ctx) =>
      read(ctx, (tx) => reports.effectivenessReport(tx, ctx.principal, parseInput(effectivenessQuery, args))).then(camelizeDeep),
    atRiskReport: (_root, args: Args, ctx) =>
      read(ctx, (tx) => reports.atRiskReport(tx, ctx.principal, parseInput(atRiskQuery, args))).then(camelizeDeep),
  },
}
