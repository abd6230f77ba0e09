import { STATUS_CODES } from 'node:http'
import type { Socket } from 'node:net'
import type { ConnectionError, FastifyInstance, FastifyServerOptions } from 'fastify'
import type { Env } from '../config/env.js'
import { AppError, type ErrorCode } from '../shared/errors.js'
import { newId } from '../shared/ids.js'
import { buildProblem } from './problem.js'

type HttpLimitsEnv = Pick<
  Env,
  | 'RELANCE_HTTP_HEADERS_TIMEOUT_MS'
  | 'RELANCE_HTTP_REQUEST_TIMEOUT_MS'
  | 'RELANCE_HTTP_IDLE_TIMEOUT_MS'
  | 'RELANCE_HTTP_KEEP_ALIVE_TIMEOUT_MS'
  | 'RELANCE_HTTP_MAX_HEADER_BYTES'
>

/**
 * The server's defences against slow and oversized clients. Fastify turns Node's request timeout
 * off by default (it expects a proxy in front); Relance may be exposed directly, so a client
 * dribbling its headers or body is cut off and its socket freed. Node checks the headers and
 * request timers on an interval: a quarter of the headers timeout (at most 1 s) keeps the cut-off
 * close to the configured figure.
 */
export function httpServerOptions(env: HttpLimitsEnv): Pick<FastifyServerOptions, 'connectionTimeout' | 'keepAliveTimeout' | 'requestTimeout' | 'clientErrorHandler'> & { http: Record<string, number> } {
  return {
    // Idle socket: no byte in either direction (also a client that stops reading our answer).
    connectionTimeout: env.RELANCE_HTTP_IDLE_TIMEOUT_MS,
    keepAliveTimeout: env.RELANCE_HTTP_KEEP_ALIVE_TIMEOUT_MS,
    requestTimeout: env.RELANCE_HTTP_REQUEST_TIMEOUT_MS,
    http: {
      headersTimeout: env.RELANCE_HTTP_HEADERS_TIMEOUT_MS,
      requestTimeout: env.RELANCE_HTTP_REQUEST_TIMEOUT_MS,
      connectionsCheckingInterval: Math.max(50, Math.min(1000, Math.floor(env.RELANCE_HTTP_HEADERS_TIMEOUT_MS / 4))),
      maxHeaderSize: env.RELANCE_HTTP_MAX_HEADER_BYTES,
    },
    clientErrorHandler: answerClientError,
  }
}

// What Node's parser or its timers reported, as a code of the closed set.
const CLIENT_ERRORS: Record<string, { code: ErrorCode; detail: string }> = {
  ERR_HTTP_REQUEST_TIMEOUT: { code: 'request_timeout', detail: 'The request headers or body did not arrive in time; the connection is closed.' },
  HPE_HEADER_OVERFLOW: { code: 'headers_too_large', detail: 'The request line and headers exceed the size limit.' },
}
const NOT_HTTP = { code: 'validation_failed' as const, detail: 'The request is not valid HTTP/1.1.' }

/**
 * Errors raised before Fastify sees a request (no route, no request id yet): answered with the
 * same problem+json as every other error, then the socket is closed. Only the error's code is
 * logged: a parser error carries the raw bytes received, Authorization header included.
 */
function answerClientError(this: FastifyInstance, error: ConnectionError, socket: Socket) {
  if (error.code === 'ECONNRESET' || socket.destroyed) return
  const { code, detail } = CLIENT_ERRORS[error.code] ?? NOT_HTTP
  const requestId = newId('request')
  const problem = buildProblem(code, detail, requestId)
  const body = JSON.stringify(problem)
  this.log.debug({ request_id: requestId, client_error: error.code, remote_address: socket.remoteAddress }, 'client error')
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${problem.status} ${STATUS_CODES[problem.status]}\r\ncontent-type: application/problem+json; charset=utf-8\r\n` +
        `content-length: ${Buffer.byteLength(body)}\r\nrequest-id: ${requestId}\r\nconnection: close\r\n\r\n${body}`,
    )
  }
  socket.destroy()
}

/**
 * Node keeps at most `maxHeadersCount` header fields and silently drops the rest; one more than
 * the limit is kept so that a request over it is seen, and refused with 431 before any route runs.
 */
export function limitHeaderCount(app: FastifyInstance, max: number) {
  app.server.maxHeadersCount = max + 1
  app.addHook('onRequest', async (request) => {
    if (request.raw.rawHeaders.length / 2 > max) {
      throw new AppError('headers_too_large', `A request may carry at most ${max} header fields.`)
    }
  })
}
