import type { IResolvers, MercuriusLoaders } from 'mercurius'
import { read } from '../../graphql/context.js'
import { camelize, toConnection } from '../../graphql/scalars.js'
import { iso } from '../../platform/api-schemas.js'
import { requireTenant } from '../../platform/auth.js'
import { inScope } from '../../platform/request-context.js'
import { parseInput, withInputPaths } from '../../graphql/input.js'
import * as creditNotes from './credit-notes.service.js'
import { allocationsOfInvoices } from './payments.repository.js'
import { createCreditNoteBody, createPaymentBody, listPaymentsQuery, reversePaymentBody } from './payments.schema.js'
import * as payments from './payments.service.js'

export const typeDefs = /* GraphQL */ `
  type Allocation {
    id: ID!
    invoiceId: ID!
    paymentId: ID
    creditNoteId: ID
    amount: Float!
    createdAt: String!
    reversedAt: String
  }
  type Payment {
    id: ID!
    externalRef: String
    debtorId: ID!
    amount: Float!
    amountApplied: Float!
    amountUnapplied: Float!
    currency: String!
    receivedOn: String!
    method: String
    reference: String
    reversedAt: String
    reversalReason: String
    allocations: [Allocation!]!
    metadata: JSON!
    createdAt: String!
    updatedAt: String!
  }
  type PaymentEdge { cursor: String! node: Payment! }
  type PaymentConnection { edges: [PaymentEdge!]! pageInfo: PageInfo! }
  type CreditNote {
    id: ID!
    externalRef: String
    debtorId: ID!
    number: String!
    amount: Float!
    amountApplied: Float!
    amountUnapplied: Float!
    currency: String!
    issueDate: String!
    reason: String
    allocations: [Allocation!]!
    metadata: JSON!
    createdAt: String!
    updatedAt: String!
  }
  input AllocationInput { invoiceId: ID! amount: Float! }
  input CreatePaymentInput {
    debtorId: ID
    debtorExternalRef: String
    amount: Float!
    currency: String!
    receivedOn: String!
    method: String
    reference: String
    allocations: [AllocationInput!]
    externalRef: String
    metadata: JSON
  }
  input CreateCreditNoteInput {
    debtorId: ID
    debtorExternalRef: String
    number: String!
    amount: Float!
    currency: String!
    issueDate: String!
    reason: String
    allocations: [AllocationInput!]
    externalRef: String
    metadata: JSON
  }
  extend type Query {
    payment(id: ID!): Payment
    payments(first: Int = 20, after: String, debtorId: ID, currency: String): PaymentConnection!
    creditNote(id: ID!): CreditNote
  }
  extend type Mutation {
    createPayment(input: CreatePaymentInput!): Payment!
    reversePayment(id: ID!, reason: String!, note: String): Payment!
    createCreditNote(input: CreateCreditNoteInput!): CreditNote!
  }
`

type WithAllocations = { allocations: { id: string }[] } & Record<string, unknown>
const shape = (dto: WithAllocations) => ({ ...camelize(dto), allocations: dto.allocations.map(camelize) })

export const resolvers: IResolvers = {
  Query: {
    payment: (_root, { id }: { id: string }, ctx) =>
      read(ctx, (tx) => payments.getPayment(tx, ctx.principal, id)).then(shape, () => null),
    payments: (_root, args: { first: number; after?: string; debtorId?: string; currency?: string }, ctx) => {
      const query = listPaymentsQuery.parse({
        limit: Math.min(Math.max(args.first, 1), 100),
        starting_after: args.after,
        debtor_id: args.debtorId,
        currency: args.currency,
      })
      return read(ctx, (tx) => payments.listPayments(tx, ctx.principal, query)).then((page) =>
        toConnection({ ...page, data: page.data.map((p) => ({ ...p, allocations: p.allocations.map(camelize) })) }),
      )
    },
    creditNote: (_root, { id }: { id: string }, ctx) =>
      read(ctx, (tx) => creditNotes.getCreditNote(tx, ctx.principal, id)).then(shape, () => null),
  },
  Mutation: {
    createPayment: (_root, { input }: { input: unknown }, ctx) =>
      withInputPaths(() =>
        inScope(ctx.db, ctx.principal, (tx) => payments.createPayment(tx, ctx.principal, parseInput(createPaymentBody, input))),
      ).then(shape),
    reversePayment: (_root, args: { id: string; reason: string; note?: string }, ctx) =>
      withInputPaths(() =>
        inScope(ctx.db, ctx.principal, (tx) =>
          payments.reversePayment(tx, ctx.principal, args.id, parseInput(reversePaymentBody, { reason: args.reason, note: args.note })),
        ),
      ).then(shape),
    createCreditNote: (_root, { input }: { input: unknown }, ctx) =>
      withInputPaths(() =>
        inScope(ctx.db, ctx.principal, (tx) => creditNotes.createCreditNote(tx, ctx.principal, parseInput(createCreditNoteBody, input))),
      ).then(shape),
  },
}

/** Invoice.allocations for every invoice of the answer in one query. */
export const loaders: MercuriusLoaders = {
  Invoice: {
    allocations: async (queries: { obj: { id: string } }[], ctx) => {
      const tenantId = requireTenant(ctx.principal)
      const rows = await read(ctx, (tx) => allocationsOfInvoices(tx, tenantId, queries.map((q) => q.obj.id)))
      return queries.map((q) =>
        rows
          .filter((r) => r.invoiceId === q.obj.id)
          .map((r) => ({
            id: r.allocationId,
            invoiceId: r.invoiceId,
            paymentId: r.paymentId,
            creditNoteId: r.creditNoteId,
            amount: r.amount,
            createdAt: iso(r.createdAt),
            reversedAt: iso(r.reversedAt),
          })),
      )
    },
  },
}
