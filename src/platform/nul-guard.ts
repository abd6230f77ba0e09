import type { FastifyInstance, FastifyRequest } from 'fastify'
import { AppError } from '../shared/errors.js'

// JSON nested deeper than this is refused by the schemas anyway; the walk stops there.
const MAX_WALK_DEPTH = 64

/** The path of the first string (value or key) holding U+0000 in `value`, or null. */
export function findNul(value: unknown, path: string, depth = 0): string | null {
  if (typeof value === 'string') return value.includes('\u0000') ? path : null
  if (!value || typeof value !== 'object' || depth > MAX_WALK_DEPTH || Buffer.isBuffer(value)) return null
  for (const [key, inner] of Object.entries(value)) {
    const innerPath = Array.isArray(value) ? `${path}.${key}` : `${path}.${key.replaceAll('\u0000', '\\u0000')}`
    if (key.includes('\u0000')) return innerPath
    const found = findNul(inner, innerPath, depth + 1)
    if (found) return found
  }
  return null
}

/**
 * PostgreSQL text and jsonb cannot hold U+0000: without this a NUL in any field reached SQL and
 * came back as a 500. Refused here, before the schemas, with the field it is in.
 */
export function registerNulGuard(app: FastifyInstance) {
  app.addHook('preValidation', async (request: FastifyRequest) => {
    for (const part of ['params', 'query', 'body'] as const) {
      const path = findNul(request[part], part)
      if (path) {
        throw new AppError('validation_failed', `${path}: the NUL character (U+0000) is not allowed`, [
          { path, message: 'The NUL character (U+0000) is not allowed' },
        ])
      }
    }
  })
}
