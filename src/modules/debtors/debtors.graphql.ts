import type { IResolvers } from 'mercurius'
import { read } from '../../graphql/context.js'
import { camelize, toConnection } from '../../graphql/scalars.js'
import { inScope } from '../../platform/request-context.js'
import { parseInput, withInputPaths } from '../../graphql/input.js'
import { createDebtorBody, updateDebtorBody, type DebtorDto } from './debtors.schema.js'
import * as debtors from './debtors.service.js'

const contactFields = 'name: String\n    role: String\n    email: String\n    phone: String'
const addressFields = 'lines: [String!]!\n    postcode: String!\n    city: String!\n    country: String!'
const debtorInputFields = `siren: String
    siret: String
    vatNumber: String
    language: String
    timezone: String
    segment: String
    contacts: [DebtorContactInput!]
    address: PostalAddressInput
    lreConsent: LreConsentInput
    scenarioId: String
    externalRef: String
    metadata: JSON`

export const typeDefs = /* GraphQL */ `
  enum DebtorKind {
    business
    consumer
    public_body
  }
  type DebtorContact {
    ${contactFields}
  }
  type PostalAddress {
    ${addressFields}
  }
  type LreConsent {
    on: String!
    means: String!
  }
  "Amounts in integer minor units (Float because GraphQL's Int stops at 2^31)."
  type DebtorBalance {
    currency: String!
    outstanding: Float!
    overdue: Float!
  }
  type Debtor {
    id: ID!
    externalRef: String
    kind: DebtorKind!
    name: String!
    siren: String
    siret: String
    vatNumber: String
    country: String!
    language: String!
    timezone: String!
    segment: String
    contacts: [DebtorContact!]!
    address: PostalAddress
    lreConsent: LreConsent
    scenarioId: String
    "One entry per currency; different currencies are never added together."
    balances: [DebtorBalance!]!
    averageDaysLate: Float
    lastContactAt: String
    metadata: JSON!
    createdAt: String!
    updatedAt: String!
  }
  type DebtorEdge {
    cursor: String!
    node: Debtor!
  }
  type DebtorConnection {
    edges: [DebtorEdge!]!
    pageInfo: PageInfo!
  }
  input DebtorContactInput {
    ${contactFields}
  }
  input PostalAddressInput {
    ${addressFields}
  }
  input LreConsentInput {
    on: String!
    means: String!
  }
  input CreateDebtorInput {
    kind: DebtorKind!
    name: String!
    country: String!
    ${debtorInputFields}
  }
  "Fields left out stay as they are; null clears a field that may be empty."
  input UpdateDebtorInput {
    kind: DebtorKind
    name: String
    country: String
    ${debtorInputFields}
  }
  extend type Query {
    debtor(id: ID!): Debtor
    debtors(first: Int = 20, after: String, kind: DebtorKind, segment: String): DebtorConnection!
  }
  extend type Mutation {
    createDebtor(input: CreateDebtorInput!): Debtor!
    updateDebtor(id: ID!, input: UpdateDebtorInput!): Debtor!
  }
`

interface DebtorsArgs {
  first: number
  after?: string
  kind?: DebtorDto['kind']
  segment?: string
}

type InputArgs = { input: Record<string, unknown> }

export const resolvers: IResolvers = {
  Query: {
    debtor: (_root, args: { id: string }, ctx) => read(ctx, (tx) => debtors.getDebtor(tx, ctx.principal, args.id)).then(camelize),
    debtors: (_root, args: DebtorsArgs, ctx) =>
      read(ctx, (tx) =>
        debtors.listDebtors(tx, ctx.principal, {
          limit: Math.min(Math.max(args.first, 1), 100),
          starting_after: args.after ?? undefined,
          kind: args.kind ?? undefined,
          segment: args.segment ?? undefined,
        }),
      ).then(toConnection),
  },
  Mutation: {
    createDebtor: (_root, args: InputArgs, ctx) => {
      const input = parseInput(createDebtorBody, args.input)
      return withInputPaths(() => inScope(ctx.db, ctx.principal, (tx) => debtors.createDebtor(tx, ctx.principal, input))).then(camelize)
    },
    updateDebtor: (_root, args: InputArgs & { id: string }, ctx) => {
      const input = parseInput(updateDebtorBody, args.input, { nullClears: true })
      return withInputPaths(() => inScope(ctx.db, ctx.principal, (tx) => debtors.updateDebtor(tx, ctx.principal, args.id, input))).then(
        camelize,
      )
    },
  },
}
