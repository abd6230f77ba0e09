import type { z } from 'zod'
import type { Tx } from '../../db/client.js'
import type { Principal } from '../../platform/auth.js'
import type { FieldError } from '../../shared/errors.js'

export type BulkKindName = 'debtors' | 'invoices' | 'payments'
export type LineStatus = 'created' | 'updated' | 'unchanged' | 'rejected'

export interface LineResult {
  line: number
  external_ref: string | null
  status: LineStatus
  id?: string
  errors?: FieldError[]
}

/** A line that passed the schema: `ref` is its external_ref, the upsert key. */
export interface ValidLine<T> {
  line: number
  ref: string
  input: T
}

export interface BulkContext {
  tenantId: string
  principal: Principal
}

/**
 * What differs between debtors, invoices and payments: the schema of one line (the same as the
 * single-object POST) and how a chunk of valid lines, with distinct external_refs, is stored.
 */
export interface BulkKind<T> {
  name: BulkKindName
  schema: z.ZodType<T>
  store(tx: Tx, ctx: BulkContext, lines: ValidLine<T>[]): Promise<LineResult[]>
}

export const rejected = (line: number, ref: string | null, errors: FieldError[]): LineResult => ({
  line,
  external_ref: ref,
  status: 'rejected',
  errors,
})

/** Lets a long synchronous loop give the event loop back, so other imports' queries are not held up. */
export const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve))
