import { and, desc, eq, lt, sql, type SQL } from 'drizzle-orm'
import type { Tx } from '../../db/client.js'
import { scenarioVersions } from './scenarios.tables.js'

export type VersionRow = typeof scenarioVersions.$inferSelect

/** Newest version first; the version number is the cursor. */
export async function listVersions(
  tx: Tx,
  tenantId: string,
  scenarioId: string,
  page: { limit: number; startingAfter?: number },
): Promise<VersionRow[]> {
  const where: SQL[] = [eq(scenarioVersions.tenantId, tenantId), eq(scenarioVersions.scenarioId, scenarioId)]
  if (page.startingAfter !== undefined) where.push(lt(scenarioVersions.version, page.startingAfter))
  return tx
    .select()
    .from(scenarioVersions)
    .where(and(...where))
    .orderBy(desc(scenarioVersions.version))
    .limit(page.limit + 1)
}

export async function findVersion(tx: Tx, tenantId: string, scenarioId: string, version: number): Promise<VersionRow | undefined> {
  const [row] = await tx
    .select()
    .from(scenarioVersions)
    .where(and(eq(scenarioVersions.tenantId, tenantId), eq(scenarioVersions.scenarioId, scenarioId), eq(scenarioVersions.version, version)))
  return row
}

export interface VersionRef {
  tenantId: string
  scenarioId: string
  version: number
}

/**
 * The versions running cases are on, across tenants (the engine works in a system transaction):
 * one statement for any number of references.
 */
export async function findVersions(tx: Tx, refs: readonly VersionRef[]): Promise<VersionRow[]> {
  if (!refs.length) return []
  const tenants = sql.param(refs.map((r) => r.tenantId))
  const ids = sql.param(refs.map((r) => r.scenarioId))
  const versions = sql.param(refs.map((r) => r.version))
  return tx
    .select()
    .from(scenarioVersions)
    .where(
      sql`(${scenarioVersions.tenantId}, ${scenarioVersions.scenarioId}, ${scenarioVersions.version}) in
        (select * from unnest(${tenants}::text[], ${ids}::text[], ${versions}::int[]))`,
    )
}
