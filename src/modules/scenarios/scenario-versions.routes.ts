import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { idParamsSchema } from '../../platform/api-schemas.js'
import { commonProblemResponses } from '../../platform/problem.js'
import { read, write } from '../../platform/request-context.js'
import { seedDefaultScenarios } from './scenario-defaults.js'
import * as versions from './scenario-versions.service.js'
import { listVersionsQuery, scenarioListSchema, scenarioVersionListSchema, scenarioVersionSchema, versionParamsSchema } from './scenarios.schema.js'

const tags = ['Scenarios']

export const scenarioVersionRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/scenarios/defaults',
    {
      schema: {
        tags,
        summary: "Seed Relance's default scenarios",
        description:
          'The French and English default scenarios (courteous notice before the due date, emails, call, letter, formal notice, ' +
          'litigation hand-off), each editable afterwards. Idempotent: a default seeded before, even archived since, is answered ' +
          'as it is. The French one becomes the tenant default when the tenant has none. Resolution seeds them by itself when needed.',
        response: { 200: scenarioListSchema, ...commonProblemResponses },
      },
    },
    (request, reply) => write(app.db, request, reply, 200, (tx) => seedDefaultScenarios(tx, request.principal)),
  )

  app.get(
    '/scenarios/:id/versions',
    {
      schema: {
        tags,
        summary: "List a scenario's versions",
        description: 'Newest first. Versions never change: an edit adds one.',
        params: idParamsSchema,
        querystring: listVersionsQuery,
        response: { 200: scenarioVersionListSchema, ...commonProblemResponses },
      },
    },
    (request) => read(app.db, request, (tx) => versions.listVersions(tx, request.principal, request.params.id, request.query)),
  )

  app.get(
    '/scenarios/:id/versions/:version',
    {
      schema: {
        tags,
        summary: 'Get one version of a scenario',
        params: versionParamsSchema,
        response: { 200: scenarioVersionSchema, ...commonProblemResponses },
      },
    },
    (request) =>
      read(app.db, request, (tx) => versions.getVersion(tx, request.principal, request.params.id, request.params.version)),
  )
}
