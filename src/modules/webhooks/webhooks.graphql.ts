import type { IResolvers } from 'mercurius'
import { read } from '../../graphql/context.js'
import { parseInput, withInputPaths } from '../../graphql/input.js'
import { camelize, toConnection } from '../../graphql/scalars.js'
import { inScope } from '../../platform/request-context.js'
import { createWebhookEndpointBody } from './endpoints.schema.js'
import * as endpoints from './endpoints.service.js'
import * as events from './events-api.service.js'
import { listEventsQuery } from './events-api.schema.js'
import { webhookSettings } from './webhooks.config.js'

export const typeDefs = /* GraphQL */ `
  "Where signed events are POSTed; the secret appears only in the answer to creation and rotation."
  type WebhookEndpoint {
    id: ID!
    url: String!
    description: String
    enabledEvents: [String!]!
    enabled: Boolean!
    disabledReason: String
    secret: String
    previousSecretExpiresAt: String
    externalRef: String
    metadata: JSON!
    createdAt: String!
    updatedAt: String!
  }
  type WebhookEndpointEdge { cursor: String! node: WebhookEndpoint! }
  type WebhookEndpointConnection { edges: [WebhookEndpointEdge!]! pageInfo: PageInfo! }
  "An outbox event (30 days), as webhooks deliver it."
  type Event { id: ID! type: String! objectId: ID! createdAt: String! data: JSON! }
  type EventEdge { cursor: String! node: Event! }
  type EventConnection { edges: [EventEdge!]! pageInfo: PageInfo! }
  input CreateWebhookEndpointInput {
    url: String!
    enabledEvents: [String!]!
    description: String
    enabled: Boolean
    externalRef: String
    metadata: JSON
  }
  extend type Query {
    webhookEndpoint(id: ID!): WebhookEndpoint!
    webhookEndpoints(first: Int = 20, after: String): WebhookEndpointConnection!
    events(first: Int = 20, after: String, type: String, objectId: ID): EventConnection!
  }
  extend type Mutation {
    createWebhookEndpoint(input: CreateWebhookEndpointInput!): WebhookEndpoint!
    "A new secret; the previous one keeps signing for overlapSeconds (default one day)."
    rotateWebhookSecret(id: ID!, overlapSeconds: Int = 86400): WebhookEndpoint!
  }
`

const first = (n: number) => Math.min(Math.max(n, 1), 100)

export const resolvers: IResolvers = {
  Query: {
    webhookEndpoint: (_root, args: { id: string }, ctx) => read(ctx, (tx) => endpoints.getEndpoint(tx, ctx.principal, args.id)).then(camelize),
    webhookEndpoints: (_root, args: { first: number; after?: string }, ctx) =>
      read(ctx, (tx) => endpoints.listEndpoints(tx, ctx.principal, { limit: first(args.first), starting_after: args.after ?? undefined })).then(toConnection),
    events: (_root, args: { first: number; after?: string; type?: string; objectId?: string }, ctx) => {
      const query = parseInput(listEventsQuery, { limit: first(args.first), startingAfter: args.after ?? undefined, type: args.type ?? undefined, objectId: args.objectId ?? undefined })
      return read(ctx, (tx) => events.listEvents(tx, ctx.principal, query)).then(toConnection)
    },
  },
  Mutation: {
    createWebhookEndpoint: async (_root, args: { input: Record<string, unknown> }, ctx) => {
      const settings = webhookSettings(ctx.app.env)
      const input = parseInput(createWebhookEndpointBody, args.input)
      const url = await withInputPaths(() => endpoints.vetUrl(input.url, settings))
      return withInputPaths(() => inScope(ctx.db, ctx.principal, (tx) => endpoints.createEndpoint(tx, ctx.principal, { ...input, url }, settings))).then(camelize)
    },
    rotateWebhookSecret: (_root, args: { id: string; overlapSeconds: number }, ctx) => {
      const settings = webhookSettings(ctx.app.env)
      return inScope(ctx.db, ctx.principal, (tx) => endpoints.rotateSecret(tx, ctx.principal, args.id, Math.max(0, args.overlapSeconds), settings)).then(camelize)
    },
  },
}
