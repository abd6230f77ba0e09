import type { IResolvers } from 'mercurius'
import { read } from '../../graphql/context.js'
import { camelize } from '../../graphql/scalars.js'
import { requireTenant } from '../../platform/auth.js'
import * as tenants from './tenants.service.js'

export const typeDefs = /* GraphQL */ `
  enum TenantMode {
    live
    sandbox
  }
  type Tenant {
    id: ID!
    name: String!
    mode: TenantMode!
    "Where the creditor is established (ISO 3166-1 alpha-2): the law its claims are computed under"
    country: String!
    "Emails carry an open pixel and a tracked payment link"
    trackingEnabled: Boolean!
    externalRef: String
    metadata: JSON!
    createdAt: String!
    updatedAt: String!
  }
  extend type Query {
    "The tenant the request acts for (a platform key names it with the Relance-Tenant header)."
    tenant: Tenant!
  }
`

export const resolvers: IResolvers = {
  Query: {
    tenant: (_root, _args, ctx) =>
      read(ctx, (tx) => tenants.getTenant(tx, ctx.principal, requireTenant(ctx.principal))).then(camelize),
  },
}
