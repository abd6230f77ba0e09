import { and, asc, desc, eq, lt, sql, type SQL } from 'drizzle-orm'
import type { Tx } from '../../db/client.js'
import { paymentPlanInstalments, paymentPlans } from './payment-plans.tables.js'

export type PlanRecord = typeof paymentPlans.$inferSelect
export type InstalmentRow = typeof paymentPlanInstalments.$inferSelect
export type PlanRow = PlanRecord & { instalments: InstalmentRow[] }
export type PlanStatus = PlanRecord['status']

/** A plan named across tenants, as the cross-tenant jobs know it. */
export interface PlanKey {
  tenantId: string
  planId: string
}

export async function insertPlan(
  tx: Tx,
  plan: typeof paymentPlans.$inferInsert,
  instalments: (typeof paymentPlanInstalments.$inferInsert)[],
): Promise<void> {
  await tx.insert(paymentPlans).values(plan)
  await tx.insert(paymentPlanInstalments).values(instalments)
}

async function withInstalments(tx: Tx, plans: PlanRecord[]): Promise<PlanRow[]> {
  if (!plans.length) return []
  const keys = sql`(select * from unnest(${sql.param(plans.map((p) => p.tenantId))}::text[], ${sql.param(plans.map((p) => p.planId))}::text[]))`
  const instalments = await tx
    .select()
    .from(paymentPlanInstalments)
    .where(sql`(${paymentPlanInstalments.tenantId}, ${paymentPlanInstalments.planId}) in ${keys}`)
    .orderBy(asc(paymentPlanInstalments.sequence))
  return plans.map((plan) => ({
    ...plan,
    instalments: instalments.filter((i) => i.tenantId === plan.tenantId && i.planId === plan.planId),
  }))
}

export async function findPlan(tx: Tx, tenantId: string, planId: string, forUpdate = false): Promise<PlanRow | undefined> {
  const query = tx
    .select()
    .from(paymentPlans)
    .where(and(eq(paymentPlans.tenantId, tenantId), eq(paymentPlans.planId, planId)))
  const plans = forUpdate ? await query.for('update') : await query
  return (await withInstalments(tx, plans))[0]
}

/** Plans by key, any tenant (system jobs), for event payloads. */
export async function findPlansByKeys(tx: Tx, keys: PlanKey[]): Promise<PlanRow[]> {
  if (!keys.length) return []
  const plans = await tx
    .select()
    .from(paymentPlans)
    .where(
      sql`(${paymentPlans.tenantId}, ${paymentPlans.planId}) in (select * from unnest(${sql.param(keys.map((k) => k.tenantId))}::text[], ${sql.param(keys.map((k) => k.planId))}::text[]))`,
    )
    .orderBy(paymentPlans.tenantId, paymentPlans.planId)
  return withInstalments(tx, plans)
}

export async function listPlans(
  tx: Tx,
  tenantId: string,
  filter: { limit: number; startingAfter?: string; status?: PlanStatus; debtorId?: string },
): Promise<PlanRow[]> {
  const where: SQL[] = [eq(paymentPlans.tenantId, tenantId)]
  if (filter.startingAfter) where.push(lt(paymentPlans.planId, filter.startingAfter))
  if (filter.status) where.push(eq(paymentPlans.status, filter.status))
  if (filter.debtorId) where.push(eq(paymentPlans.debtorId, filter.debtorId))
  const plans = await tx
    .select()
    .from(paymentPlans)
    .where(and(...where))
    .orderBy(desc(paymentPlans.planId))
    .limit(filter.limit + 1)
  return withInstalments(tx, plans)
}

/** Active plans that already cover any of these invoices. */
export async function activePlansCovering(tx: Tx, tenantId: string, invoiceIds: string[]): Promise<PlanRecord[]> {
  return tx
    .select()
    .from(paymentPlans)
    .where(
      and(
        eq(paymentPlans.tenantId, tenantId),
        eq(paymentPlans.status, 'active'),
        sql`${paymentPlans.invoiceIds} && ${sql.param(invoiceIds)}::text[]`,
      ),
    )
}

export async function setPlanStatus(tx: Tx, tenantId: string, planId: string, status: PlanStatus): Promise<void> {
  await tx
    .update(paymentPlans)
    .set({ status, updatedAt: new Date() })
    .where(and(eq(paymentPlans.tenantId, tenantId), eq(paymentPlans.planId, planId)))
}
