import type { IResolvers } from 'mercurius'
import { read } from '../../graphql/context.js'
import { parseInput, withInputPaths } from '../../graphql/input.js'
import { camelize, toConnection } from '../../graphql/scalars.js'
import { inScope } from '../../platform/request-context.js'
import { createScenarioBody, updateScenarioBody } from './scenarios.schema.js'
import * as scenarios from './scenarios.service.js'

export const typeDefs = /* GraphQL */ `
  "A collection scenario with its current version. definition is the JSON the REST API shows (snake_case)."
  type Scenario {
    id: ID!
    name: String!
    description: String
    language: String!
    "The current version: what new cases start on; running cases keep theirs."
    version: Int!
    definition: JSON!
    isDefault: Boolean!
    preset: String
    archivedAt: String
    externalRef: String
    metadata: JSON!
    createdAt: String!
    updatedAt: String!
  }
  type ScenarioEdge {
    cursor: String!
    node: Scenario!
  }
  type ScenarioConnection {
    edges: [ScenarioEdge!]!
    pageInfo: PageInfo!
  }
  input CreateScenarioInput {
    name: String!
    description: String
    language: String
    definition: JSON!
    isDefault: Boolean
    externalRef: String
    metadata: JSON
  }
  "Fields left out stay as they are; a different definition adds a version."
  input UpdateScenarioInput {
    name: String
    description: String
    language: String
    definition: JSON
    isDefault: Boolean
    externalRef: String
    metadata: JSON
  }
  extend type Query {
    scenario(id: ID!): Scenario
    scenarios(first: Int = 20, after: String, language: String, archived: Boolean): ScenarioConnection!
  }
  extend type Mutation {
    createScenario(input: CreateScenarioInput!): Scenario!
    updateScenario(id: ID!, input: UpdateScenarioInput!): Scenario!
    archiveScenario(id: ID!): Scenario!
  }
`

interface ScenariosArgs {
  first: number
  after?: string | null
  language?: string | null
  archived?: boolean | null
}

type InputArgs = { input: Record<string, unknown> }

export const resolvers: IResolvers = {
  Query: {
    scenario: (_root, args: { id: string }, ctx) => read(ctx, (tx) => scenarios.getScenario(tx, ctx.principal, args.id)).then(camelize),
    scenarios: (_root, args: ScenariosArgs, ctx) =>
      read(ctx, (tx) =>
        scenarios.listScenarios(tx, ctx.principal, {
          limit: Math.min(Math.max(args.first, 1), 100),
          starting_after: args.after ?? undefined,
          language: args.language ?? undefined,
          archived: args.archived ?? undefined,
        }),
      ).then(toConnection),
  },
  Mutation: {
    createScenario: (_root, args: InputArgs, ctx) => {
      const input = parseInput(createScenarioBody, args.input)
      return withInputPaths(() => inScope(ctx.db, ctx.principal, (tx) => scenarios.createScenario(tx, ctx.principal, input))).then(camelize)
    },
    updateScenario: (_root, args: InputArgs & { id: string }, ctx) => {
      const input = parseInput(updateScenarioBody, args.input, { nullClears: true })
      return withInputPaths(() =>
        inScope(ctx.db, ctx.principal, (tx) => scenarios.updateScenario(tx, ctx.principal, args.id, input)),
      ).then(camelize)
    },
    archiveScenario: (_root, args: { id: string }, ctx) =>
      inScope(ctx.db, ctx.principal, (tx) => scenarios.archiveScenario(tx, ctx.principal, args.id)).then(camelize),
  },
}
