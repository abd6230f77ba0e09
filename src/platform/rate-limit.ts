import rateLimit from '@fastify/rate-limit'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { Env } from '../config/env.js'
import { AppError } from '../shared/errors.js'

export type RateLimitHook = (this: FastifyInstance, request: FastifyRequest, reply: FastifyReply) => Promise<void>

/**
 * One budget per API key, shared by REST and GraphQL: the store lives on the root instance, and
 * each API surface calls the returned hook right after authentication (so every authenticated
 * answer, a 400 included, carries `RateLimit-Limit`, `RateLimit-Remaining` and `RateLimit-Reset`;
 * a 429 adds `Retry-After`). The window is fixed (60 s from a key's first request in it) and the
 * counters live in this process: N API processes allow N times the figure (docs/api.md).
 */
export async function registerRateLimit(app: FastifyInstance, env: Pick<Env, 'RELANCE_RATE_LIMIT_PER_MINUTE'>): Promise<RateLimitHook> {
  await app.register(rateLimit, {
    global: false,
    max: env.RELANCE_RATE_LIMIT_PER_MINUTE,
    timeWindow: 60_000,
    enableDraftSpec: true,
    // Keys least recently seen are forgotten beyond this many (their count starts again).
    cache: 20_000,
    keyGenerator: (request) => `key:${request.principal.keyId}`,
    errorResponseBuilder: (_request, context) => {
      const error = new AppError('rate_limited', `Rate limit of ${context.max} requests per minute reached for this API key; retry after ${context.after}.`)
      return Object.assign(error, { statusCode: 429 })
    },
  })
  return app.rateLimit() as RateLimitHook
}
