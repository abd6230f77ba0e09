import { z } from 'zod'
import { listQuerySchema, listSchema, timestampSchema } from '../../platform/api-schemas.js'
import { isIso639Language } from '../debtors/languages.js'
import { CHANNELS } from '../engine/scenario-definition.js'
import { renderDataSchema } from './render-data.schema.js'

export const templateKeySchema = z
  .string()
  .regex(/^[a-z0-9_]{1,100}$/, 'lowercase letters, digits and _')
  .describe('The key scenario steps name, e.g. reminder_first, formal_notice')
export const templateLanguageSchema = z.string().refine(isIso639Language, 'An ISO 639-1 code such as fr or en').describe('ISO 639-1')

const fieldsSchema = z
  .record(z.string().max(20), z.string().max(100_000))
  .describe(
    'Liquid source per field. email: subject, html, text; sms: text; letter, registered_letter, registered_email, ' +
      'litigation_handoff: subject, body; call_task: script. Variables and filters: docs/templates.md',
  )

export const templateSchema = z
  .object({
    object: z.literal('template'),
    id: z.string().describe('tpl_…'),
    key: z.string(),
    channel: z.enum(CHANNELS),
    language: z.string(),
    fields: z.record(z.string(), z.string()),
    version: z.number().int().describe('Starts at 1; each save bumps it'),
    created_at: timestampSchema,
    updated_at: timestampSchema,
  })
  .meta({ id: 'Template' })

export const upsertTemplateBody = z
  .strictObject({ key: templateKeySchema, channel: z.enum(CHANNELS), language: templateLanguageSchema, fields: fieldsSchema })
  .meta({ id: 'UpsertTemplate' })

export const listTemplatesQuery = listQuerySchema({
  key: z.string().max(100).optional(),
  channel: z.enum(CHANNELS).optional(),
  language: z.string().max(8).optional(),
})
export const templateListSchema = listSchema(templateSchema)

export const deletedTemplateSchema = z
  .object({ object: z.literal('template'), id: z.string(), deleted: z.literal(true) })
  .meta({ id: 'DeletedTemplate' })

export const previewTemplateBody = z
  .strictObject({
    key: templateKeySchema,
    channel: z.enum(CHANNELS),
    language: templateLanguageSchema,
    fields: fieldsSchema.optional().describe('A draft to render instead of the saved or built-in template'),
    data: renderDataSchema.optional().describe('Message data; sample data fills whatever is left out'),
  })
  .meta({ id: 'PreviewTemplate' })

export const templatePreviewSchema = z
  .object({
    object: z.literal('template_preview'),
    key: z.string(),
    channel: z.enum(CHANNELS),
    language: z.string().describe('The language used, after any fallback'),
    source: z.enum(['draft', 'tenant', 'builtin']),
    version: z.number().int().nullable(),
    rendered: z.record(z.string(), z.string()),
    variables: z.record(z.string(), z.unknown()).describe('The render context the template saw'),
  })
  .meta({ id: 'TemplatePreview' })

export type TemplateDto = z.infer<typeof templateSchema>
export type UpsertTemplateInput = z.infer<typeof upsertTemplateBody>
export type ListTemplatesQuery = z.infer<typeof listTemplatesQuery>
export type PreviewTemplateInput = z.infer<typeof previewTemplateBody>
export type TemplatePreview = z.infer<typeof templatePreviewSchema>
