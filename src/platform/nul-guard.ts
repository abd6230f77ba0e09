import type { FastifyInstance, FastifyRequest } from 'fastify'
import { AppError } from '../shared/errors.js'

// JSON nested deeper than this is refused by the schemas anyway; the walk stops there.
const MAX_WALK_DEPTH = 64

// U+0000, or a UTF-16 surrogate without its pair (JSON can carry one as "\ud800"; PostgreSQL's json
// refuses it and text would silently store U+FFFD instead).
// eslint-disable-next-line no-control-regex -- matching U+0000 is the point
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/

/** The path of the first string (value or key) PostgreSQL cannot store as given, or null. */
export function findNul(value: unknown, path: string, depth = 0): string | null {
  if (typeof value === 'string') return UNSTORABLE.test(value) ? path : null
  if (!value || typeof value !== 'object' || depth > MAX_WALK_DEPTH) return null
  // Parsed JSON only: a bulk route's body is the raw request stream, whose object graph (socket,
  // server…) is huge and cyclic; its lines are checked one by one as they are parsed.
  const proto = Object.getPrototypeOf(value) as unknown
  if (!Array.isArray(value) && proto !== Object.prototype && proto !== null) return null
  for (const [key, inner] of Object.entries(value)) {
    const innerPath = Array.isArray(value) ? `${path}.${key}` : `${path}.${key.replace(new RegExp(UNSTORABLE, 'g'), '?')}`
    if (UNSTORABLE.test(key)) return innerPath
    const found = findNul(inner, innerPath, depth + 1)
    if (found) return found
  }
  return null
}

/**
 * PostgreSQL text and jsonb cannot hold U+0000, jsonb no unpaired surrogate: without this such a
 * character in any field reached SQL and came back as a 500. Refused here, before the schemas,
 * with the field it is in.
 */
export function registerNulGuard(app: FastifyInstance) {
  app.addHook('preValidation', async (request: FastifyRequest) => {
    for (const part of ['params', 'query', 'body'] as const) {
      const path = findNul(request[part], part)
      if (path) {
        const message = 'Text may not hold U+0000 nor an unpaired UTF-16 surrogate'
        throw new AppError('validation_failed', `${path}: ${message}`, [{ path, message }])
      }
    }
  })
}
