import { listDispatchesQuery } from './dispatch.schema.js'
import { parseInput } from '../../graphql/input.js'
import type { IResolvers } from 'mercurius'
import { read } from '../../graphql/context.js'
import { camelize, toConnection } from '../../graphql/scalars.js'
import { DELIVERY_STATUSES } from '../channels/channel-driver.js'
import { CHANNELS } from '../engine/scenario-definition.js'
import type { DispatchDto, ListDispatchesQuery } from './dispatch.schema.js'
import * as dispatches from './dispatch.service.js'

export const typeDefs = /* GraphQL */ `
  enum DispatchStatus {
    ${DELIVERY_STATUSES.join('\n    ')}
  }
  enum Channel {
    ${CHANNELS.join('\n    ')}
  }
  "One step of the provider's life of a dispatch, with the provider's own status string."
  type DispatchEvent {
    status: DispatchStatus
    rawStatus: String!
    reason: String
    occurredAt: String!
  }
  "A proof the provider issued (deposit, receipt, refusal, scanned AR…), downloaded and hashed."
  type Proof {
    id: ID!
    kind: String!
    filename: String!
    contentType: String!
    sha256: String!
    size: Int!
    "GET it with the API key: the file exactly as the provider issued it."
    downloadPath: String!
    createdAt: String!
  }
  type Money {
    "Minor units"
    amount: Float!
    currency: String!
  }
  "One message to one debtor through one channel."
  type Dispatch {
    id: ID!
    debtorId: ID!
    invoiceIds: [ID!]!
    stepKey: String!
    channel: Channel!
    template: String!
    language: String!
    scenarioId: ID!
    scenarioVersion: Int!
    status: DispatchStatus!
    scheduledAt: String!
    sentAt: String
    attempts: Int!
    connectionId: ID
    driver: String
    providerRef: String
    failureCode: String
    failureReason: String
    cost: Money
    content: JSON
    letterSha256: String
    "Every status change, oldest first (single dispatch only; empty in lists)."
    timeline: [DispatchEvent!]!
    proofs: [Proof!]!
    createdAt: String!
    updatedAt: String!
  }
  type DispatchEdge {
    cursor: String!
    node: Dispatch!
  }
  type DispatchConnection {
    edges: [DispatchEdge!]!
    pageInfo: PageInfo!
  }
  extend type Query {
    dispatch(id: ID!): Dispatch!
    dispatches(first: Int = 20, after: String, status: DispatchStatus, channel: Channel, debtorId: ID, invoiceId: ID, stepKey: String, createdAfter: String, createdBefore: String): DispatchConnection!
  }
`

interface DispatchesArgs {
  first: number
  after?: string | null
  status?: ListDispatchesQuery['status'] | null
  channel?: ListDispatchesQuery['channel'] | null
  debtorId?: string | null
  invoiceId?: string | null
  stepKey?: string | null
  createdAfter?: string | null
  createdBefore?: string | null
}

const node = (dto: DispatchDto) => ({ ...camelize(dto), timeline: (dto.timeline ?? []).map(camelize) })

export const resolvers: IResolvers = {
  Query: {
    dispatch: (_root, args: { id: string }, ctx) => read(ctx, (tx) => dispatches.getDispatch(tx, ctx.principal, args.id)).then(node),
    dispatches: (_root, args: DispatchesArgs, ctx) => {
      // The REST query schema checks the filters (dates, ids), so a bad one is a coded error naming it.
      const query = parseInput(listDispatchesQuery, {
        limit: Math.min(Math.max(args.first, 1), 100),
        startingAfter: args.after ?? undefined,
        status: args.status ?? undefined,
        channel: args.channel ?? undefined,
        debtorId: args.debtorId ?? undefined,
        invoiceId: args.invoiceId ?? undefined,
        stepKey: args.stepKey ?? undefined,
        createdAfter: args.createdAfter ?? undefined,
        createdBefore: args.createdBefore ?? undefined,
      })
      return read(ctx, (tx) => dispatches.listDispatches(tx, ctx.principal, query)).then((page) => toConnection(page))
    },
  },
  Dispatch: {
    // Fetched only when asked for: a list of dispatches costs no proof query unless proofs are selected.
    proofs: (parent: { id: string }, _args: unknown, ctx) =>
      read(ctx, (tx) => dispatches.listProofs(tx, ctx.principal, parent.id)).then((list) =>
        list.data.map((p) => ({ ...camelize(p), downloadPath: `/v1/dispatches/${p.dispatch_id}/proofs/${p.id}/content` })),
      ),
    timeline: (parent: { timeline?: unknown[] }) => parent.timeline ?? [],
  },
}
