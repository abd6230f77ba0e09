import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { idParamsSchema, ifMatchHeadersSchema } from '../../platform/api-schemas.js'
import { etagOf } from '../../platform/etag.js'
import { commonProblemResponses, problemSchema } from '../../platform/problem.js'
import { read, write } from '../../platform/request-context.js'
import {
  createScenarioRuleBody,
  deletedScenarioRuleSchema,
  listScenarioRulesQuery,
  scenarioRuleListSchema,
  scenarioRuleSchema,
  updateScenarioRuleBody,
} from './scenario-rules.schema.js'
import * as rules from './scenario-rules.service.js'

const tags = ['Scenarios']

export const scenarioRuleRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/scenario-rules',
    {
      schema: {
        tags,
        summary: 'Create a scenario assignment rule',
        description:
          "Which scenario an invoice runs is, in order: the invoice's own, the debtor's `scenario_id`, the first rule (lowest " +
          '`priority`, then oldest) whose conditions all hold, the tenant default. Amount bounds are inclusive, in minor units ' +
          'of `conditions.currency`, which they require.',
        body: createScenarioRuleBody,
        response: { 201: scenarioRuleSchema, 409: problemSchema, 422: problemSchema, ...commonProblemResponses },
      },
    },
    (request, reply) => write(app.db, request, reply, 201, (tx) => rules.createRule(tx, request.principal, request.body)),
  )

  app.get(
    '/scenario-rules',
    {
      schema: {
        tags,
        summary: 'List assignment rules',
        description: 'In the order they are tried: priority, then creation.',
        querystring: listScenarioRulesQuery,
        response: { 200: scenarioRuleListSchema, ...commonProblemResponses },
      },
    },
    (request) => read(app.db, request, (tx) => rules.listRules(tx, request.principal, request.query)),
  )

  app.get(
    '/scenario-rules/:id',
    {
      schema: { tags, summary: 'Get an assignment rule', params: idParamsSchema, response: { 200: scenarioRuleSchema, ...commonProblemResponses } },
    },
    async (request, reply) => {
      const rule = await read(app.db, request, (tx) => rules.getRule(tx, request.principal, request.params.id))
      reply.header('etag', etagOf(rule))
      return rule
    },
  )

  app.patch(
    '/scenario-rules/:id',
    {
      schema: {
        tags,
        summary: 'Update an assignment rule',
        params: idParamsSchema,
        headers: ifMatchHeadersSchema,
        body: updateScenarioRuleBody,
        response: { 200: scenarioRuleSchema, 409: problemSchema, 412: problemSchema, 422: problemSchema, ...commonProblemResponses },
      },
    },
    async (request, reply) => {
      const rule = await write(app.db, request, reply, 200, (tx) =>
        rules.updateRule(tx, request.principal, request.params.id, request.body, request.headers['if-match']),
      )
      reply.header('etag', etagOf(rule))
      return rule
    },
  )

  app.delete(
    '/scenario-rules/:id',
    {
      schema: {
        tags,
        summary: 'Delete an assignment rule',
        description: 'Invoices already running a scenario keep it; the rule only chose it.',
        params: idParamsSchema,
        response: { 200: deletedScenarioRuleSchema, ...commonProblemResponses },
      },
    },
    (request, reply) => write(app.db, request, reply, 200, (tx) => rules.deleteRule(tx, request.principal, request.params.id)),
  )
}
