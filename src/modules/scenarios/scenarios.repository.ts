import { and, desc, eq, isNotNull, isNull, lt, or, sql, type SQL } from 'drizzle-orm'
import type { Tx } from '../../db/client.js'
import type { ScenarioDefinition } from '../engine/scenario-definition.js'
import { scenarios, scenarioVersions } from './scenarios.tables.js'

export type ScenarioRow = typeof scenarios.$inferSelect
export type ScenarioInsert = typeof scenarios.$inferInsert
export type ScenarioChanges = Partial<Pick<ScenarioInsert, 'name' | 'description' | 'language' | 'currentVersion' | 'isDefault' | 'archivedAt' | 'externalRef' | 'metadata'>>

/** A scenario with the definition of its current version. */
export interface CurrentScenario {
  scenario: ScenarioRow
  definition: ScenarioDefinition
}

function selectCurrent(tx: Tx) {
  return tx
    .select({ scenario: scenarios, definition: scenarioVersions.definition })
    .from(scenarios)
    .innerJoin(
      scenarioVersions,
      and(
        eq(scenarioVersions.tenantId, scenarios.tenantId),
        eq(scenarioVersions.scenarioId, scenarios.scenarioId),
        eq(scenarioVersions.version, scenarios.currentVersion),
      ),
    )
}

export async function findScenario(
  tx: Tx,
  tenantId: string,
  scenarioId: string,
  lock?: 'update' | 'share',
): Promise<CurrentScenario | undefined> {
  const query = selectCurrent(tx).where(and(eq(scenarios.tenantId, tenantId), eq(scenarios.scenarioId, scenarioId)))
  const [row] = lock ? await query.for(lock, { of: scenarios }) : await query
  return row
}

export interface ScenarioFilter {
  limit: number
  startingAfter?: string
  language?: string
  isDefault?: boolean
  archived?: boolean
  externalRef?: string
}

/** Newest first: ids are time-ordered, so the id is the cursor. */
export async function listScenarios(tx: Tx, tenantId: string, filter: ScenarioFilter): Promise<CurrentScenario[]> {
  const where: SQL[] = [eq(scenarios.tenantId, tenantId)]
  if (filter.startingAfter) where.push(lt(scenarios.scenarioId, filter.startingAfter))
  if (filter.language) where.push(eq(scenarios.language, filter.language))
  if (filter.isDefault !== undefined) where.push(eq(scenarios.isDefault, filter.isDefault))
  if (filter.archived !== undefined) where.push(filter.archived ? isNotNull(scenarios.archivedAt) : isNull(scenarios.archivedAt))
  if (filter.externalRef) where.push(eq(scenarios.externalRef, filter.externalRef))
  return selectCurrent(tx)
    .where(and(...where))
    .orderBy(desc(scenarios.scenarioId))
    .limit(filter.limit + 1)
}

/** The active scenarios among `ids`, plus the tenant default: one statement for any number of ids. */
export async function findAssignable(tx: Tx, tenantId: string, ids: string[]): Promise<CurrentScenario[]> {
  // One array parameter rather than one per id: a large batch stays one short statement.
  const named = ids.length
    ? or(eq(scenarios.isDefault, true), sql`${scenarios.scenarioId} = any(${sql.param(ids)}::text[])`)
    : eq(scenarios.isDefault, true)
  return selectCurrent(tx).where(and(eq(scenarios.tenantId, tenantId), isNull(scenarios.archivedAt), named))
}

/** Inserts scenarios with their version 1, two statements for any number. */
export async function insertScenarios(tx: Tx, items: { row: ScenarioInsert; definition: ScenarioDefinition }[]): Promise<CurrentScenario[]> {
  if (!items.length) return []
  const rows = await tx
    .insert(scenarios)
    .values(items.map((i) => ({ ...i.row, currentVersion: 1 })))
    .returning()
  await tx.insert(scenarioVersions).values(
    items.map((i) => ({ tenantId: i.row.tenantId, scenarioId: i.row.scenarioId, version: 1, definition: i.definition })),
  )
  return rows.map((scenario, n) => ({ scenario, definition: items[n]!.definition }))
}

export async function insertVersion(tx: Tx, tenantId: string, scenarioId: string, version: number, definition: ScenarioDefinition) {
  await tx.insert(scenarioVersions).values({ tenantId, scenarioId, version, definition })
}

export async function updateScenario(tx: Tx, tenantId: string, scenarioId: string, changes: ScenarioChanges): Promise<ScenarioRow> {
  const [row] = await tx
    .update(scenarios)
    .set({ ...changes, updatedAt: new Date() })
    .where(and(eq(scenarios.tenantId, tenantId), eq(scenarios.scenarioId, scenarioId)))
    .returning()
  return row!
}

/** The previous default stops being it; its updated_at moves as its API shape changed. */
export async function clearDefault(tx: Tx, tenantId: string): Promise<void> {
  await tx
    .update(scenarios)
    .set({ isDefault: false, updatedAt: new Date() })
    .where(and(eq(scenarios.tenantId, tenantId), eq(scenarios.isDefault, true)))
}

/**
 * Serialises, per tenant, the writes that move the default or seed the shipped scenarios: two of
 * them at once would otherwise both see "no default" and collide on the one-default index.
 */
export async function lockTenantScenarios(tx: Tx, tenantId: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`relance.scenarios:${tenantId}`}, 0))`)
}

/** The tenant's seeded scenarios and its default, to decide what seeding still has to do. */
export async function findPresetsAndDefault(tx: Tx, tenantId: string): Promise<CurrentScenario[]> {
  return selectCurrent(tx).where(and(eq(scenarios.tenantId, tenantId), or(isNotNull(scenarios.preset), eq(scenarios.isDefault, true))))
}
