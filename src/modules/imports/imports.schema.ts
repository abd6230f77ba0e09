import { z } from 'zod'
import { listQuerySchema, listSchema, timestampSchema } from '../../platform/api-schemas.js'

const fieldErrorSchema = z.object({ path: z.string(), message: z.string() })
const kindSchema = z.enum(['debtors', 'invoices', 'payments'])
const importStatusSchema = z.enum(['queued', 'running', 'succeeded', 'failed'])

export const lineResultSchema = z.object({
  line: z.number().int().describe('1-based line of the file (element of the array)'),
  external_ref: z.string().nullable(),
  status: z.enum(['created', 'updated', 'unchanged', 'rejected']),
  id: z.string().optional(),
  errors: z.array(fieldErrorSchema).optional().describe('Paths are relative to the line; `line` is the line as a whole'),
})

const counts = {
  created: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int(),
  rejected: z.number().int(),
}

export const bulkResultSchema = z
  .object({
    object: z.literal('bulk_result'),
    ...counts,
    results_include: z.enum(['all', 'rejected']).describe('`all` up to 1,000 lines, beyond that only the rejected lines are listed'),
    results: z.array(lineResultSchema),
  })
  .meta({ id: 'BulkResult' })

export const importSchema = z
  .object({
    object: z.literal('import'),
    id: z.string().describe('imp_…'),
    kind: kindSchema,
    status: importStatusSchema,
    lines_total: z.number().int().describe('Lines received so far; final once the upload is complete'),
    lines_done: z.number().int(),
    ...counts,
    errors: z
      .array(z.object({ line: z.number().int(), external_ref: z.string().nullable(), errors: z.array(fieldErrorSchema) }))
      .describe('The first 100 rejected lines; line 0 says why a failed import stopped'),
    created_at: timestampSchema,
    updated_at: timestampSchema,
    finished_at: timestampSchema.nullable(),
  })
  .meta({ id: 'Import' })

export const listImportsQuery = listQuerySchema({ kind: kindSchema.optional(), status: importStatusSchema.optional() })
export const importListSchema = listSchema(importSchema)

export const bulkHeadersSchema = z.object({
  prefer: z.string().max(200).optional().describe('`respond-async`: run as an import job whatever the size'),
})

export type BulkResultDto = z.infer<typeof bulkResultSchema>
export type ImportDto = z.infer<typeof importSchema>
export type ListImportsQuery = z.infer<typeof listImportsQuery>
