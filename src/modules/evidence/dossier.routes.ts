import type { FastifyReply } from 'fastify'
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { idParamsSchema } from '../../platform/api-schemas.js'
import { commonProblemResponses } from '../../platform/problem.js'
import { read } from '../../platform/request-context.js'
import { debtorDossier, invoiceDossier, type Dossier } from './dossier.service.js'

const description =
  'A ZIP ready for an injonction de payer or the small-claims procedure: `manifest.json` (every file with its sha256 and ' +
  'size, the amounts, the slice of the audit chain covering the case), `chronologie.pdf` (dates, channels, outcomes, ' +
  'penalties, the €40 indemnity, prescription date), the invoice PDFs, every message and letter exactly as sent, every ' +
  'provider proof, and a README.txt in French. docs/evidence.md explains how to verify it.'

const send = (reply: FastifyReply, dossier: Dossier) =>
  reply
    .type('application/zip')
    .header('content-disposition', `attachment; filename="${dossier.filename}"`)
    .header('cache-control', 'no-store')
    .send(dossier.zip)

export const dossierRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/debtors/:id/dossier',
    { schema: { tags: ['Evidence'], summary: "Download a debtor's evidence dossier (ZIP)", description, params: idParamsSchema, response: commonProblemResponses } },
    async (request, reply) => send(reply, await read(app.db, request, (tx) => debtorDossier(tx, request.principal, request.params.id, app.dispatchDeps.proofStorage))),
  )

  app.get(
    '/invoices/:id/dossier',
    { schema: { tags: ['Evidence'], summary: "Download an invoice's evidence dossier (ZIP)", description, params: idParamsSchema, response: commonProblemResponses } },
    async (request, reply) => send(reply, await read(app.db, request, (tx) => invoiceDossier(tx, request.principal, request.params.id, app.dispatchDeps.proofStorage))),
  )
}
