import type { IResolvers } from 'mercurius'
import { read } from '../../graphql/context.js'
import { camelize, toConnection } from '../../graphql/scalars.js'
import { inScope } from '../../platform/request-context.js'
import { parseInput, withInputPaths } from '../../graphql/input.js'
import type { PlanStatus } from './payment-plans.repository.js'
import { createPaymentPlanBody, type PaymentPlanDto } from './payment-plans.schema.js'
import * as plans from './payment-plans.service.js'

export const typeDefs = /* GraphQL */ `
  enum PaymentPlanStatus {
    active
    completed
    breached
    cancelled
  }
  enum InstalmentStatus {
    pending
    paid
    missed
  }
  type Instalment {
    sequence: Int!
    dueDate: String!
    "Minor units"
    amount: Float!
    amountPaid: Float!
    status: InstalmentStatus!
  }
  "Instalments that replace the due dates of one or more invoices of a debtor."
  type PaymentPlan {
    id: ID!
    debtorId: ID!
    invoiceIds: [ID!]!
    currency: String!
    status: PaymentPlanStatus!
    amountTotal: Float!
    amountPaid: Float!
    instalments: [Instalment!]!
    breachedAt: String
    externalRef: String
    metadata: JSON!
    createdAt: String!
    updatedAt: String!
  }
  type PaymentPlanEdge {
    cursor: String!
    node: PaymentPlan!
  }
  type PaymentPlanConnection {
    edges: [PaymentPlanEdge!]!
    pageInfo: PageInfo!
  }
  input InstalmentInput {
    dueDate: String!
    "Integer minor units"
    amount: Float!
  }
  input CreatePaymentPlanInput {
    debtorId: ID!
    invoiceIds: [ID!]!
    instalments: [InstalmentInput!]!
    externalRef: String
    metadata: JSON
  }
  extend type Query {
    paymentPlan(id: ID!): PaymentPlan!
    paymentPlans(first: Int = 20, after: String, status: PaymentPlanStatus, debtorId: ID): PaymentPlanConnection!
  }
  extend type Mutation {
    createPaymentPlan(input: CreatePaymentPlanInput!): PaymentPlan!
    cancelPaymentPlan(id: ID!): PaymentPlan!
  }
`

interface PlansArgs {
  first: number
  after?: string
  status?: PlanStatus
  debtorId?: string
}

// Instalments are nested objects: camelize them too, as the list's nodes are.
const node = (dto: PaymentPlanDto) => ({ ...camelize(dto), instalments: dto.instalments.map(camelize) })

export const resolvers: IResolvers = {
  Query: {
    paymentPlan: (_root, args: { id: string }, ctx) =>
      read(ctx, (tx) => plans.getPaymentPlan(tx, ctx.principal, args.id)).then(node),
    paymentPlans: (_root, args: PlansArgs, ctx) =>
      read(ctx, (tx) =>
        plans.listPaymentPlans(tx, ctx.principal, {
          limit: Math.min(Math.max(args.first, 1), 100),
          starting_after: args.after ?? undefined,
          status: args.status ?? undefined,
          debtor_id: args.debtorId ?? undefined,
        }),
      ).then((page) => {
        const connection = toConnection(page)
        return { ...connection, edges: connection.edges.map((edge, i) => ({ ...edge, node: node(page.data[i]!) })) }
      }),
  },
  Mutation: {
    createPaymentPlan: (_root, args: { input: Record<string, unknown> }, ctx) => {
      const input = parseInput(createPaymentPlanBody, args.input)
      return withInputPaths(() => inScope(ctx.db, ctx.principal, (tx) => plans.createPaymentPlan(tx, ctx.principal, input))).then(node)
    },
    cancelPaymentPlan: (_root, args: { id: string }, ctx) =>
      inScope(ctx.db, ctx.principal, (tx) => plans.cancelPaymentPlan(tx, ctx.principal, args.id)).then(node),
  },
}
