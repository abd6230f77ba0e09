import type { FastifyPluginAsync } from 'fastify'
import { recordTrackingHit } from './tracking-record.js'
import { readTrackingToken } from './tracking.js'

// The smallest transparent GIF (43 bytes).
const PIXEL = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64')

/**
 * The debtor's mail client calls these, without any key: the HMAC token is the authentication.
 * Outside /v1 and the API documentation, as they are not part of the integrator's API.
 */
export const trackingRoutes: FastifyPluginAsync = async (app) => {
  const key = () => app.dispatchDeps.secretKey
  app.get<{ Params: { token: string } }>('/t/o/:token', { schema: { hide: true } }, async (request, reply) => {
    const dispatchId = readTrackingToken(key(), request.params.token.replace(/\.gif$/, ''))
    const hit = dispatchId && (await recordTrackingHit(app.db, dispatchId, 'opened'))
    if (!hit) return reply.status(404).send()
    return reply.header('content-type', 'image/gif').header('cache-control', 'no-store, max-age=0').send(PIXEL)
  })
  app.get<{ Params: { token: string } }>('/t/c/:token', { schema: { hide: true } }, async (request, reply) => {
    const dispatchId = readTrackingToken(key(), request.params.token)
    const hit = dispatchId && (await recordTrackingHit(app.db, dispatchId, 'link_clicked'))
    if (!hit || !hit.link) return reply.status(404).send()
    return reply.header('cache-control', 'no-store').redirect(hit.link, 302)
  })
}
