import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod'
import { AppError, type ErrorCode, type FieldError } from '../shared/errors.js'
import { buildProblem } from './problem.js'

// Fastify's own error codes that are the client's fault, and what they mean to a caller.
const FASTIFY_CODES: Record<string, ErrorCode> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'payload_too_large',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported_media_type',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'validation_failed',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'validation_failed',
  FST_ERR_CTP_INVALID_JSON_BODY: 'malformed_json',
  FST_ERR_VALIDATION: 'validation_failed',
}

// Connection-level failures (server restarting, network) are transient: 503, not 500.
function isDatabaseUnavailable(error: Error): boolean {
  const code = (error as { code?: string }).code ?? ''
  return (
    /^(08|57P0)/.test(code) ||
    ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE'].includes(code) ||
    /timeout exceeded when trying to connect|Connection terminated/.test(error.message)
  )
}

interface ZodIssueParams {
  keys?: string[]
}

function fieldErrors(error: FastifyError): FieldError[] {
  const part = error.validationContext ?? 'body'
  return (error.validation ?? []).flatMap((issue) => {
    const base = `${part}${issue.instancePath.replaceAll('/', '.')}`.replace(/\.$/, '')
    const keys = (issue.params as ZodIssueParams | undefined)?.keys
    if (issue.keyword === 'unrecognized_keys' && keys?.length) {
      return keys.map((key) => ({ path: `${base}.${key}`, message: 'Unknown field' }))
    }
    return [{ path: base, message: issue.message ?? 'Invalid value' }]
  })
}

export function sendProblem(reply: FastifyReply, request: FastifyRequest, error: AppError) {
  const problem = buildProblem(error.code, error.detail, String(request.id), error.errors)
  return reply.code(problem.status).type('application/problem+json').send(problem)
}

/** Maps anything thrown to a problem+json answer. A 5xx never says what went wrong inside. */
export function toAppError(error: FastifyError | Error, request: FastifyRequest): AppError {
  if (error instanceof AppError) return error
  const fastifyError = error as FastifyError
  if (hasZodFastifySchemaValidationErrors(fastifyError) || fastifyError.validation) {
    const errors = fieldErrors(fastifyError)
    return new AppError('validation_failed', errors.map((e) => `${e.path}: ${e.message}`).join('; '), errors)
  }
  const mapped = fastifyError.code ? FASTIFY_CODES[fastifyError.code] : undefined
  if (mapped === 'malformed_json' || (error instanceof SyntaxError && fastifyError.statusCode === 400)) {
    return new AppError('malformed_json', 'The request body is not valid JSON.')
  }
  if (mapped) return new AppError(mapped, fastifyError.message)
  if (isDatabaseUnavailable(error)) {
    return new AppError('service_unavailable', 'The database is unreachable; retry shortly.')
  }
  if (fastifyError.statusCode === 404) return new AppError('route_not_found', `No route ${request.method} ${request.url}`)
  if (fastifyError.statusCode && fastifyError.statusCode >= 400 && fastifyError.statusCode < 500) {
    return new AppError('validation_failed', fastifyError.message)
  }
  return new AppError('internal', 'Something went wrong on our side. The request_id helps us find out what.')
}

export function registerErrorHandling(app: FastifyInstance) {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const appError = toAppError(error, request)
    if (appError.status >= 500) request.log.error({ err: error }, 'request failed')
    return sendProblem(reply, request, appError)
  })
  app.setNotFoundHandler((request, reply) =>
    sendProblem(reply, request, new AppError('route_not_found', `No route ${request.method} ${request.url.split('?')[0]}`)),
  )
}
