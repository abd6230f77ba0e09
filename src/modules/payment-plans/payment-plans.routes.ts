import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { idParamsSchema } from '../../platform/api-schemas.js'
import { etagOf } from '../../platform/etag.js'
import { commonProblemResponses, problemSchema } from '../../platform/problem.js'
import { read, write } from '../../platform/request-context.js'
import { createPaymentPlanBody, listPaymentPlansQuery, paymentPlanListSchema, paymentPlanSchema } from './payment-plans.schema.js'
import * as plans from './payment-plans.service.js'

const tags = ['Payment plans']
const writeProblems = { 409: problemSchema, 422: problemSchema, ...commonProblemResponses }

export const paymentPlanRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/payment-plans',
    {
      schema: {
        tags,
        summary: 'Agree a payment plan',
        description:
          "Instalments that replace the due dates of one or more invoices of a debtor. They must add up to the invoices' " +
          'amount due; an instalment left uncovered after its date breaches the plan.',
        body: createPaymentPlanBody,
        response: { 201: paymentPlanSchema, ...writeProblems },
      },
    },
    (request, reply) => write(app.db, request, reply, 201, (tx) => plans.createPaymentPlan(tx, request.principal, request.body)),
  )

  app.get(
    '/payment-plans',
    {
      schema: {
        tags,
        summary: 'List payment plans',
        querystring: listPaymentPlansQuery,
        response: { 200: paymentPlanListSchema, ...commonProblemResponses },
      },
    },
    (request) => read(app.db, request, (tx) => plans.listPaymentPlans(tx, request.principal, request.query)),
  )

  app.get(
    '/payment-plans/:id',
    {
      schema: {
        tags,
        summary: 'Get a payment plan with its instalments',
        params: idParamsSchema,
        response: { 200: paymentPlanSchema, ...commonProblemResponses },
      },
    },
    async (request, reply) => {
      const plan = await read(app.db, request, (tx) => plans.getPaymentPlan(tx, request.principal, request.params.id))
      reply.header('etag', etagOf(plan))
      return plan
    },
  )

  app.post(
    '/payment-plans/:id/cancel',
    {
      schema: {
        tags,
        summary: 'Cancel a payment plan',
        description: 'Ends an active plan; its invoices go back to their own due dates.',
        params: idParamsSchema,
        response: { 200: paymentPlanSchema, ...writeProblems },
      },
    },
    (request, reply) => write(app.db, request, reply, 200, (tx) => plans.cancelPaymentPlan(tx, request.principal, request.params.id)),
  )
}
