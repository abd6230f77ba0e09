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

export function loggerOptions(env: Env, stream?: pino.DestinationStream): FastifyServerOptions['logger'] {
  return {
    level: env.LOG_LEVEL,
    redact: { paths: redactPaths, censor: '[redacted]' },
    base: { service: 'relance', role: env.RELANCE_ROLE },
    serializers: { err: serializeError },
    ...(stream ? { stream } : {}),
  }
}
