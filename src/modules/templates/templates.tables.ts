import { integer, jsonb, pgTable, primaryKey, text, uniqueIndex } from 'drizzle-orm/pg-core'
import { tenantIsolation, timestamps } from '../../db/columns.js'
import { CHANNELS } from '../engine/scenario-definition.js'

/**
 * A tenant's own wording for one template key on one channel in one language; it takes precedence
 * over the built-in one. Saving again replaces the fields and bumps `version`, which dispatches
 * record so the evidence file says which wording went out.
 */
export const templates = pgTable(
  'templates',
  {
    tenantId: text('tenant_id').notNull(),
    templateId: text('template_id').notNull(),
    key: text('key').notNull(),
    channel: text('channel', { enum: CHANNELS }).notNull(),
    language: text('language').notNull(),
    fields: jsonb('fields').$type<Record<string, string>>().notNull(),
    version: integer('version').notNull().default(1),
    ...timestamps,
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.templateId] }),
    uniqueIndex('templates_tenant_key_channel_language_key').on(t.tenantId, t.key, t.channel, t.language),
    tenantIsolation('templates'),
  ],
)
