import { z } from 'zod'
import { externalRefSchema, listQuerySchema, listSchema, metadataSchema, timestampSchema } from '../../platform/api-schemas.js'

export const apiKeySchema = z
  .object({
    object: z.literal('api_key'),
    id: z.string().describe('key_…'),
    name: z.string(),
    prefix: z.string().describe('The first characters of the key, to recognise it'),
    secret: z.string().optional().describe('The key itself: returned once, at creation, never again'),
    mode: z.enum(['live', 'sandbox']),
    expires_at: timestampSchema.nullable(),
    revoked_at: timestampSchema.nullable(),
    external_ref: z.string().nullable(),
    metadata: z.record(z.string(), z.string()),
    created_at: timestampSchema,
    updated_at: timestampSchema,
  })
  .meta({ id: 'ApiKey' })

export const createApiKeyBody = z
  .strictObject({
    name: z.string().trim().min(1).max(200).describe('What the key is for, e.g. "ERP production"'),
    expires_at: z.iso.datetime({ offset: true }).optional().describe('When the key stops working (RFC 3339)'),
    external_ref: externalRefSchema.optional(),
    metadata: metadataSchema.optional(),
  })
  .meta({ id: 'CreateApiKey' })

export const listApiKeysQuery = listQuerySchema({
  include_revoked: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true')
    .describe('Include revoked keys'),
})
export const apiKeyListSchema = listSchema(apiKeySchema)

export type ApiKeyDto = z.infer<typeof apiKeySchema>
export type CreateApiKeyInput = z.infer<typeof createApiKeyBody>
export type ListApiKeysQuery = z.infer<typeof listApiKeysQuery>
