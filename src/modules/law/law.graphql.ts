import type { IResolvers } from 'mercurius'
import { read } from '../../graphql/context.js'
import { parseInput, withInputPaths } from '../../graphql/input.js'
import { inScope } from '../../platform/request-context.js'
import { camelizeDeep } from '../reports/reports.graphql.js'
import { createLawRateBody, listLawRatesQuery, penaltyQuery } from './law.schema.js'
import * as law from './law.service.js'

export const typeDefs = /* GraphQL */ `
  "A published rate, in force from validFrom until the next entry of its series."
  type LawRate { series: String!, validFrom: String!, rate: String!, source: String, createdAt: String! }
  type PenaltyPeriod { from: String!, to: String!, days: Int!, rate: String!, amount: Float! }
  type RecoveryIndemnity { applicable: Boolean!, amount: Float!, currency: String! }
  "Late-payment penalties on one invoice, with the computation a letter or a judge can follow."
  type LatePenalty {
    invoiceId: ID!
    debtorId: ID!
    debtorKind: String!
    "The law it was computed under: the tenant's country"
    country: String!
    asOf: String!
    dueDate: String!
    amountDue: Float!
    currency: String!
    basis: String!
    formalNoticeDate: String
    daysLate: Int!
    accruesFrom: String
    periods: [PenaltyPeriod!]!
    amount: Float!
    rate: String
    warnings: [String!]!
    indemnity: RecoveryIndemnity!
  }
  input AddLawRateInput { series: String!, validFrom: String!, rate: String!, source: String }
  extend type Query {
    lawRates(series: String): [LawRate!]!
    latePenalty(invoiceId: ID!, asOf: String, contractRate: String): LatePenalty!
  }
  extend type Mutation {
    "Platform keys only: rates are shared by every tenant."
    addLawRate(input: AddLawRateInput!): LawRate!
  }
`

type Args = Record<string, unknown>

export const resolvers: IResolvers = {
  Query: {
    lawRates: (_root, args: Args, ctx) =>
      read(ctx, (tx) => law.listRates(tx, parseInput(listLawRatesQuery, args).series)).then((list) => list.data.map(camelizeDeep)),
    latePenalty: (_root, args: Args, ctx) =>
      read(ctx, (tx) => law.penaltyForInvoice(tx, ctx.principal, parseInput(penaltyQuery, args))).then(camelizeDeep),
  },
  Mutation: {
    addLawRate: (_root, args: { input: Args }, ctx) => {
      const input = parseInput(createLawRateBody, args.input)
      return withInputPaths(() => inScope(ctx.db, ctx.principal, (tx) => law.addRate(tx, ctx.principal, input))).then(camelizeDeep)
    },
  },
}
