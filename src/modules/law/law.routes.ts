import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { commonProblemResponses, problemSchema } from '../../platform/problem.js'
import { read, write } from '../../platform/request-context.js'
import { createLawRateBody, lawRateListSchema, lawRateSchema, listLawRatesQuery, penaltyQuery, penaltySchema } from './law.schema.js'
import * as law from './law.service.js'

const tags = ['Law']

export const lawRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/law/rates',
    {
      schema: {
        tags,
        summary: 'The dated rate tables penalties are computed from',
        description: 'ECB main refinancing rate and French legal interest rates, oldest first per series. Shared by every tenant.',
        querystring: listLawRatesQuery,
        response: { 200: lawRateListSchema, ...commonProblemResponses },
      },
    },
    (request) => read(app.db, request, (tx) => law.listRates(tx, request.query.series)),
  )

  app.post(
    '/law/rates',
    {
      schema: {
        tags,
        summary: 'Add a newly published rate (platform key)',
        description:
          'Extends a series from `valid_from` on, e.g. the legal interest rate of a new half-year once the arrêté is out. ' +
          'Published rates are never changed: a second rate for the same series and date is a 409.',
        body: createLawRateBody,
        response: { 201: lawRateSchema, 403: problemSchema, 409: problemSchema, ...commonProblemResponses },
      },
    },
    (request, reply) => write(app.db, request, reply, 201, (tx) => law.addRate(tx, request.principal, request.body)),
  )

  app.get(
    '/law/penalties',
    {
      schema: {
        tags,
        summary: 'Late-payment penalties and the €40 indemnity on one invoice, with the breakdown',
        description:
          'Businesses: ECB rate in force on 1 January / 1 July + 10 points (or your contract rate, floored at 3× the legal rate); ' +
          'public bodies: ECB + 8; consumers: legal interest from the formal notice, and never the €40 indemnity.',
        querystring: penaltyQuery,
        response: { 200: penaltySchema, 422: problemSchema, ...commonProblemResponses },
      },
    },
    (request) => read(app.db, request, (tx) => law.penaltyForInvoice(tx, request.principal, request.query)),
  )
}
