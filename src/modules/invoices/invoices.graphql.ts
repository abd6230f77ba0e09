import type { IResolvers, MercuriusLoaders } from 'mercurius'
import { read } from '../../graphql/context.js'
import { camelize, toConnection } from '../../graphql/scalars.js'
import { requireTenant } from '../../platform/auth.js'
import { inScope } from '../../platform/request-context.js'
import { toDebtorDtos } from '../debtors/debtors.mapper.js'
import { findDebtors } from '../debtors/debtors.repository.js'
import { parseInput, withInputPaths } from '../../graphql/input.js'
import { toInvoiceDto } from './invoices.mapper.js'
import { listInvoicesForDebtors } from './invoices.repository.js'
import { createInvoiceBody, listInvoicesQuery, updateInvoiceBody } from './invoices.schema.js'
import * as invoices from './invoices.service.js'
import type { InvoiceStatus } from './invoices.tables.js'

export const typeDefs = /* GraphQL */ `
  enum InvoiceStatus { open partially_paid paid disputed cancelled written_off }
  type InvoiceDocument { sha256: String! filename: String! contentType: String! size: Int! }
  type LegalWarning { code: String! message: String! }
  type Invoice {
    id: ID!
    externalRef: String
    debtorId: ID!
    debtor: Debtor
    number: String!
    currency: String!
    "Amounts are integers in minor units (cents); Float because they may exceed 32 bits"
    amountTotal: Float!
    amountTax: Float!
    amountNet: Float!
    amountPaid: Float!
    amountCredited: Float!
    amountDue: Float!
    issueDate: String!
    dueDate: String!
    paymentTermsDays: Int
    paymentLink: String
    status: InvoiceStatus!
    paidAt: String
    cancelledAt: String
    writtenOffAt: String
    document: InvoiceDocument
    warnings: [LegalWarning!]!
    "Null when Relance has no law module for the tenant's country"
    prescriptionDate: String
    allocations: [Allocation!]!
    metadata: JSON!
    createdAt: String!
    updatedAt: String!
  }
  type InvoiceEdge { cursor: String! node: Invoice! }
  type InvoiceConnection { edges: [InvoiceEdge!]! pageInfo: PageInfo! }
  input CreateInvoiceInput {
    debtorId: ID
    debtorExternalRef: String
    number: String!
    currency: String!
    amountTotal: Float!
    amountTax: Float
    amountNet: Float
    issueDate: String!
    dueDate: String!
    paymentTermsDays: Int
    paymentLink: String
    externalRef: String
    metadata: JSON
  }
  input UpdateInvoiceInput {
    number: String
    amountTotal: Float
    amountTax: Float
    amountNet: Float
    issueDate: String
    dueDate: String
    paymentTermsDays: Int
    paymentLink: String
    externalRef: String
    metadata: JSON
  }
  extend type Debtor {
    invoices(first: Int = 20, status: [InvoiceStatus!]): InvoiceConnection!
  }
  extend type Query {
    invoice(id: ID!): Invoice
    invoices(first: Int = 20, after: String, status: [InvoiceStatus!], debtorId: ID, currency: String, overdue: Boolean): InvoiceConnection!
  }
  extend type Mutation {
    createInvoice(input: CreateInvoiceInput!): Invoice!
    updateInvoice(id: ID!, input: UpdateInvoiceInput!): Invoice!
    cancelInvoice(id: ID!): Invoice!
    writeOffInvoice(id: ID!): Invoice!
  }
`

interface ListArgs {
  first: number
  after?: string
  status?: InvoiceStatus[]
  debtorId?: string
  currency?: string
  overdue?: boolean
}

const limit = (first: number) => Math.min(Math.max(first, 1), 100)

export const resolvers: IResolvers = {
  Query: {
    invoice: (_root, { id }: { id: string }, ctx) =>
      read(ctx, (tx) => invoices.getInvoice(tx, ctx.principal, id)).then(camelize, () => null),
    invoices: (_root, args: ListArgs, ctx) => {
      const query = listInvoicesQuery.parse({
        limit: limit(args.first),
        starting_after: args.after,
        status: args.status?.join(','),
        debtor_id: args.debtorId,
        currency: args.currency,
        overdue: args.overdue === undefined || args.overdue === null ? undefined : String(args.overdue),
      })
      return read(ctx, (tx) => invoices.listInvoices(tx, ctx.principal, query)).then(toConnection)
    },
  },
  Mutation: {
    createInvoice: (_root, { input }: { input: unknown }, ctx) =>
      withInputPaths(() =>
        inScope(ctx.db, ctx.principal, (tx) => invoices.createInvoice(tx, ctx.principal, parseInput(createInvoiceBody, input))),
      ).then(camelize),
    updateInvoice: (_root, { id, input }: { id: string; input: unknown }, ctx) =>
      withInputPaths(() =>
        inScope(ctx.db, ctx.principal, (tx) => invoices.updateInvoice(tx, ctx.principal, id, parseInput(updateInvoiceBody, input))),
      ).then(camelize),
    cancelInvoice: (_root, { id }: { id: string }, ctx) =>
      inScope(ctx.db, ctx.principal, (tx) => invoices.closeInvoice(tx, ctx.principal, id, 'cancel')).then(camelize),
    writeOffInvoice: (_root, { id }: { id: string }, ctx) =>
      inScope(ctx.db, ctx.principal, (tx) => invoices.closeInvoice(tx, ctx.principal, id, 'write_off')).then(camelize),
  },
}

/** Batched: one query per field for every object of the answer, never one per row. */
export const loaders: MercuriusLoaders = {
  Invoice: {
    debtor: async (queries: { obj: { debtorId: string } }[], ctx) => {
      const tenantId = requireTenant(ctx.principal)
      const dtos = await read(ctx, async (tx) =>
        toDebtorDtos(tx, tenantId, await findDebtors(tx, tenantId, queries.map((q) => q.obj.debtorId))),
      )
      const byId = new Map(dtos.map((d) => [d.id, camelize(d)]))
      return queries.map((q) => byId.get(q.obj.debtorId) ?? null)
    },
  },
  Debtor: {
    invoices: async (queries: { obj: { id: string }; params: { first: number; status?: InvoiceStatus[] } }[], ctx) => {
      const tenantId = requireTenant(ctx.principal)
      // Aliases may ask different pages of different debtors: one query per distinct set of arguments.
      const groups = new Map<string, typeof queries>()
      for (const q of queries) groups.set(JSON.stringify(q.params), [...(groups.get(JSON.stringify(q.params)) ?? []), q])
      const answers = new Map<(typeof queries)[number], ReturnType<typeof toConnection>>()
      for (const group of groups.values()) {
        const first = limit(group[0]!.params.first ?? 20)
        const status = group[0]!.params.status ?? undefined
        const rows = await read(ctx, (tx) => listInvoicesForDebtors(tx, tenantId, group.map((q) => q.obj.id), { limit: first, status }))
        for (const q of group) {
          const mine = rows.filter((r) => r.debtorId === q.obj.id).map(toInvoiceDto)
          answers.set(q, toConnection({ data: mine.slice(0, first), has_more: mine.length > first }))
        }
      }
      return queries.map((q) => answers.get(q)!)
    },
  },
}
