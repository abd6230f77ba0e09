import type { z } from 'zod'
import { findNul } from '../../platform/nul-guard.js'
import type { FieldError } from '../../shared/errors.js'
import type { RawLine } from './bulk-lines.js'
import { rejected, yieldToEventLoop, type LineResult, type ValidLine } from './bulk-types.js'

/** Paths are relative to the line (`amount_total`, `address.city`); `line` is the line as a whole. */
export function issueErrors(issues: readonly z.core.$ZodIssue[]): FieldError[] {
  return issues.flatMap((issue) => {
    const base = issue.path.map(String).join('.')
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ path: base ? `${base}.${key}` : key, message: 'Unknown field' }))
    }
    return [{ path: base || 'line', message: issue.message }]
  })
}

function refOf(value: unknown): string | null {
  if (typeof value !== 'object' || value === null) return null
  const ref = (value as { external_ref?: unknown }).external_ref
  return typeof ref === 'string' ? ref : null
}

/** Checks one line with the single-object schema, plus the external_ref that bulk requires. */
export function validateLine<T extends { external_ref?: string }>(schema: z.ZodType<T>, raw: RawLine): ValidLine<T> | LineResult {
  if ('error' in raw) return rejected(raw.line, null, [raw.error])
  const ref = refOf(raw.value)
  const parsed = schema.safeParse(raw.value)
  const errors = parsed.success ? [] : issueErrors(parsed.error.issues)
  if (typeof raw.value === 'object' && raw.value !== null && !Array.isArray(raw.value) && !ref && !errors.some((e) => e.path === 'external_ref')) {
    errors.push({ path: 'external_ref', message: 'Required in bulk: it is the key lines are matched on' })
  }
  // Streamed NDJSON lines never pass the request's NUL guard: the same check, per line.
  const unstorable = parsed.success ? findNul(parsed.data, '') : null
  if (unstorable) errors.push({ path: unstorable.slice(1) || 'line', message: 'Text may not hold U+0000 nor an unpaired UTF-16 surrogate' })
  if (!parsed.success || errors.length) return rejected(raw.line, ref, errors)
  return { line: raw.line, ref: parsed.data.external_ref!, input: parsed.data }
}

export interface ValidatedChunk<T> {
  valid: ValidLine<T>[]
  rejected: LineResult[]
  lastLine: number
}

/** Validates a chunk, giving the event loop back every few hundred lines (other imports wait on it). */
export async function validateChunk<T extends { external_ref?: string }>(schema: z.ZodType<T>, raw: RawLine[]): Promise<ValidatedChunk<T>> {
  const out: ValidatedChunk<T> = { valid: [], rejected: [], lastLine: 0 }
  for (const [i, line] of raw.entries()) {
    if (i % 250 === 249) await yieldToEventLoop()
    const result = validateLine(schema, line)
    if ('status' in result) out.rejected.push(result)
    else out.valid.push(result)
    out.lastLine = Math.max(out.lastLine, line.line)
  }
  return out
}

/**
 * The same external_ref twice in one chunk cannot go in one upsert (PostgreSQL refuses to touch a
 * row twice in a statement), so the n-th occurrences go in round n: the outcome is the same as
 * applying the lines one by one, wherever the chunk boundaries fall.
 */
export function rounds<T>(lines: ValidLine<T>[]): ValidLine<T>[][] {
  const seen = new Map<string, number>()
  const out: ValidLine<T>[][] = []
  for (const line of lines) {
    const n = seen.get(line.ref) ?? 0
    seen.set(line.ref, n + 1)
    ;(out[n] ??= []).push(line)
  }
  return out
}
