import type { Tx } from '../../db/client.js'
import { AppError } from '../../shared/errors.js'
import type { Channel } from '../engine/scenario-definition.js'
import { BUILTIN_LANGUAGES, findBuiltin } from './builtin/index.js'
import { renderTemplate, TemplateRenderError } from './liquid.js'
import type { RenderContext } from './render-context.types.js'
import { isHtmlField, TEMPLATE_FIELDS, type TemplateFields } from './template-fields.js'
import { findTenantTemplates, type TemplateAddress, type TemplateRow } from './templates.repository.js'

export interface ResolvedTemplate {
  key: string
  channel: Channel
  /** The language actually used, which differs from the one asked for after a fallback. */
  language: string
  source: 'tenant' | 'builtin'
  templateId: string | null
  version: number | null
  fields: TemplateFields
}

/** What a dispatch sends; which fields are set depends on the channel (see TEMPLATE_FIELDS). */
export interface RenderedMessage {
  template: Omit<ResolvedTemplate, 'fields'>
  subject?: string
  html?: string
  text?: string
  /** Letter channels: paragraphs separated by blank lines, `[[invoice_table]]` where the table goes. */
  body?: string
  script?: string
}

/** Where tenant templates come from: a transaction, or rows a batch fetched beforehand (the dispatch loop). */
export type TemplateLookup = (tenantId: string, key: string, channel: Channel, languages: string[]) => Promise<TemplateRow[]>
export type TemplateSource = Tx | TemplateLookup

/** Languages tried in order: the debtor's, then English (most widely read abroad), then French. */
export function fallbackLanguages(language: string): string[] {
  return [...new Set([language, 'en', 'fr'])]
}

/**
 * Tenant override in the debtor's language → built-in in that language → the same two steps in
 * English, then French. A tenant's English override thus beats the built-in English text for a
 * German debtor, and a tenant never loses a message for lack of a translation.
 */
export async function resolveTemplate(source: TemplateSource, tenantId: string, address: TemplateAddress): Promise<ResolvedTemplate> {
  const languages = fallbackLanguages(address.language)
  const overrides =
    typeof source === 'function' ? await source(tenantId, address.key, address.channel, languages) : await findTenantTemplates(source, tenantId, address.key, address.channel, languages)
  for (const language of languages) {
    const own = overrides.find((row) => row.language === language)
    if (own) {
      return { key: own.key, channel: own.channel, language, source: 'tenant', templateId: own.templateId, version: own.version, fields: own.fields }
    }
    const builtin = (BUILTIN_LANGUAGES as readonly string[]).includes(language) && findBuiltin(address.key, address.channel, language)
    if (builtin) {
      return { key: builtin.key, channel: builtin.channel, language, source: 'builtin', templateId: null, version: null, fields: builtin.fields }
    }
  }
  throw new AppError(
    'unprocessable',
    `No template "${address.key}" for channel ${address.channel} in ${languages.join(', ')}: create one with POST /v1/templates.`,
  )
}

/** Blank lines collapsed, trailing spaces dropped: Liquid tags leave both behind in plain text. */
function tidyText(text: string): string {
  return text
    .replace(/[ \t]+$/gm, '')
    .replace(/\n{3,}/g, '\n\n')
    .trim()
}

/** Renders each field of a channel; the subject is one line. Throws TemplateRenderError naming the field. */
export function renderFields(channel: Channel, fields: TemplateFields, context: RenderContext): Record<string, string> {
  const out: Record<string, string> = {}
  for (const field of TEMPLATE_FIELDS[channel]) {
    const source = fields[field] ?? ''
    try {
      const rendered = renderTemplate(source, isHtmlField(field) ? 'html' : 'plain', context)
      out[field] = field === 'subject' ? rendered.replace(/\s+/g, ' ').trim() : isHtmlField(field) ? rendered.trim() : tidyText(rendered)
    } catch (error) {
      if (error instanceof TemplateRenderError) throw new TemplateRenderError(`${field}: ${error.message}`)
      throw error
    }
  }
  return out
}

/** The one call the dispatch loop makes: resolve the template, render it with the context. */
export async function renderMessage(
  tx: TemplateSource,
  tenantId: string,
  address: TemplateAddress,
  context: RenderContext,
): Promise<RenderedMessage> {
  const { fields, ...template } = await resolveTemplate(tx, tenantId, address)
  let rendered: Record<string, string>
  try {
    // The context keeps the debtor's locale for numbers and dates even when the wording fell back.
    rendered = renderFields(address.channel, fields, context)
  } catch (error) {
    if (error instanceof TemplateRenderError) {
      throw new AppError('unprocessable', `Template "${address.key}" (${address.channel}, ${template.language}) failed to render: ${error.message}`)
    }
    throw error
  }
  return { template, ...rendered }
}
