import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { idParamsSchema, ifMatchHeadersSchema } from '../../platform/api-schemas.js'
import { etagOf } from '../../platform/etag.js'
import { commonProblemResponses, problemSchema } from '../../platform/problem.js'
import { read, write } from '../../platform/request-context.js'
import { createScenarioBody, listScenariosQuery, scenarioListSchema, scenarioSchema, updateScenarioBody } from './scenarios.schema.js'
import * as scenarios from './scenarios.service.js'

const tags = ['Scenarios']

export const scenarioRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/scenarios',
    {
      schema: {
        tags,
        summary: 'Create a scenario',
        description:
          'A collection scenario: dated steps, event steps and a send policy, stored as version 1. `is_default: true` makes it ' +
          'the tenant default (the previous one stops being it). A tenant creating its first scenario without `is_default` ' +
          "gets Relance's default scenarios with it, the French one as default.",
        body: createScenarioBody,
        response: { 201: scenarioSchema, 409: problemSchema, ...commonProblemResponses },
      },
    },
    (request, reply) => write(app.db, request, reply, 201, (tx) => scenarios.createScenario(tx, request.principal, request.body)),
  )

  app.get(
    '/scenarios',
    {
      schema: {
        tags,
        summary: 'List scenarios',
        description: 'Newest first, each with its current version.',
        querystring: listScenariosQuery,
        response: { 200: scenarioListSchema, ...commonProblemResponses },
      },
    },
    (request) => read(app.db, request, (tx) => scenarios.listScenarios(tx, request.principal, request.query)),
  )

  app.get(
    '/scenarios/:id',
    {
      schema: {
        tags,
        summary: 'Get a scenario',
        description: 'With the definition of its current version and that version number.',
        params: idParamsSchema,
        response: { 200: scenarioSchema, ...commonProblemResponses },
      },
    },
    async (request, reply) => {
      const scenario = await read(app.db, request, (tx) => scenarios.getScenario(tx, request.principal, request.params.id))
      reply.header('etag', etagOf(scenario))
      return scenario
    },
  )

  app.patch(
    '/scenarios/:id',
    {
      schema: {
        tags,
        summary: 'Update a scenario',
        description:
          'Name, description, language, metadata and `is_default` change the scenario. A `definition` different from the ' +
          'current one adds version n+1: new cases start on it, running cases keep the version they started on.',
        params: idParamsSchema,
        headers: ifMatchHeadersSchema,
        body: updateScenarioBody,
        response: { 200: scenarioSchema, 409: problemSchema, 412: problemSchema, 422: problemSchema, ...commonProblemResponses },
      },
    },
    async (request, reply) => {
      const scenario = await write(app.db, request, reply, 200, (tx) =>
        scenarios.updateScenario(tx, request.principal, request.params.id, request.body, request.headers['if-match']),
      )
      reply.header('etag', etagOf(scenario))
      return scenario
    },
  )

  app.post(
    '/scenarios/:id/archive',
    {
      schema: {
        tags,
        summary: 'Archive a scenario',
        description:
          'No new case starts on it; cases already on it keep running. The default, and a scenario assignment rules still ' +
          'name, cannot be archived (422). Archiving twice answers the archived scenario.',
        params: idParamsSchema,
        response: { 200: scenarioSchema, 422: problemSchema, ...commonProblemResponses },
      },
    },
    (request, reply) => write(app.db, request, reply, 200, (tx) => scenarios.archiveScenario(tx, request.principal, request.params.id)),
  )
}
