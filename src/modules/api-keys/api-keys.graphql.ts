import type { IResolvers } from 'mercurius'
import { read } from '../../graphql/context.js'
import { toConnection } from '../../graphql/scalars.js'
import * as apiKeys from './api-keys.service.js'

export const typeDefs = /* GraphQL */ `
  type ApiKey {
    id: ID!
    name: String!
    prefix: String!
    mode: TenantMode!
    expiresAt: String
    revokedAt: String
    externalRef: String
    metadata: JSON!
    createdAt: String!
    updatedAt: String!
  }
  type ApiKeyEdge {
    cursor: String!
    node: ApiKey!
  }
  type ApiKeyConnection {
    edges: [ApiKeyEdge!]!
    pageInfo: PageInfo!
  }
  extend type Tenant {
    apiKeys(first: Int = 20, after: String, includeRevoked: Boolean = false): ApiKeyConnection!
  }
`

interface ApiKeysArgs {
  first: number
  after?: string
  includeRevoked: boolean
}

export const resolvers: IResolvers = {
  Tenant: {
    apiKeys: (_tenant, args: ApiKeysArgs, ctx) =>
      read(ctx, (tx) =>
        apiKeys.listApiKeys(tx, ctx.principal, {
          limit: Math.min(Math.max(args.first, 1), 100),
          starting_after: args.after,
          include_revoked: args.includeRevoked,
        }),
      ).then(toConnection),
  },
}
