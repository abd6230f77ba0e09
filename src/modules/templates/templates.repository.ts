import { and, desc, eq, lt, sql, type SQL } from 'drizzle-orm'
import type { Tx } from '../../db/client.js'
import type { Channel } from '../engine/scenario-definition.js'
import { templates } from './templates.tables.js'

export type TemplateRow = typeof templates.$inferSelect

export interface TemplateAddress {
  key: string
  channel: Channel
  language: string
}

/** Inserts, or replaces the fields of the tenant's template at the same address and bumps its version. */
export async function upsertTemplate(
  tx: Tx,
  row: { tenantId: string; templateId: string; fields: Record<string, string> } & TemplateAddress,
): Promise<{ row: TemplateRow; created: boolean }> {
  const [saved] = await tx
    .insert(templates)
    .values(row)
    .onConflictDoUpdate({
      target: [templates.tenantId, templates.key, templates.channel, templates.language],
      set: { fields: row.fields, version: sql`${templates.version} + 1`, updatedAt: sql`now()` },
    })
    .returning()
  return { row: saved!, created: saved!.templateId === row.templateId }
}

export async function findTemplate(tx: Tx, tenantId: string, templateId: string): Promise<TemplateRow | undefined> {
  const [row] = await tx
    .select()
    .from(templates)
    .where(and(eq(templates.tenantId, tenantId), eq(templates.templateId, templateId)))
  return row
}

/** The tenant's templates for a key and channel in any of `languages` (the resolution order is the caller's). */
export async function findTenantTemplates(tx: Tx, tenantId: string, key: string, channel: Channel, languages: string[]): Promise<TemplateRow[]> {
  return tx
    .select()
    .from(templates)
    .where(
      and(
        eq(templates.tenantId, tenantId),
        eq(templates.key, key),
        eq(templates.channel, channel),
        sql`${templates.language} = any(${sql.param(languages)}::text[])`,
      ),
    )
}

export interface TemplateFilter {
  limit: number
  startingAfter?: string
  key?: string
  channel?: Channel
  language?: string
}

export async function listTemplates(tx: Tx, tenantId: string, filter: TemplateFilter): Promise<TemplateRow[]> {
  const where: SQL[] = [eq(templates.tenantId, tenantId)]
  if (filter.startingAfter) where.push(lt(templates.templateId, filter.startingAfter))
  if (filter.key) where.push(eq(templates.key, filter.key))
  if (filter.channel) where.push(eq(templates.channel, filter.channel))
  if (filter.language) where.push(eq(templates.language, filter.language))
  return tx
    .select()
    .from(templates)
    .where(and(...where))
    .orderBy(desc(templates.templateId))
    .limit(filter.limit + 1)
}

export async function deleteTemplate(tx: Tx, tenantId: string, templateId: string): Promise<TemplateRow | undefined> {
  const [row] = await tx
    .delete(templates)
    .where(and(eq(templates.tenantId, tenantId), eq(templates.templateId, templateId)))
    .returning()
  return row
}
