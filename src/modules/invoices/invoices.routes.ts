import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { idParamsSchema, ifMatchHeadersSchema } from '../../platform/api-schemas.js'
import { etagOf } from '../../platform/etag.js'
import { commonProblemResponses, problemSchema } from '../../platform/problem.js'
import { read, write } from '../../platform/request-context.js'
import { attachDocument, MAX_DOCUMENT_BYTES, readDocument } from './invoice-documents.service.js'
import { createInvoiceBody, invoiceListSchema, invoiceSchema, listInvoicesQuery, updateInvoiceBody } from './invoices.schema.js'
import * as invoices from './invoices.service.js'

const tags = ['Invoices']
const writeProblems = { 409: problemSchema, 422: problemSchema, ...commonProblemResponses }

export const invoiceRoutes: FastifyPluginAsyncZod = async (app) => {
  app.addContentTypeParser('application/pdf', { parseAs: 'buffer', bodyLimit: MAX_DOCUMENT_BYTES }, (_req, body, done) =>
    done(null, body),
  )

  app.post(
    '/invoices',
    {
      schema: {
        tags,
        summary: 'Create an invoice',
        description: 'Amounts in minor units. `warnings` flags payment terms beyond the French legal limits; the invoice is stored anyway.',
        body: createInvoiceBody,
        response: { 201: invoiceSchema, ...writeProblems },
      },
    },
    (request, reply) => write(app.db, request, reply, 201, (tx) => invoices.createInvoice(tx, request.principal, request.body)),
  )

  app.get(
    '/invoices',
    {
      schema: { tags, summary: 'List invoices', querystring: listInvoicesQuery, response: { 200: invoiceListSchema, ...commonProblemResponses } },
    },
    (request) => read(app.db, request, (tx) => invoices.listInvoices(tx, request.principal, request.query)),
  )

  app.get(
    '/invoices/:id',
    { schema: { tags, summary: 'Get an invoice', params: idParamsSchema, response: { 200: invoiceSchema, ...commonProblemResponses } } },
    async (request, reply) => {
      const invoice = await read(app.db, request, (tx) => invoices.getInvoice(tx, request.principal, request.params.id))
      reply.header('etag', etagOf(invoice))
      return invoice
    },
  )

  app.patch(
    '/invoices/:id',
    {
      schema: {
        tags,
        summary: 'Update an invoice',
        description: 'Debtor and currency are fixed. The status is derived again after the change.',
        params: idParamsSchema,
        headers: ifMatchHeadersSchema,
        body: updateInvoiceBody,
        response: { 200: invoiceSchema, 412: problemSchema, ...writeProblems },
      },
    },
    async (request, reply) => {
      const invoice = await write(app.db, request, reply, 200, (tx) =>
        invoices.updateInvoice(tx, request.principal, request.params.id, request.body, request.headers['if-match']),
      )
      reply.header('etag', etagOf(invoice))
      return invoice
    },
  )

  for (const [path, how, summary] of [
    ['cancel', 'cancel', 'Cancel an invoice issued by mistake (nothing applied to it)'],
    ['write-off', 'write_off', 'Write an invoice off: it stays on record, collection stops'],
  ] as const) {
    app.post(
      `/invoices/:id/${path}`,
      { schema: { tags, summary, params: idParamsSchema, response: { 200: invoiceSchema, ...writeProblems } } },
      (request, reply) => write(app.db, request, reply, 200, (tx) => invoices.closeInvoice(tx, request.principal, request.params.id, how)),
    )
  }

  app.put(
    '/invoices/:id/document',
    {
      schema: {
        tags,
        summary: 'Upload the invoice PDF',
        description: 'Send the PDF itself as the body with `Content-Type: application/pdf` (up to 10 MiB). Its sha256 is kept.',
        params: idParamsSchema,
        querystring: z.strictObject({ filename: z.string().min(1).max(200).default('invoice.pdf') }),
        response: { 200: invoiceSchema, 413: problemSchema, 415: problemSchema, ...writeProblems },
      },
    },
    (request, reply) =>
      write(app.db, request, reply, 200, (tx) =>
        attachDocument(tx, request.principal, request.params.id, request.body as Buffer, request.query.filename),
      ),
  )

  app.get(
    '/invoices/:id/document',
    {
      schema: {
        tags,
        summary: 'Download the invoice PDF',
        description: 'application/pdf; `Repr-Digest` carries its sha-256.',
        params: idParamsSchema,
      },
    },
    async (request, reply) => {
      const document = await read(app.db, request, (tx) => readDocument(tx, request.principal, request.params.id))
      reply.type(document.contentType).header('content-disposition', `inline; filename="${document.filename.replace(/"/g, '')}"`)
      reply.header('repr-digest', `sha-256=:${Buffer.from(document.sha256, 'hex').toString('base64')}:`)
      return reply.send(document.content)
    },
  )
}
