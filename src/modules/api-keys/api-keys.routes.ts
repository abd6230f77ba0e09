import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { idParamsSchema } from '../../platform/api-schemas.js'
import { commonProblemResponses, problemSchema } from '../../platform/problem.js'
import { read, write } from '../../platform/request-context.js'
import { apiKeyListSchema, apiKeySchema, createApiKeyBody, listApiKeysQuery } from './api-keys.schema.js'
import * as apiKeys from './api-keys.service.js'

const tags = ['API keys']

export const apiKeyRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/api-keys',
    {
      schema: {
        tags,
        summary: 'Create an API key',
        description: 'The answer holds `secret`, the key itself, once: only its SHA-256 is kept.',
        body: createApiKeyBody,
        response: { 201: apiKeySchema, 409: problemSchema, 422: problemSchema, ...commonProblemResponses },
      },
    },
    (request, reply) => write(app.db, request, reply, 201, (tx) => apiKeys.createApiKey(tx, request.principal, request.body)),
  )

  app.get(
    '/api-keys',
    {
      schema: {
        tags,
        summary: 'List API keys',
        querystring: listApiKeysQuery,
        response: { 200: apiKeyListSchema, ...commonProblemResponses },
      },
    },
    (request) => read(app.db, request, (tx) => apiKeys.listApiKeys(tx, request.principal, request.query)),
  )

  app.get(
    '/api-keys/:id',
    {
      schema: { tags, summary: 'Get an API key', params: idParamsSchema, response: { 200: apiKeySchema, ...commonProblemResponses } },
    },
    (request) => read(app.db, request, (tx) => apiKeys.getApiKey(tx, request.principal, request.params.id)),
  )

  app.delete(
    '/api-keys/:id',
    {
      schema: {
        tags,
        summary: 'Revoke an API key',
        description: 'Requests with the key fail with 401 from now on.',
        params: idParamsSchema,
        response: { 200: apiKeySchema, ...commonProblemResponses },
      },
    },
    (request, reply) => write(app.db, request, reply, 200, (tx) => apiKeys.revokeApiKey(tx, request.principal, request.params.id)),
  )
}
