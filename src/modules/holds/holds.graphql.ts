import type { IResolvers } from 'mercurius'
import { read } from '../../graphql/context.js'
import { camelize, toConnection } from '../../graphql/scalars.js'
import { inScope } from '../../platform/request-context.js'
import { parseInput, withInputPaths } from '../../graphql/input.js'
import { createHoldBody, releaseHoldBody, type HoldDto } from './holds.schema.js'
import * as holds from './holds.service.js'
import type { HoldRow } from './holds.repository.js'

export const typeDefs = /* GraphQL */ `
  enum HoldKind {
    dispute
    promise_to_pay
    manual
    legal
  }
  enum HoldStatus {
    active
    released
    expired
    broken
    kept
  }
  "Stops dunning for an invoice or a whole debtor; never deleted, ended holds keep why they ended."
  type Hold {
    id: ID!
    kind: HoldKind!
    status: HoldStatus!
    active: Boolean!
    debtorId: ID!
    invoiceId: ID
    reasonCode: String
    note: String
    "Minor units"
    promisedAmount: Float
    promisedCurrency: String
    promisedDate: String
    expiresOn: String
    endedAt: String
    endReason: String
    externalRef: String
    metadata: JSON!
    createdAt: String!
    updatedAt: String!
  }
  type HoldEdge {
    cursor: String!
    node: Hold!
  }
  type HoldConnection {
    edges: [HoldEdge!]!
    pageInfo: PageInfo!
  }
  input CreateHoldInput {
    kind: HoldKind!
    debtorId: ID!
    invoiceId: ID
    "dispute: amount_incorrect, goods_not_received, service_not_rendered, duplicate, quality, other"
    reasonCode: String
    note: String
    "promise_to_pay: integer minor units"
    promisedAmount: Float
    promisedCurrency: String
    promisedDate: String
    expiresOn: String
    externalRef: String
    metadata: JSON
  }
  extend type Query {
    hold(id: ID!): Hold!
    holds(first: Int = 20, after: String, status: HoldStatus, kind: HoldKind, debtorId: ID, invoiceId: ID): HoldConnection!
  }
  extend type Mutation {
    createHold(input: CreateHoldInput!): Hold!
    releaseHold(id: ID!, reason: String): Hold!
  }
`

interface HoldsArgs {
  first: number
  after?: string
  status?: HoldRow['status']
  kind?: HoldRow['kind']
  debtorId?: string
  invoiceId?: string
}

const node = (dto: HoldDto) => camelize(dto)

export const resolvers: IResolvers = {
  Query: {
    hold: (_root, args: { id: string }, ctx) => read(ctx, (tx) => holds.getHold(tx, ctx.principal, args.id)).then(node),
    holds: (_root, args: HoldsArgs, ctx) =>
      read(ctx, (tx) =>
        holds.listHolds(tx, ctx.principal, {
          limit: Math.min(Math.max(args.first, 1), 100),
          starting_after: args.after ?? undefined,
          status: args.status ?? undefined,
          kind: args.kind ?? undefined,
          debtor_id: args.debtorId ?? undefined,
          invoice_id: args.invoiceId ?? undefined,
        }),
      ).then(toConnection),
  },
  Mutation: {
    createHold: (_root, args: { input: Record<string, unknown> }, ctx) => {
      const input = parseInput(createHoldBody, args.input)
      return withInputPaths(() => inScope(ctx.db, ctx.principal, (tx) => holds.createHold(tx, ctx.principal, input))).then(node)
    },
    releaseHold: (_root, args: { id: string; reason?: string | null }, ctx) => {
      const input = parseInput(releaseHoldBody, { reason: args.reason })
      return inScope(ctx.db, ctx.principal, (tx) => holds.releaseHold(tx, ctx.principal, args.id, input)).then(node)
    },
  },
}
