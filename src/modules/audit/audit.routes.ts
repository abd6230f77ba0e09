import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { commonProblemResponses } from '../../platform/problem.js'
import { read } from '../../platform/request-context.js'
import { auditListSchema, auditVerificationSchema, listAuditQuery } from './audit.schema.js'
import * as audit from './audit.service.js'

const tags = ['Audit']

export const auditRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/audit',
    {
      schema: {
        tags,
        summary: 'List audit entries, in chain order',
        description:
          'The tenant audit chain: one entry per change of a debtor, invoice, payment, credit note, hold, scenario, ' +
          'dispatch or proof, each holding the previous entry hash. Oldest first; `starting_after` is a sequence.',
        querystring: listAuditQuery,
        response: { 200: auditListSchema, ...commonProblemResponses },
      },
    },
    (request) => read(app.db, request, (tx) => audit.listAudit(tx, request.principal, request.query)),
  )

  app.get(
    '/audit/verify',
    {
      schema: {
        tags,
        summary: 'Verify the audit chain',
        description:
          'Recomputes every entry hash from its fields and the previous hash, and answers the first entry that does not ' +
          'match (changed, removed or re-ordered). Keep `head` elsewhere to detect later that entries were cut from the end.',
        response: { 200: auditVerificationSchema, ...commonProblemResponses },
      },
    },
    (request) => read(app.db, request, (tx) => audit.verifyAudit(tx, request.principal)),
  )
}
