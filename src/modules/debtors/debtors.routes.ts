import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { idParamsSchema, ifMatchHeadersSchema } from '../../platform/api-schemas.js'
import { etagOf } from '../../platform/etag.js'
import { commonProblemResponses, problemSchema } from '../../platform/problem.js'
import { read, write } from '../../platform/request-context.js'
import { statementQuery, statementSchema } from './debtor-statement.js'
import { createDebtorBody, debtorListSchema, debtorSchema, listDebtorsQuery, updateDebtorBody } from './debtors.schema.js'
import * as debtors from './debtors.service.js'

const tags = ['Debtors']

export const debtorRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/debtors',
    {
      schema: {
        tags,
        summary: 'Create a debtor',
        description: 'A company, person or public body that owes the tenant money. SIREN, SIRET and VAT numbers are checked.',
        body: createDebtorBody,
        response: { 201: debtorSchema, 409: problemSchema, 422: problemSchema, ...commonProblemResponses },
      },
    },
    (request, reply) => write(app.db, request, reply, 201, (tx) => debtors.createDebtor(tx, request.principal, request.body)),
  )

  app.get(
    '/debtors',
    {
      schema: {
        tags,
        summary: 'List debtors',
        description: 'Newest first, with their balances.',
        querystring: listDebtorsQuery,
        response: { 200: debtorListSchema, ...commonProblemResponses },
      },
    },
    (request) => read(app.db, request, (tx) => debtors.listDebtors(tx, request.principal, request.query)),
  )

  app.get(
    '/debtors/:id',
    {
      schema: { tags, summary: 'Get a debtor', params: idParamsSchema, response: { 200: debtorSchema, ...commonProblemResponses } },
    },
    async (request, reply) => {
      const debtor = await read(app.db, request, (tx) => debtors.getDebtor(tx, request.principal, request.params.id))
      reply.header('etag', etagOf(debtor))
      return debtor
    },
  )

  app.patch(
    '/debtors/:id',
    {
      schema: {
        tags,
        summary: 'Update a debtor',
        description: 'Fields left out stay as they are; null clears a field that may be empty.',
        params: idParamsSchema,
        headers: ifMatchHeadersSchema,
        body: updateDebtorBody,
        response: { 200: debtorSchema, 409: problemSchema, 412: problemSchema, ...commonProblemResponses },
      },
    },
    async (request, reply) => {
      const debtor = await write(app.db, request, reply, 200, (tx) =>
        debtors.updateDebtor(tx, request.principal, request.params.id, request.body, request.headers['if-match']),
      )
      reply.header('etag', etagOf(debtor))
      return debtor
    },
  )

  app.get(
    '/debtors/:id/statement',
    {
      schema: {
        tags,
        summary: "A debtor's statement of account",
        description:
          'Invoices open on `as_of`, aged by days past due (not yet due, 1-30, 31-60, 61-90, over 90), with totals per currency.',
        params: idParamsSchema,
        querystring: statementQuery,
        response: { 200: statementSchema, ...commonProblemResponses },
      },
    },
    (request) => read(app.db, request, (tx) => debtors.getStatement(tx, request.principal, request.params.id, request.query.as_of)),
  )
}
