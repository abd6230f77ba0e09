import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { idParamsSchema, ifMatchHeadersSchema } from '../../platform/api-schemas.js'
import { etagOf } from '../../platform/etag.js'
import { commonProblemResponses, problemSchema } from '../../platform/problem.js'
import { read, write } from '../../platform/request-context.js'
import {
  attemptListSchema,
  createWebhookEndpointBody,
  endpointListSchema,
  listAttemptsQuery,
  listEndpointsQuery,
  recoverBody,
  recoverResultSchema,
  rotateSecretBody,
  testResultSchema,
  updateWebhookEndpointBody,
  webhookEndpointSchema,
} from './endpoints.schema.js'
import * as endpoints from './endpoints.service.js'
import type { WebhookSettings } from './webhooks.config.js'

const tags = ['Webhooks']
const writeProblems = { 409: problemSchema, 422: problemSchema, ...commonProblemResponses }
const deletedSchema = z.object({ object: z.literal('webhook_endpoint'), id: z.string(), deleted: z.literal(true) })

export const webhookEndpointRoutes: FastifyPluginAsyncZod<{ settings: WebhookSettings }> = async (app, { settings }) => {
  app.post(
    '/webhook-endpoints',
    {
      schema: {
        tags,
        summary: 'Create a webhook endpoint',
        description:
          'Events of the chosen types are POSTed to `url`, signed with Standard Webhooks headers and `relance-signature-jws` ' +
          '(see docs/webhooks.md). The `whsec_` secret is in this answer only. URLs reaching loopback, private, link-local, ' +
          'CGNAT or unique-local addresses are refused (400 naming `url`), and again when connecting.',
        body: createWebhookEndpointBody,
        response: { 201: webhookEndpointSchema, ...writeProblems },
      },
    },
    async (request, reply) => {
      const url = await endpoints.vetUrl(request.body.url, settings)
      return write(app.db, request, reply, 201, (tx) => endpoints.createEndpoint(tx, request.principal, { ...request.body, url }, settings))
    },
  )

  app.get(
    '/webhook-endpoints',
    { schema: { tags, summary: 'List webhook endpoints', querystring: listEndpointsQuery, response: { 200: endpointListSchema, ...commonProblemResponses } } },
    (request) => read(app.db, request, (tx) => endpoints.listEndpoints(tx, request.principal, request.query)),
  )

  app.get(
    '/webhook-endpoints/:id',
    { schema: { tags, summary: 'Get a webhook endpoint', params: idParamsSchema, response: { 200: webhookEndpointSchema, ...commonProblemResponses } } },
    async (request, reply) => {
      const endpoint = await read(app.db, request, (tx) => endpoints.getEndpoint(tx, request.principal, request.params.id))
      reply.header('etag', etagOf(endpoint))
      return endpoint
    },
  )

  app.patch(
    '/webhook-endpoints/:id',
    {
      schema: {
        tags,
        summary: 'Update a webhook endpoint',
        description: 'Fields left out stay as they are. `enabled: true` re-enables an endpoint Relance disabled.',
        params: idParamsSchema,
        headers: ifMatchHeadersSchema,
        body: updateWebhookEndpointBody,
        response: { 200: webhookEndpointSchema, 412: problemSchema, ...writeProblems },
      },
    },
    async (request, reply) => {
      const url = request.body.url === undefined ? undefined : await endpoints.vetUrl(request.body.url, settings)
      const input = url === undefined ? request.body : { ...request.body, url }
      return write(app.db, request, reply, 200, (tx) =>
        endpoints.updateEndpoint(tx, request.principal, request.params.id, input, request.headers['if-match']),
      )
    },
  )

  app.delete(
    '/webhook-endpoints/:id',
    { schema: { tags, summary: 'Delete a webhook endpoint and its delivery log', params: idParamsSchema, response: { 200: deletedSchema, ...commonProblemResponses } } },
    (request, reply) => write(app.db, request, reply, 200, (tx) => endpoints.deleteEndpoint(tx, request.principal, request.params.id)),
  )

  app.post(
    '/webhook-endpoints/:id/rotate-secret',
    {
      schema: {
        tags,
        summary: 'Rotate the signing secret',
        description:
          'The answer holds the new secret. During `overlap_seconds` every delivery carries two `v1,` signatures in ' +
          '`webhook-signature`, one per secret, so receivers can switch without a gap.',
        params: idParamsSchema,
        body: rotateSecretBody.nullish(),
        response: { 200: webhookEndpointSchema, ...writeProblems },
      },
    },
    (request, reply) =>
      write(app.db, request, reply, 200, (tx) =>
        endpoints.rotateSecret(tx, request.principal, request.params.id, request.body?.overlap_seconds ?? 86_400, settings),
      ),
  )

  app.post(
    '/webhook-endpoints/:id/test',
    {
      schema: {
        tags,
        summary: 'Send a test event',
        description: 'Writes a `webhook_endpoint.tested` event that is delivered to this endpoint only, signed like any other.',
        params: idParamsSchema,
        response: { 202: testResultSchema, ...writeProblems },
      },
    },
    (request, reply) => write(app.db, request, reply, 202, (tx) => endpoints.sendTestEvent(tx, request.principal, request.params.id)),
  )

  app.post(
    '/webhook-endpoints/:id/recover',
    {
      schema: {
        tags,
        summary: 'Re-send failed deliveries',
        description: 'Every delivery to this endpoint that failed and was created since `since` starts the retry schedule again.',
        params: idParamsSchema,
        body: recoverBody,
        response: { 202: recoverResultSchema, ...writeProblems },
      },
    },
    (request, reply) =>
      write(app.db, request, reply, 202, (tx) => endpoints.recoverFailed(tx, request.principal, request.params.id, request.body.since)),
  )

  app.get(
    '/webhook-endpoints/:id/deliveries',
    {
      schema: {
        tags,
        summary: 'Delivery log of an endpoint',
        description: 'Every attempt, newest first: attempt number, HTTP status, latency and the first 1 KB of the answer.',
        params: idParamsSchema,
        querystring: listAttemptsQuery,
        response: { 200: attemptListSchema, ...commonProblemResponses },
      },
    },
    (request) => read(app.db, request, (tx) => endpoints.listDeliveryAttempts(tx, request.principal, request.params.id, request.query)),
  )
}
