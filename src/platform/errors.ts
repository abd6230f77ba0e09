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

// Drizzle wraps the driver's error ("Failed query: …") and keeps it as `cause`: look through it.
function causes(error: unknown): { code?: string; message?: string }[] {
  const chain: { code?: string; message?: string }[] = []
  for (let e = error as { code?: string; message?: string; cause?: unknown } | undefined; e && chain.length < 5; e = e.cause as typeof e) chain.push(e)
  return chain
}

// Connection-level failures (server restarting, network) are transient: 503, not 500.
function isDatabaseUnavailable(error: Error): boolean {
  return causes(error).some(({ code = '', message = '' }) =>
    /^(08|57P0)/.test(code) ||
    ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE'].includes(code) ||
    /timeout exceeded when trying to connect|Connection terminated|Client has encountered a connection error|Cannot use a pool after calling end/.test(message),
  )
}

// 22P05 untranslatable character, 22021 invalid byte sequence, 22P02 on json (an unpaired
// surrogate): text the database cannot hold,
// the client's fault; the NUL guard catches most of it before SQL with the field's exact path.
function isUnstorableText(error: Error): boolean {
  return causes(error).some(({ code, message = '' }) => code === '22P05' || code === '22021' || (code === '22P02' && /type json/.test(message)))
}

function zodIssuesOf(error: Error): { path: PropertyKey[]; message: string }[] | null {
  const issues = (error as { issues?: unknown }).issues
  return error.name === 'ZodError' && Array.isArray(issues) ? (issues as { path: PropertyKey[]; message: string }[]) : null
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

/** Errors the router raises before any route runs (undecodable URL, over-long path segment). */
export function sendFrameworkError(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  reply.header('request-id', request.id)
  const message = error.code === 'FST_ERR_MAX_PARAM_LENGTH' ? 'A path segment is longer than 100 characters' : 'Not a valid percent-encoded URL'
  return sendProblem(reply, request, new AppError('validation_failed', message, [{ path: 'url', message }]))
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
  const zodIssues = zodIssuesOf(error)
  if (zodIssues) {
    // A schema parsed inside a handler or resolver (GraphQL list arguments): the caller's input, not our fault.
    const errors = zodIssues.map((issue) => ({ path: issue.path.map(String).join('.') || 'input', message: issue.message }))
    return new AppError('validation_failed', errors.map((e) => `${e.path}: ${e.message}`).join('; '), errors)
  }
  const mapped = fastifyError.code ? FASTIFY_CODES[fastifyError.code] : undefined
  if (mapped === 'malformed_json' || (error instanceof SyntaxError && fastifyError.statusCode === 400)) {
    return new AppError('malformed_json', 'The request body is not valid JSON.')
  }
  if (mapped) return new AppError(mapped, fastifyError.message)
  if (isUnstorableText(error)) {
    const message = 'Text holding characters PostgreSQL cannot store (U+0000, an unpaired surrogate)'
    return new AppError('validation_failed', message, [{ path: 'body', message }])
  }
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
