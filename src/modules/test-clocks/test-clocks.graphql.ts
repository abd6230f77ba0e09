import type { IResolvers } from 'mercurius'
import { read } from '../../graphql/context.js'
import { parseInput, withInputPaths } from '../../graphql/input.js'
import { camelize } from '../../graphql/scalars.js'
import { inScope } from '../../platform/request-context.js'
import { catchUpTenant } from './catch-up.js'
import { debtorTimeline } from '../engine/timeline.service.js'
import { previewScenario, scenarioPreviewQuery } from '../engine/preview.service.js'
import { advanceTestClockBody, createTestClockBody } from './test-clocks.schema.js'
import * as clocks from './test-clocks.service.js'

export const typeDefs = /* GraphQL */ `
  type TestClock {
    id: ID!
    name: String!
    frozenTime: String!
    status: String!
    attached: Boolean!
    externalRef: String
    metadata: JSON!
    createdAt: String!
    updatedAt: String!
  }
  input CreateTestClockInput { name: String frozenTime: String externalRef: String metadata: JSON }
  type TimelineEntry {
    invoiceId: ID!
    scenarioId: ID!
    scenarioVersion: Int!
    stepKey: String!
    channel: String!
    template: String!
    at: String!
    due: Boolean!
  }
  type DebtorTimeline { debtorId: ID! asOf: String! until: String! entries: [TimelineEntry!]! }
  type PreviewEntry { debtorId: ID invoiceId: ID stepKey: String! channel: String! template: String! at: String! due: Boolean! }
  type ScenarioPreview {
    scenarioId: ID!
    scenarioVersion: Int!
    asOf: String!
    until: String!
    sample: [PreviewEntry!]!
    entries: [PreviewEntry!]!
    hasMore: Boolean!
  }
  extend type Query {
    testClock(id: ID!): TestClock
    "What the engine would send this debtor if nothing changes (dry run)."
    debtorTimeline(debtorId: ID!, days: Int = 90): DebtorTimeline!
    "What a scenario would send as of a given instant (dry run)."
    scenarioPreview(scenarioId: ID!, asOf: String, days: Int = 90, limit: Int = 100): ScenarioPreview!
  }
  extend type Mutation {
    createTestClock(input: CreateTestClockInput!): TestClock!
    "Moves the clock forward and returns once the engine has processed the tenant as of then."
    advanceTestClock(id: ID!, frozenTime: String!): TestClock!
    detachTestClock(id: ID!): TestClock!
  }
`

export const resolvers: IResolvers = {
  Query: {
    testClock: (_root, { id }: { id: string }, ctx) => read(ctx, (tx) => clocks.getTestClock(tx, ctx.principal, id)).then(camelize),
    debtorTimeline: (_root, args: { debtorId: string; days: number }, ctx) =>
      read(ctx, (tx) => debtorTimeline(tx, ctx.principal, args.debtorId, Math.min(Math.max(args.days, 1), 400))).then((t) => ({
        ...camelize(t),
        entries: t.entries.map(camelize),
      })),
    scenarioPreview: (_root, args: { scenarioId: string; asOf?: string; days: number; limit: number }, ctx) => {
      const query = parseInput(scenarioPreviewQuery, { asOf: args.asOf, days: args.days, limit: args.limit })
      return read(ctx, (tx) => previewScenario(tx, ctx.principal, args.scenarioId, query)).then((p) => ({
        ...camelize(p),
        sample: p.sample.map(camelize),
        entries: p.entries.map(camelize),
      }))
    },
  },
  Mutation: {
    createTestClock: (_root, { input }: { input: unknown }, ctx) =>
      withInputPaths(() => inScope(ctx.db, ctx.principal, (tx) => clocks.createTestClock(tx, ctx.principal, parseInput(createTestClockBody, input)))).then(
        camelize,
      ),
    advanceTestClock: async (_root, args: { id: string; frozenTime: string }, ctx) => {
      const body = parseInput(advanceTestClockBody, { frozenTime: args.frozenTime })
      const clock = await withInputPaths(() =>
        inScope(ctx.db, ctx.principal, (tx) => clocks.advanceTestClock(tx, ctx.principal, args.id, body.frozen_time)),
      )
      await catchUpTenant(ctx.db, ctx.principal.tenantId!, new Date(clock.frozen_time), ctx.app.env.RELANCE_PRESCRIPTION_ALERT_DAYS, ctx.app.dispatchDeps)
      return camelize(clock)
    },
    detachTestClock: (_root, { id }: { id: string }, ctx) =>
      inScope(ctx.db, ctx.principal, (tx) => clocks.detachTestClock(tx, ctx.principal, id)).then(camelize),
  },
}
