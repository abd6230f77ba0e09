/**
 * One error class with a closed set of codes, mapped once to HTTP (platform/errors.ts) and once to
 * GraphQL (graphql/errors.ts). Services throw AppError; nothing else reaches a client verbatim.
 */
export const ERROR_CODES = {
  validation_failed: { status: 400, title: 'The request is not valid' },
  malformed_json: { status: 400, title: 'The request body is not valid JSON' },
  unauthenticated: { status: 401, title: 'Authentication is required' },
  forbidden: { status: 403, title: 'This key may not do that' },
  not_found: { status: 404, title: 'Not found' },
  route_not_found: { status: 404, title: 'No such route' },
  method_not_allowed: { status: 405, title: 'Method not allowed' },
  conflict: { status: 409, title: 'Conflict with the current state' },
  idempotency_key_in_use: { status: 409, title: 'A request with this Idempotency-Key is still in progress' },
  request_timeout: { status: 408, title: 'The request did not arrive in time' },
  precondition_failed: { status: 412, title: 'The object changed since you read it' },
  payload_too_large: { status: 413, title: 'The request body is too large' },
  unsupported_media_type: { status: 415, title: 'Unsupported media type' },
  idempotency_key_reused: { status: 422, title: 'This Idempotency-Key was used with a different request' },
  unprocessable: { status: 422, title: 'The request cannot be applied' },
  rate_limited: { status: 429, title: 'Too many requests' },
  headers_too_large: { status: 431, title: 'The request headers are too large' },
  internal: { status: 500, title: 'Internal error' },
  service_unavailable: { status: 503, title: 'Service temporarily unavailable' },
} as const satisfies Record<string, { status: number; title: string }>

export type ErrorCode = keyof typeof ERROR_CODES
export const errorCodes = Object.keys(ERROR_CODES) as [ErrorCode, ...ErrorCode[]]

export interface FieldError {
  path: string
  message: string
}

export class AppError extends Error {
  readonly status: number
  constructor(
    readonly code: ErrorCode,
    readonly detail: string,
    readonly errors: FieldError[] = [],
  ) {
    super(detail)
    this.name = 'AppError'
    this.status = ERROR_CODES[code].status
  }
}

export const notFound = (what: string, id: string) => new AppError('not_found', `No ${what} with id ${id}`)

export function problemType(code: ErrorCode): string {
  return `urn:relance:problem:${code}`
}
