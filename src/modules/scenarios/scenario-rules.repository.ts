import { and, asc, eq, sql, type SQL } from 'drizzle-orm'
import type { Tx } from '../../db/client.js'
import { scenarioAssignmentRules as rules } from './scenarios.tables.js'

export type RuleRow = typeof rules.$inferSelect
export type RuleInsert = typeof rules.$inferInsert
export type RuleChanges = Partial<Pick<RuleInsert, 'priority' | 'scenarioId' | 'conditions' | 'externalRef' | 'metadata'>>

export async function insertRule(tx: Tx, row: RuleInsert): Promise<RuleRow> {
  const [created] = await tx.insert(rules).values(row).returning()
  return created!
}

export async function findRule(tx: Tx, tenantId: string, ruleId: string, forUpdate = false): Promise<RuleRow | undefined> {
  const query = tx
    .select()
    .from(rules)
    .where(and(eq(rules.tenantId, tenantId), eq(rules.ruleId, ruleId)))
  const [row] = forUpdate ? await query.for('update') : await query
  return row
}

/**
 * In evaluation order (priority, then creation). The cursor is a rule id: the page goes on after
 * that rule's place in the order, so a cursor whose rule was deleted since ends the list.
 */
export async function listRules(
  tx: Tx,
  tenantId: string,
  filter: { limit: number; startingAfter?: string; scenarioId?: string },
): Promise<RuleRow[]> {
  const where: SQL[] = [eq(rules.tenantId, tenantId)]
  if (filter.startingAfter) {
    where.push(
      sql`(${rules.priority}, ${rules.ruleId}) > (select r.priority, r.rule_id from scenario_assignment_rules r
            where r.tenant_id = ${tenantId} and r.rule_id = ${filter.startingAfter})`,
    )
  }
  if (filter.scenarioId) where.push(eq(rules.scenarioId, filter.scenarioId))
  return tx
    .select()
    .from(rules)
    .where(and(...where))
    .orderBy(asc(rules.priority), asc(rules.ruleId))
    .limit(filter.limit + 1)
}

/** Every rule of the tenant in evaluation order: what resolution reads, once per batch. */
export async function rulesInOrder(tx: Tx, tenantId: string): Promise<RuleRow[]> {
  return tx.select().from(rules).where(eq(rules.tenantId, tenantId)).orderBy(asc(rules.priority), asc(rules.ruleId))
}

export async function ruleIdsOfScenario(tx: Tx, tenantId: string, scenarioId: string): Promise<string[]> {
  const rows = await tx
    .select({ ruleId: rules.ruleId })
    .from(rules)
    .where(and(eq(rules.tenantId, tenantId), eq(rules.scenarioId, scenarioId)))
    .orderBy(asc(rules.priority), asc(rules.ruleId))
  return rows.map((r) => r.ruleId)
}

export async function updateRule(tx: Tx, tenantId: string, ruleId: string, changes: RuleChanges): Promise<RuleRow> {
  const [row] = await tx
    .update(rules)
    .set({ ...changes, updatedAt: new Date() })
    .where(and(eq(rules.tenantId, tenantId), eq(rules.ruleId, ruleId)))
    .returning()
  return row!
}

export async function deleteRule(tx: Tx, tenantId: string, ruleId: string): Promise<boolean> {
  const deleted = await tx
    .delete(rules)
    .where(and(eq(rules.tenantId, tenantId), eq(rules.ruleId, ruleId)))
    .returning({ ruleId: rules.ruleId })
  return deleted.length > 0
}
