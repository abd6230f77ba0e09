import type { Tx } from '../../db/client.js'
import { iso, page } from '../../platform/api-schemas.js'
import { requireTenant, type Principal } from '../../platform/auth.js'
import { todayUtc } from '../../shared/dates.js'
import { AppError, notFound, type FieldError } from '../../shared/errors.js'
import { newId } from '../../shared/ids.js'
import { tenantNow } from '../test-clocks/test-clocks.service.js'
import { loadRateTables, tenantLaw } from '../law/governing-law.js'
import type { Channel } from '../engine/scenario-definition.js'
import { parseTemplate, TemplateRenderError, TemplateSyntaxError } from './liquid.js'
import { buildRenderContext } from './render-context.js'
import { renderInputFromData, type RenderData } from './render-data.schema.js'
import { renderFields, resolveTemplate } from './render-message.js'
import { isHtmlField, TEMPLATE_FIELDS, type TemplateFields } from './template-fields.js'
import * as repo from './templates.repository.js'
import type { ListTemplatesQuery, PreviewTemplateInput, TemplateDto, TemplatePreview, UpsertTemplateInput } from './templates.schema.js'

export function toTemplateDto(row: repo.TemplateRow): TemplateDto {
  return {
    object: 'template',
    id: row.templateId,
    key: row.key,
    channel: row.channel,
    language: row.language,
    fields: row.fields,
    version: row.version,
    created_at: iso(row.createdAt)!,
    updated_at: iso(row.updatedAt)!,
  }
}

/**
 * Refuses a template that could not send: a field the channel lacks or misses, Liquid that does
 * not parse, or that fails on sample data (a filter given a wrong argument). Each error names
 * its field, so an editor can point at it.
 */
export function templateFieldErrors(channel: Channel, fields: TemplateFields, language: string): FieldError[] {
  const expected: readonly string[] = TEMPLATE_FIELDS[channel]
  const errors: FieldError[] = []
  for (const field of Object.keys(fields)) {
    if (!expected.includes(field)) errors.push({ path: `body.fields.${field}`, message: `Not a field of ${channel} templates (${expected.join(', ')})` })
  }
  for (const field of expected) {
    const source = fields[field]
    if (source === undefined || source.trim() === '') {
      errors.push({ path: `body.fields.${field}`, message: `Required for ${channel} templates` })
      continue
    }
    try {
      parseTemplate(source, isHtmlField(field) ? 'html' : 'plain')
    } catch (error) {
      if (!(error instanceof TemplateSyntaxError)) throw error
      errors.push({ path: `body.fields.${field}`, message: `Liquid syntax error: ${error.message}` })
    }
  }
  if (errors.length) return errors
  try {
    // The sample data is a French supplier's; no amount is computed for a check.
    renderFields(channel, fields, buildRenderContext(renderInputFromData({}, channel, language, todayUtc(), { country: 'FR', tables: null })))
  } catch (error) {
    if (!(error instanceof TemplateRenderError)) throw error
    const field = error.message.split(':')[0]!
    errors.push({ path: `body.fields.${field}`, message: `Fails to render with sample data: ${error.message.slice(field.length + 2)}` })
  }
  return errors
}

function assertValid(channel: Channel, fields: TemplateFields, language: string): void {
  const errors = templateFieldErrors(channel, fields, language)
  if (errors.length) throw new AppError('validation_failed', `The ${channel} template is not valid: ${errors[0]!.message}`, errors)
}

/** Creates the tenant's template at (key, channel, language), or replaces its fields and bumps its version. */
export async function upsertTemplate(tx: Tx, principal: Principal, input: UpsertTemplateInput): Promise<TemplateDto> {
  const tenantId = requireTenant(principal)
  assertValid(input.channel, input.fields, input.language)
  const { row } = await repo.upsertTemplate(tx, { tenantId, templateId: newId('template'), ...input })
  return toTemplateDto(row)
}

export async function getTemplate(tx: Tx, principal: Principal, templateId: string): Promise<TemplateDto> {
  const row = await repo.findTemplate(tx, requireTenant(principal), templateId)
  if (!row) throw notFound('template', templateId)
  return toTemplateDto(row)
}

export async function listTemplates(tx: Tx, principal: Principal, query: ListTemplatesQuery) {
  const rows = await repo.listTemplates(tx, requireTenant(principal), {
    limit: query.limit,
    startingAfter: query.starting_after,
    key: query.key,
    channel: query.channel,
    language: query.language,
  })
  return page(rows.map(toTemplateDto), query.limit)
}

/** Removes the override; the built-in template applies again. */
export async function deleteTemplate(tx: Tx, principal: Principal, templateId: string) {
  const row = await repo.deleteTemplate(tx, requireTenant(principal), templateId)
  if (!row) throw notFound('template', templateId)
  return { object: 'template' as const, id: row.templateId, deleted: true as const }
}

/** Renders a draft, or what a dispatch would use, with the given data completed by sample data. */
export async function previewTemplate(tx: Tx, principal: Principal, input: PreviewTemplateInput): Promise<TemplatePreview> {
  const tenantId = requireTenant(principal)
  const today = todayUtc(await tenantNow(tx, tenantId))
  let fields: TemplateFields
  let meta: Pick<TemplatePreview, 'language' | 'source' | 'version'>
  if (input.fields) {
    assertValid(input.channel, input.fields, input.language)
    fields = input.fields
    meta = { language: input.language, source: 'draft', version: null }
  } else {
    const resolved = await resolveTemplate(tx, tenantId, input)
    fields = resolved.fields
    meta = { language: resolved.language, source: resolved.source, version: resolved.version }
  }
  // Amounts under the tenant's country law, as its dispatches would show them.
  const { country, law } = await tenantLaw(tx, tenantId)
  const tables = law ? await loadRateTables(tx, law) : null
  const context = buildRenderContext(renderInputFromData(input.data ?? ({} as RenderData), input.channel, input.language, today, { country, tables }))
  try {
    const rendered = renderFields(input.channel, fields, context)
    return { object: 'template_preview', key: input.key, channel: input.channel, ...meta, rendered, variables: { ...context } }
  } catch (error) {
    if (!(error instanceof TemplateRenderError)) throw error
    throw new AppError('unprocessable', `The template fails to render with this data: ${error.message}`)
  }
}
