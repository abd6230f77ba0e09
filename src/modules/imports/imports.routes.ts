import type { FastifyInstance } from 'fastify'
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { idParamsSchema } from '../../platform/api-schemas.js'
import { commonProblemResponses, problemSchema } from '../../platform/problem.js'
import { read } from '../../platform/request-context.js'
import { registerBulkParsers } from './bulk-upload.js'
import { handleBulk, type BulkDeps } from './bulk.service.js'
import type { BulkKind } from './bulk-types.js'
import { debtorsBulk } from './debtors-bulk.js'
import { ImportJobs } from './import-jobs.js'
import { bulkLimits, type BulkLimits } from './imports.config.js'
import { bulkHeadersSchema, bulkResultSchema, importListSchema, importSchema, listImportsQuery } from './imports.schema.js'
import * as imports from './imports.service.js'
import { invoicesBulk } from './invoices-bulk.js'
import { paymentsBulk } from './payments-bulk.js'

const tags = ['Bulk import']

const bulkDescription = (what: string, extra = '') =>
  `Body: NDJSON (\`application/x-ndjson\`, one ${what} per line, streamed) or a JSON array (\`application/json\`, up to 32 MiB). ` +
  `Each line is checked like the single POST and must carry \`external_ref\`, the key it is upserted on. ` +
  `Up to 10,000 lines: answered at once (200) with per-line results, all stored in one transaction; every line is listed up ` +
  `to 1,000 lines, beyond that only rejected ones. Larger files, or \`Prefer: respond-async\`: an import job (202, then ` +
  `\`GET /v1/imports/{id}\`), each chunk of lines in its own transaction. ${extra}`

const invoiceRule = 'Debtor and currency of an existing invoice are fixed; amounts paid and credited are never touched.'
const paymentRule = 'Payments are never changed: a known external_ref is `unchanged` if identical, rejected otherwise.'

function bulkRoute<T extends { external_ref?: string }>(app: FastifyInstance, deps: BulkDeps, kind: BulkKind<T>, description: string) {
  app.post(
    `/${kind.name}/bulk`,
    {
      bodyLimit: deps.limits.uploadMaxBytes,
      schema: {
        tags,
        summary: `Create or update many ${kind.name} (NDJSON or JSON array)`,
        description,
        headers: bulkHeadersSchema,
        response: {
          200: bulkResultSchema,
          202: importSchema,
          409: problemSchema,
          413: problemSchema,
          415: problemSchema,
          422: problemSchema,
          ...commonProblemResponses,
        },
      },
    },
    (request, reply) => handleBulk(deps, kind, request, reply),
  )
}

export const importRoutes: FastifyPluginAsyncZod<{ limits?: BulkLimits }> = async (app, options) => {
  const limits = options.limits ?? bulkLimits(app.env)
  const jobs = new ImportJobs()
  app.addHook('onClose', () => jobs.stop())
  const deps: BulkDeps = { db: app.db, limits, jobs, log: app.log }

  // Own context: these parsers hand the raw stream over and apply to the bulk routes only.
  await app.register(async (bulk) => {
    registerBulkParsers(bulk)
    bulkRoute(bulk, deps, debtorsBulk, bulkDescription('debtor', 'A line is the whole debtor: fields left out are emptied.'))
    bulkRoute(bulk, deps, invoicesBulk, bulkDescription('invoice', invoiceRule))
    bulkRoute(bulk, deps, paymentsBulk, bulkDescription('payment', paymentRule))
  })

  app.get(
    '/imports',
    { schema: { tags, summary: 'List import jobs', querystring: listImportsQuery, response: { 200: importListSchema, ...commonProblemResponses } } },
    (request) => read(app.db, request, (tx) => imports.listImports(tx, request.principal, request.query)),
  )
  app.get(
    '/imports/:id',
    { schema: { tags, summary: 'Get an import job and its progress', params: idParamsSchema, response: { 200: importSchema, ...commonProblemResponses } } },
    (request) => read(app.db, request, (tx) => imports.getImport(tx, request.principal, request.params.id)),
  )
}
