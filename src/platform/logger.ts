import type { FastifyServerOptions } from 'fastify'
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

export function loggerOptions(env: Env): FastifyServerOptions['logger'] {
  return {
    level: env.LOG_LEVEL,
    redact: { paths: redactPaths, censor: '[redacted]' },
    base: { service: 'relance', role: env.RELANCE_ROLE },
  }
}
