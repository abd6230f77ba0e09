import type { FastifyServerOptions } from 'fastify'
import pino from 'pino'
import type { Env } from '../config/env.js'

/** Paths pino replaces with [redacted]: credentials never reach a log line. */
export const redactPaths = [
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.authorization',
  'authorization',
  'secret',
  '*.secret',
  'password',
  '*.password',
  'apiKey',
  '*.apiKey',
  'credentials',
  '*.credentials',
  'token',
  '*.token',
  'private_key',
  '*.private_key',
  'client_secret',
  '*.client_secret',
  'DATABASE_URL',
  'RELANCE_SECRET_KEY',
  'RELANCE_BOOTSTRAP_KEY',
]

/**
 * Query errors quote their bind parameters (debtor names, emails, amounts): personal data that has
 * no place in a log line. Keep the statement and the PostgreSQL error code, drop the values.
 */
export function serializeError(error: Error): { type: string; message: string; stack: string; [key: string]: unknown } {
  const { params: _params, ...serialized } = pino.stdSerializers.err(error)
  const strip = (text: string) => (text.replace(/\nparams: [\s\S]*?(\n {4}at |$)/, '\n[params redacted]$1'))
  const cause = (error as { cause?: { code?: string; message?: string } }).cause
  return {
    ...serialized,
    message: strip(serialized.message ?? ''),
    stack: strip(serialized.stack ?? ''),
    ...(cause ? { cause: { code: cause.code, message: cause.message } } : {}),
  }
}

/**
 * A query string holds data (a GraphQL GET's query and variables, a filter on a reference that is
 * an email or an IBAN): the request line keeps the path and the parameter names only.
 */
export function redactQuery(url: string): string {
  const at = url.indexOf('?')
  if (at < 0) return url
  const names = url.slice(at + 1).split('&').filter(Boolean).map((pair) => `${pair.split('=')[0]!.slice(0, 40)}=[redacted]`)
  return `${url.slice(0, at)}?${names.join('&')}`
}

function serializeRequest(request: { method?: string; url?: string; host?: string; ip?: string; socket?: { remoteAddress?: string } }) {
  return { method: request.method, url: redactQuery(request.url ?? ''), host: request.host, remoteAddress: request.ip ?? request.socket?.remoteAddress }
}

export function loggerOptions(env: Env, stream?: pino.DestinationStream): FastifyServerOptions['logger'] {
  return {
    level: env.LOG_LEVEL,
    redact: { paths: redactPaths, censor: '[redacted]' },
    base: { service: 'relance', role: env.RELANCE_ROLE },
    serializers: { err: serializeError, req: serializeRequest },
    ...(stream ? { stream } : {}),
  }
}
