import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { withSystem } from '../../db/client.js'
import { requirePlatform } from '../../platform/auth.js'
import { commonProblemResponses, problemSchema } from '../../platform/problem.js'
import { createSigningKey, ensureSigningKey, listSigningKeys, toJwks } from './signing-keys.js'
import type { WebhookSettings } from './webhooks.config.js'

const jwkSchema = z.object({ kty: z.string(), crv: z.string(), x: z.string(), kid: z.string(), alg: z.string(), use: z.string() })
export const jwksSchema = z.object({ keys: z.array(jwkSchema) }).meta({ id: 'JsonWebKeySet' })

const rotateBody = z
  .strictObject({
    publish_ahead_seconds: z
      .number()
      .int()
      .min(0)
      .max(7 * 86_400)
      .default(900)
      .describe('The new key is published now and signs from then on: longer than receivers cache the JWKS (jose: 10 min)'),
  })
  .meta({ id: 'RotateSigningKey' })

const rotatedSchema = z
  .object({ object: z.literal('signing_key'), kid: z.string(), alg: z.string(), signs_from: z.string() })
  .meta({ id: 'SigningKey' })

/** `/.well-known/jwks.json`: unauthenticated, every key ever used (retired ones verify old proofs). */
export const jwksRoutes: FastifyPluginAsyncZod<{ settings: WebhookSettings }> = async (app, { settings }) => {
  app.get(
    '/.well-known/jwks.json',
    {
      schema: {
        tags: ['Webhooks'],
        summary: 'Public keys of relance-signature-jws',
        description: 'No authentication. Select the key by the `kid` of the JWS header.',
        security: [],
        response: { 200: jwksSchema },
      },
    },
    async (_request, reply) => {
      let keys = await withSystem(app.db, (tx) => listSigningKeys(tx))
      if (!keys.length) {
        // Publish the first key before anything is signed with it.
        await ensureSigningKey(app.db, settings.secretKey(), new Date())
        keys = await withSystem(app.db, (tx) => listSigningKeys(tx))
      }
      reply.header('cache-control', 'public, max-age=300')
      return toJwks(keys)
    },
  )
}

export const signingKeyRoutes: FastifyPluginAsyncZod<{ settings: WebhookSettings }> = async (app, { settings }) => {
  app.post(
    '/signing-keys/rotate',
    {
      schema: {
        tags: ['Webhooks'],
        summary: 'Rotate the JWS signing key (platform key only)',
        description: 'Creates a new Ed25519 key, published at once in /.well-known/jwks.json, signing after `publish_ahead_seconds`. Old keys stay published.',
        body: rotateBody.nullish(),
        response: { 201: rotatedSchema, 403: problemSchema, ...commonProblemResponses },
      },
    },
    async (request, reply) => {
      requirePlatform(request.principal)
      const ahead = request.body?.publish_ahead_seconds ?? 900
      const key = await withSystem(app.db, (tx) => createSigningKey(tx, settings.secretKey(), new Date(Date.now() + ahead * 1000)))
      reply.code(201)
      return { object: 'signing_key' as const, kid: key.kid, alg: key.alg, signs_from: key.signsFrom.toISOString() }
    },
  )
}
