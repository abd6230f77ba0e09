import { sql } from 'drizzle-orm'
import type { Tx } from '../../db/client.js'

/**
 * Which of `ids` are active scenarios of this tenant: bulk lines naming any other (archived,
 * unknown, another tenant's) are rejected, as the single-object routes refuse them.
 */
export async function activeScenarioIds(tx: Tx, tenantId: string, ids: (string | null | undefined)[]): Promise<Set<string>> {
  const named = [...new Set(ids.filter((id): id is string => Boolean(id)))]
  if (!named.length) return new Set()
  const found = await tx.execute<{ scenario_id: string }>(
    sql`select scenario_id from scenarios where tenant_id = ${tenantId} and archived_at is null and scenario_id = any(${sql.param(named)}::text[])`,
  )
  return new Set(found.rows.map((r) => r.scenario_id))
}
