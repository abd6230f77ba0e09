import type { z } from 'zod'
import { AppError, type FieldError } from '../shared/errors.js'

const snake = (key: string) => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)
const camel = (key: string) => key.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase())

/**
 * GraphQL input (camelCase) to the REST body shape the zod schemas check. Below the top level a
 * GraphQL null only means "not given"; at the top level it clears a field on update (`nullClears`).
 * Metadata keys are the caller's own and keep their spelling.
 */
function toBody(value: unknown, nullClears: boolean): unknown {
  if (Array.isArray(value)) return value.map((v) => toBody(v, false))
  if (!value || typeof value !== 'object') return value
  return Object.fromEntries(
    Object.entries(value)
      .filter(([, v]) => v !== undefined && (nullClears || v !== null))
      .map(([k, v]) => [snake(k), k === 'metadata' ? v : toBody(v, false)]),
  )
}

/** `body.instalments.1.due_date` as the GraphQL caller wrote it: `input.instalments.1.dueDate`. */
const inputPath = (path: string) => path.replace(/^body(\.|$)/, 'input$1').split('.').map(camel).join('.')

function validationError(errors: FieldError[]): AppError {
  return new AppError('validation_failed', errors.map((e) => `${e.path}: ${e.message}`).join('; '), errors)
}

/** Checks a mutation input with the same zod schema as the REST body; errors name GraphQL fields. */
export function parseInput<T extends z.ZodType>(schema: T, input: unknown, options: { nullClears?: boolean } = {}): z.output<T> {
  const result = schema.safeParse(toBody(input, options.nullClears ?? false))
  if (result.success) return result.data
  throw validationError(
    result.error.issues.flatMap((issue) => {
      const path = ['body', ...issue.path.map(String)]
      if (issue.code === 'unrecognized_keys') {
        return issue.keys.map((key) => ({ path: inputPath([...path, key].join('.')), message: 'Unknown field' }))
      }
      return [{ path: inputPath(path.join('.')), message: issue.message }]
    }),
  )
}

/** Services name REST body fields in their errors; a GraphQL caller sees its own field names. */
export async function withInputPaths<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn()
  } catch (error) {
    if (!(error instanceof AppError) || !error.errors.length) throw error
    throw new AppError(
      error.code,
      error.detail,
      error.errors.map((e) => ({ path: e.path.startsWith('body') ? inputPath(e.path) : e.path, message: e.message })),
    )
  }
}
