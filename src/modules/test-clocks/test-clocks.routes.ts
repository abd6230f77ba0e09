import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { catchUpTenant } from './catch-up.js'
import { idParamsSchema } from '../../platform/api-schemas.js'
import { commonProblemResponses, problemSchema } from '../../platform/problem.js'
import { read, write } from '../../platform/request-context.js'
import { advanceTestClockBody, createTestClockBody, listTestClocksQuery, testClockListSchema, testClockSchema } from './test-clocks.schema.js'
import * as clocks from './test-clocks.service.js'

const tags = ['Test clocks']
const writeProblems = { 409: problemSchema, 422: problemSchema, ...commonProblemResponses }

export const testClockRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/test-clocks',
    {
      schema: {
        tags,
        summary: 'Create and attach a test clock (sandbox tenants)',
        description: "While attached, the tenant's now is the clock's frozen_time for the engine and every date rule.",
        body: createTestClockBody,
        response: { 201: testClockSchema, ...writeProblems },
      },
    },
    (request, reply) => write(app.db, request, reply, 201, (tx) => clocks.createTestClock(tx, request.principal, request.body)),
  )
  app.get(
    '/test-clocks',
    { schema: { tags, summary: 'List test clocks', querystring: listTestClocksQuery, response: { 200: testClockListSchema, ...commonProblemResponses } } },
    (request) => read(app.db, request, (tx) => clocks.listTestClocks(tx, request.principal, request.query)),
  )
  app.get(
    '/test-clocks/:id',
    { schema: { tags, summary: 'Get a test clock', params: idParamsSchema, response: { 200: testClockSchema, ...commonProblemResponses } } },
    (request) => read(app.db, request, (tx) => clocks.getTestClock(tx, request.principal, request.params.id)),
  )
  app.post(
    '/test-clocks/:id/advance',
    {
      schema: {
        tags,
        summary: 'Move a test clock forward',
        description: "Returns once the engine has processed the tenant as of the clock's new time.",
        params: idParamsSchema,
        body: advanceTestClockBody,
        response: { 200: testClockSchema, ...writeProblems },
      },
    },
    async (request, reply) => {
      const clock = await write(app.db, request, reply, 200, (tx) =>
        clocks.advanceTestClock(tx, request.principal, request.params.id, request.body.frozen_time),
      )
      // Answer once the tenant's engine has caught up with its new now.
      await catchUpTenant(app.db, request.principal.tenantId!, new Date(clock.frozen_time), app.env.RELANCE_PRESCRIPTION_ALERT_DAYS, app.dispatchDeps)
      return clock
    },
  )
  app.delete(
    '/test-clocks/:id',
    { schema: { tags, summary: 'Detach a test clock', params: idParamsSchema, response: { 200: testClockSchema, ...commonProblemResponses } } },
    (request, reply) => write(app.db, request, reply, 200, (tx) => clocks.detachTestClock(tx, request.principal, request.params.id)),
  )
}
