import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { idParamsSchema } from '../../platform/api-schemas.js'
import { commonProblemResponses, problemSchema } from '../../platform/problem.js'
import { read, write } from '../../platform/request-context.js'
import { eventListSchema, eventSchema, listEventsQuery, resendEventBody, resendResultSchema } from './events-api.schema.js'
import * as eventsApi from './events-api.service.js'

const tags = ['Events']

export const eventRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/events',
    {
      schema: {
        tags,
        summary: 'List events',
        description: 'The last 30 days, newest first. The catalogue of types is in the `webhooks` section of this document.',
        querystring: listEventsQuery,
        response: { 200: eventListSchema, ...commonProblemResponses },
      },
    },
    (request) => read(app.db, request, (tx) => eventsApi.listEvents(tx, request.principal, request.query)),
  )

  app.get(
    '/events/:id',
    { schema: { tags, summary: 'Get an event', params: idParamsSchema, response: { 200: eventSchema, ...commonProblemResponses } } },
    (request) => read(app.db, request, (tx) => eventsApi.getEvent(tx, request.principal, request.params.id)),
  )

  app.post(
    '/events/:id/resend',
    {
      schema: {
        tags,
        summary: 'Send an event again',
        description: 'New deliveries with the same `webhook-id`, to one endpoint or to every enabled endpoint that wants its type.',
        params: idParamsSchema,
        body: resendEventBody.nullish(),
        response: { 202: resendResultSchema, 422: problemSchema, ...commonProblemResponses },
      },
    },
    (request, reply) =>
      write(app.db, request, reply, 202, (tx) => eventsApi.resendEvent(tx, request.principal, request.params.id, request.body?.endpoint_id)),
  )
}
