import type { Channel } from '../engine/scenario-definition.js'

/**
 * The fields a template has on each channel. Only `html` is HTML: its variables are escaped; the
 * others are plain text. Letter-shaped channels render `body` into the letter PDF, one paragraph
 * per blank-line-separated block, and `{{ invoice_table }}` on its own paragraph places the table.
 */
export const TEMPLATE_FIELDS = {
  email: ['subject', 'html', 'text'],
  sms: ['text'],
  letter: ['subject', 'body'],
  registered_letter: ['subject', 'body'],
  registered_email: ['subject', 'body'],
  call_task: ['script'],
  litigation_handoff: ['subject', 'body'],
} as const satisfies Record<Channel, readonly string[]>

export type TemplateFields = Record<string, string>

export const isHtmlField = (field: string) => field === 'html'

/** Channels whose `body` becomes a letter PDF: `{{ invoice_table }}` expands to this marker there. */
export const LETTER_CHANNELS: readonly Channel[] = ['letter', 'registered_letter', 'registered_email', 'litigation_handoff']
export const INVOICE_TABLE_MARKER = '[[invoice_table]]'

export interface BuiltinTemplate {
  key: string
  channel: Channel
  language: 'fr' | 'en'
  fields: TemplateFields
}
