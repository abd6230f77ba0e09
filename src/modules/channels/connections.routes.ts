import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { idParamsSchema } from '../../platform/api-schemas.js'
import { commonProblemResponses, problemSchema } from '../../platform/problem.js'
import { read, write } from '../../platform/request-context.js'
import { connectionListSchema, connectionSchema, createConnectionBody, listConnectionsQuery, updateConnectionBody } from './connections.schema.js'
import * as connections from './connections.service.js'

const tags = ['Channel connections']
const writeProblems = { 409: problemSchema, 422: problemSchema, ...commonProblemResponses }

export const connectionRoutes: FastifyPluginAsyncZod = async (app) => {
  const deps = () => app.dispatchDeps
  app.post(
    '/channel-connections',
    {
      schema: {
        tags,
        summary: 'Connect a channel provider',
        description: 'Credentials are encrypted at rest (AES-256-GCM) and never returned: reads show their last 4 characters.',
        body: createConnectionBody,
        response: { 201: connectionSchema, ...writeProblems },
      },
    },
    (request, reply) => write(app.db, request, reply, 201, (tx) => connections.createConnection(tx, request.principal, deps(), request.body)),
  )
  app.get(
    '/channel-connections',
    { schema: { tags, summary: 'List channel connections', querystring: listConnectionsQuery, response: { 200: connectionListSchema, ...commonProblemResponses } } },
    (request) => read(app.db, request, (tx) => connections.listConnections(tx, request.principal, request.query)),
  )
  app.get(
    '/channel-connections/:id',
    { schema: { tags, summary: 'A channel connection', params: idParamsSchema, response: { 200: connectionSchema, ...commonProblemResponses } } },
    (request) => read(app.db, request, (tx) => connections.getConnection(tx, request.principal, request.params.id)),
  )
  app.patch(
    '/channel-connections/:id',
    {
      schema: { tags, summary: 'Change a channel connection', params: idParamsSchema, body: updateConnectionBody, response: { 200: connectionSchema, ...writeProblems } },
    },
    (request, reply) =>
      write(app.db, request, reply, 200, (tx) => connections.updateConnection(tx, request.principal, deps(), request.params.id, request.body)),
  )
  app.delete(
    '/channel-connections/:id',
    { schema: { tags, summary: 'Remove a channel connection', params: idParamsSchema, response: { 200: connectionSchema, ...commonProblemResponses } } },
    (request, reply) => write(app.db, request, reply, 200, (tx) => connections.deleteConnection(tx, request.principal, request.params.id)),
  )
}
