import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { idParamsSchema } from '../../platform/api-schemas.js'
import { commonProblemResponses } from '../../platform/problem.js'
import { read } from '../../platform/request-context.js'
import { previewScenario, scenarioPreviewQuery, scenarioPreviewSchema } from './preview.service.js'
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
  app.get(
    '/scenarios/:id/preview',
    {
      schema: {
        tags: ['Scenarios'],
        summary: 'Preview a scenario (dry run)',
        description:
          'Its ladder on a sample invoice, and what it would send to the open invoices that run on it (or would, once assigned), as of `as_of`. Sends nothing.',
        params: idParamsSchema,
        querystring: scenarioPreviewQuery,
        response: { 200: scenarioPreviewSchema, ...commonProblemResponses },
      },
    },
    (request) => read(app.db, request, (tx) => previewScenario(tx, request.principal, request.params.id, request.query)),
  )
}
