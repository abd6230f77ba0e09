import type { FastifyPluginAsync } from 'fastify'
import { handleCallback } from './callbacks.js'

/**
 * Provider callbacks, outside API-key authentication: the provider is the caller, and the driver
 * authenticates it (basic auth, or a re-fetch from the provider). The raw bytes are kept for it.
 */
export const callbackRoutes: FastifyPluginAsync = async (app) => {
  app.removeAllContentTypeParsers()
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body))
  app.post<{ Params: { connection_id: string } }>('/channel-callbacks/:connection_id', { schema: { hide: true } }, async (request, reply) => {
    const reply_ = await handleCallback(app.db, app.dispatchDeps, request.params.connection_id, {
      headers: request.headers,
      query: request.query as Record<string, string | undefined>,
      body: Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0),
    })
    return reply.status(reply_.statusCode).send(reply_.body ?? '')
  })
}
