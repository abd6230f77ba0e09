import { z } from 'zod'

/** Free key/value pairs on every object, bounded so nobody stores a document in them. */
export const metadataSchema = z
  .record(z.string().min(1).max(40), z.string().max(500))
  .refine((m) => Object.keys(m).length <= 50, 'At most 50 keys')
  .describe('Your own key/value pairs: up to 50 keys of 40 characters, values up to 500 characters')

export const externalRefSchema = z
  .string()
  .min(1)
  .max(255)
  .describe('Your own id for this object, unique per tenant')

export const timestampSchema = z.string().describe('RFC 3339 UTC timestamp')

export function listQuerySchema<T extends z.ZodRawShape>(filters: T) {
  return z.strictObject({
    limit: z.coerce.number().int().min(1).max(100).default(20).describe('Page size, 1 to 100'),
    starting_after: z.string().max(64).optional().describe('Id of the last object of the previous page'),
    ...filters,
  })
}

export function listSchema<T extends z.ZodType>(item: T) {
  return z.object({ object: z.literal('list'), data: z.array(item), has_more: z.boolean() })
}

export const idParamsSchema = z.strictObject({ id: z.string().min(1).max(64) })

export const ifMatchHeadersSchema = z.object({
  'if-match': z.string().max(200).optional().describe('ETag from a previous read; the change fails with 412 if the object changed since'),
})

export const iso = (d: Date | null) => (d ? d.toISOString() : null)

/** Fetches one more than asked so `has_more` needs no count query. */
export function page<T>(rows: T[], limit: number) {
  return { object: 'list' as const, data: rows.slice(0, limit), has_more: rows.length > limit }
}
