import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { idParamsSchema } from '../../platform/api-schemas.js'
import { commonProblemResponses, problemSchema } from '../../platform/problem.js'
import { read, write } from '../../platform/request-context.js'
import * as creditNotes from './credit-notes.service.js'
import {
  allocateBody,
  createCreditNoteBody,
  createPaymentBody,
  creditNoteListSchema,
  creditNoteSchema,
  listPaymentsQuery,
  paymentListSchema,
  paymentSchema,
  reversePaymentBody,
} from './payments.schema.js'
import * as payments from './payments.service.js'

const writeProblems = { 409: problemSchema, 422: problemSchema, ...commonProblemResponses }

export const paymentRoutes: FastifyPluginAsyncZod = async (app) => {
  const tags = ['Payments']
  app.post(
    '/payments',
    {
      schema: {
        tags,
        summary: 'Record a payment',
        description: 'Applied to the given invoices, or oldest-first. What is left is kept as unapplied credit.',
        body: createPaymentBody,
        response: { 201: paymentSchema, ...writeProblems },
      },
    },
    (request, reply) => write(app.db, request, reply, 201, (tx) => payments.createPayment(tx, request.principal, request.body)),
  )
  app.get(
    '/payments',
    { schema: { tags, summary: 'List payments', querystring: listPaymentsQuery, response: { 200: paymentListSchema, ...commonProblemResponses } } },
    (request) => read(app.db, request, (tx) => payments.listPayments(tx, request.principal, request.query)),
  )
  app.get(
    '/payments/:id',
    { schema: { tags, summary: 'Get a payment', params: idParamsSchema, response: { 200: paymentSchema, ...commonProblemResponses } } },
    (request) => read(app.db, request, (tx) => payments.getPayment(tx, request.principal, request.params.id)),
  )
  app.post(
    '/payments/:id/allocate',
    {
      schema: {
        tags,
        summary: "Apply a payment's unapplied credit",
        params: idParamsSchema,
        body: allocateBody,
        response: { 200: paymentSchema, ...writeProblems },
      },
    },
    (request, reply) =>
      write(app.db, request, reply, 200, (tx) => payments.allocatePayment(tx, request.principal, request.params.id, request.body.allocations)),
  )
  app.post(
    '/payments/:id/reverse',
    {
      schema: {
        tags,
        summary: 'Reverse a payment (bounced, charged back)',
        description: 'Every invoice it paid owes the money again and is chased again.',
        params: idParamsSchema,
        body: reversePaymentBody,
        response: { 200: paymentSchema, ...writeProblems },
      },
    },
    (request, reply) => write(app.db, request, reply, 200, (tx) => payments.reversePayment(tx, request.principal, request.params.id, request.body)),
  )

  const cnTags = ['Credit notes']
  app.post(
    '/credit-notes',
    {
      schema: { tags: cnTags, summary: 'Record a credit note', body: createCreditNoteBody, response: { 201: creditNoteSchema, ...writeProblems } },
    },
    (request, reply) => write(app.db, request, reply, 201, (tx) => creditNotes.createCreditNote(tx, request.principal, request.body)),
  )
  app.get(
    '/credit-notes',
    {
      schema: { tags: cnTags, summary: 'List credit notes', querystring: listPaymentsQuery, response: { 200: creditNoteListSchema, ...commonProblemResponses } },
    },
    (request) => read(app.db, request, (tx) => creditNotes.listCreditNotes(tx, request.principal, request.query)),
  )
  app.get(
    '/credit-notes/:id',
    { schema: { tags: cnTags, summary: 'Get a credit note', params: idParamsSchema, response: { 200: creditNoteSchema, ...commonProblemResponses } } },
    (request) => read(app.db, request, (tx) => creditNotes.getCreditNote(tx, request.principal, request.params.id)),
  )
}
