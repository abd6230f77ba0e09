import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { idParamsSchema } from '../../platform/api-schemas.js'
import { commonProblemResponses } from '../../platform/problem.js'
import { read } from '../../platform/request-context.js'
import { debtorTimeline, timelineSchema } from './timeline.service.js'

export const engineRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/debtors/:id/timeline',
    {
      schema: {
        tags: ['Debtors'],
        summary: "A debtor's planned dunning steps (dry run)",
        description: 'What would go out, when and through which channel if nothing changes. Sends nothing.',
        params: idParamsSchema,
        querystring: z.strictObject({ days: z.coerce.number().int().min(1).max(400).default(90) }),
        response: { 200: timelineSchema, ...commonProblemResponses },
      },
    },
    (request) => read(app.db, request, (tx) => debtorTimeline(tx, request.principal, request.params.id, request.query.days)),
  )
}
