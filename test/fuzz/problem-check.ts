import type { LightMyRequestResponse } from 'fastify'
import { ERROR_CODES, type ErrorCode } from '../../src/shared/errors.js'

/** What is wrong with an answer, by the API's own promises (docs/api.md#errors); null when it keeps them. */
export function problemDefect(res: LightMyRequestResponse): string | null {
  if (res.statusCode >= 500) return `${res.statusCode} answer`
  if (res.statusCode < 400) return null
  const type = String(res.headers['content-type'] ?? '')
  if (!type.startsWith('application/problem+json')) return `${res.statusCode} as ${type || 'no content type'}`
  let body: { code?: string; status?: number; errors?: { path?: unknown }[]; request_id?: unknown }
  try {
    body = res.json()
  } catch {
    return `${res.statusCode} problem that is not JSON`
  }
  const code = body.code as ErrorCode
  if (!(code in ERROR_CODES)) return `unknown code ${String(body.code)}`
  if (ERROR_CODES[code].status !== res.statusCode || body.status !== res.statusCode) return `${code} answered as ${res.statusCode}`
  if (body.request_id !== res.headers['request-id']) return 'request_id differs from the Request-Id header'
  if (code === 'validation_failed' && !(body.errors?.length && body.errors.every((e) => typeof e.path === 'string' && e.path.length > 0))) {
    return 'validation_failed without errors[].path'
  }
  return null
}
