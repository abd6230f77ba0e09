import { z } from 'zod'
import { ERROR_CODES, errorCodes, problemType, type ErrorCode, type FieldError } from '../shared/errors.js'

/** RFC 9457 problem details, with Relance's `code`, `request_id` and field `errors`. */
export const problemSchema = z
  .object({
    type: z.string().describe('URI naming the problem kind: urn:relance:problem:<code>'),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    code: z.enum(errorCodes),
    request_id: z.string(),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  })
  .meta({ id: 'Problem' })

export type Problem = z.infer<typeof problemSchema>

export function buildProblem(code: ErrorCode, detail: string, requestId: string, errors: FieldError[] = []): Problem {
  const { status, title } = ERROR_CODES[code]
  return {
    type: problemType(code),
    title,
    status,
    detail,
    code,
    request_id: requestId,
    ...(errors.length ? { errors } : {}),
  }
}

/** The error answers every authenticated route can give, for the OpenAPI document. */
export const commonProblemResponses = {
  400: problemSchema,
  401: problemSchema,
  404: problemSchema,
  429: problemSchema,
  500: problemSchema,
}
