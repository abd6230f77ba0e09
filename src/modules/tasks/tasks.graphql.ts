import type { IResolvers } from 'mercurius'
import { read } from '../../graphql/context.js'
import { parseInput, withInputPaths } from '../../graphql/input.js'
import { camelize, toConnection } from '../../graphql/scalars.js'
import { inScope } from '../../platform/request-context.js'
import { completeTaskBody, type TaskDto } from './tasks.schema.js'
import * as tasks from './tasks.service.js'
import { TASK_OUTCOMES } from './tasks.tables.js'

export const typeDefs = /* GraphQL */ `
  enum TaskStatus {
    open
    completed
  }
  enum TaskOutcome {
    ${TASK_OUTCOMES.join('\n    ')}
  }
  "A call to make, created by a call_task step, with its rendered script."
  type Task {
    id: ID!
    kind: String!
    status: TaskStatus!
    dispatchId: ID!
    debtorId: ID!
    invoiceIds: [ID!]!
    script: String!
    phone: String
    outcome: TaskOutcome
    note: String
    "The promise or dispute hold the call produced"
    holdId: ID
    completedAt: String
    createdAt: String!
    updatedAt: String!
  }
  type TaskEdge {
    cursor: String!
    node: Task!
  }
  type TaskConnection {
    edges: [TaskEdge!]!
    pageInfo: PageInfo!
  }
  input CompleteTaskInput {
    outcome: TaskOutcome!
    note: String
    "outcome promise: integer minor units"
    promisedAmount: Float
    promisedCurrency: String
    promisedDate: String
    "outcome dispute: amount_incorrect, goods_not_received, service_not_rendered, duplicate, quality, other"
    disputeReason: String
  }
  extend type Query {
    task(id: ID!): Task!
    tasks(first: Int = 20, after: String, status: TaskStatus, debtorId: ID): TaskConnection!
  }
  extend type Mutation {
    completeTask(id: ID!, input: CompleteTaskInput!): Task!
  }
`

const node = (dto: TaskDto) => camelize(dto)

export const resolvers: IResolvers = {
  Query: {
    task: (_root, args: { id: string }, ctx) => read(ctx, (tx) => tasks.getTask(tx, ctx.principal, args.id)).then(node),
    tasks: (_root, args: { first: number; after?: string | null; status?: 'open' | 'completed' | null; debtorId?: string | null }, ctx) =>
      read(ctx, (tx) =>
        tasks.listTasks(tx, ctx.principal, {
          limit: Math.min(Math.max(args.first, 1), 100),
          starting_after: args.after ?? undefined,
          status: args.status ?? undefined,
          debtor_id: args.debtorId ?? undefined,
        }),
      ).then((page) => toConnection(page)),
  },
  Mutation: {
    completeTask: (_root, args: { id: string; input: Record<string, unknown> }, ctx) => {
      const input = parseInput(completeTaskBody, args.input)
      return withInputPaths(() => inScope(ctx.db, ctx.principal, (tx) => tasks.completeTask(tx, ctx.principal, args.id, input))).then(node)
    },
  },
}
