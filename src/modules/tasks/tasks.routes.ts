import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { idParamsSchema } from '../../platform/api-schemas.js'
import { commonProblemResponses, problemSchema } from '../../platform/problem.js'
import { read, write } from '../../platform/request-context.js'
import { completeTaskBody, listTasksQuery, taskListSchema, taskSchema } from './tasks.schema.js'
import * as tasks from './tasks.service.js'

const tags = ['Tasks']

export const taskRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/tasks',
    { schema: { tags, summary: 'List call tasks', querystring: listTasksQuery, response: { 200: taskListSchema, ...commonProblemResponses } } },
    (request) => read(app.db, request, (tx) => tasks.listTasks(tx, request.principal, request.query)),
  )
  app.get(
    '/tasks/:id',
    { schema: { tags, summary: 'A call task with its script', params: idParamsSchema, response: { 200: taskSchema, ...commonProblemResponses } } },
    (request) => read(app.db, request, (tx) => tasks.getTask(tx, request.principal, request.params.id)),
  )
  app.post(
    '/tasks/:id/complete',
    {
      schema: {
        tags,
        summary: 'Record the outcome of a call',
        description: 'A promise becomes a promise-to-pay hold, a dispute a dispute hold per invoice; the call dispatch is delivered when the debtor was reached.',
        params: idParamsSchema,
        body: completeTaskBody,
        response: { 200: taskSchema, 409: problemSchema, 422: problemSchema, ...commonProblemResponses },
      },
    },
    (request, reply) => write(app.db, request, reply, 200, (tx) => tasks.completeTask(tx, request.principal, request.params.id, request.body)),
  )
}
