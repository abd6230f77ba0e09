import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { idParamsSchema } from '../../platform/api-schemas.js'
import { commonProblemResponses } from '../../platform/problem.js'
import { read } from '../../platform/request-context.js'
import { dispatchListSchema, dispatchSchema, listDispatchesQuery, proofListSchema } from './dispatch.schema.js'
import * as dispatches from './dispatch.service.js'

const tags = ['Dispatches']

export const dispatchRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/dispatches',
    { schema: { tags, summary: 'List dispatches', querystring: listDispatchesQuery, response: { 200: dispatchListSchema, ...commonProblemResponses } } },
    (request) => read(app.db, request, (tx) => dispatches.listDispatches(tx, request.principal, request.query)),
  )
  app.get(
    '/dispatches/:id',
    {
      schema: {
        tags,
        summary: 'A dispatch with its timeline, rendered content and cost',
        params: idParamsSchema,
        response: { 200: dispatchSchema, ...commonProblemResponses },
      },
    },
    (request) => read(app.db, request, (tx) => dispatches.getDispatch(tx, request.principal, request.params.id)),
  )
  app.get(
    '/dispatches/:id/proofs',
    { schema: { tags, summary: "A dispatch's proofs, each with its sha256", params: idParamsSchema, response: { 200: proofListSchema, ...commonProblemResponses } } },
    (request) => read(app.db, request, (tx) => dispatches.listProofs(tx, request.principal, request.params.id)),
  )
  app.get(
    '/dispatches/:id/proofs/:proof_id/content',
    {
      schema: {
        tags,
        summary: 'Download a proof, as the provider issued it',
        params: z.strictObject({ id: z.string().min(1).max(64), proof_id: z.string().min(1).max(64) }),
        response: { 200: z.any().describe('The proof file (usually application/pdf)'), ...commonProblemResponses },
      },
    },
    async (request, reply) => {
      const proof = await read(app.db, request, (tx) => dispatches.downloadProof(tx, request.principal, request.params.id, request.params.proof_id, app.dispatchDeps.proofStorage))
      return reply
        .header('content-type', proof.contentType)
        .header('content-disposition', `attachment; filename="${proof.filename.replace(/"/g, '')}"`)
        .header('digest', `sha-256=${Buffer.from(proof.sha256, 'hex').toString('base64')}`)
        .send(proof.content)
    },
  )
}
