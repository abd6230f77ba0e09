import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { idParamsSchema } from '../../platform/api-schemas.js'
import { etagOf } from '../../platform/etag.js'
import { commonProblemResponses, problemSchema } from '../../platform/problem.js'
import { read, write } from '../../platform/request-context.js'
import { createHoldBody, holdListSchema, holdSchema, listHoldsQuery, releaseHoldBody } from './holds.schema.js'
import * as holds from './holds.service.js'

const tags = ['Holds']
const writeProblems = { 409: problemSchema, 422: problemSchema, ...commonProblemResponses }

export const holdRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/holds',
    {
      schema: {
        tags,
        summary: 'Put a hold on an invoice or a debtor',
        description:
          'Stops dunning for its scope while active. A dispute marks its invoice `disputed`; a promise to pay ends by itself ' +
          'after `promised_date` (kept or broken, with why in `end_reason`); manual and legal holds end after `expires_on` if set.',
        body: createHoldBody,
        response: { 201: holdSchema, ...writeProblems },
      },
    },
    (request, reply) => write(app.db, request, reply, 201, (tx) => holds.createHold(tx, request.principal, request.body)),
  )

  app.get(
    '/holds',
    {
      schema: {
        tags,
        summary: 'List holds, ended ones included',
        querystring: listHoldsQuery,
        response: { 200: holdListSchema, ...commonProblemResponses },
      },
    },
    (request) => read(app.db, request, (tx) => holds.listHolds(tx, request.principal, request.query)),
  )

  app.get(
    '/holds/:id',
    { schema: { tags, summary: 'Get a hold', params: idParamsSchema, response: { 200: holdSchema, ...commonProblemResponses } } },
    async (request, reply) => {
      const hold = await read(app.db, request, (tx) => holds.getHold(tx, request.principal, request.params.id))
      reply.header('etag', etagOf(hold))
      return hold
    },
  )

  app.post(
    '/holds/:id/release',
    {
      schema: {
        tags,
        summary: 'Release a hold',
        description: 'Ends an active hold now (status `released`); dunning resumes for its scope. Holds are never deleted.',
        params: idParamsSchema,
        // The body is optional: a bare POST releases with the default reason.
        body: releaseHoldBody.nullish(),
        response: { 200: holdSchema, ...writeProblems },
      },
    },
    (request, reply) =>
      write(app.db, request, reply, 200, (tx) => holds.releaseHold(tx, request.principal, request.params.id, request.body)),
  )
}
