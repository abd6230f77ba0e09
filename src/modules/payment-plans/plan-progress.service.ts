import { withSystem, type Db, type Tx } from '../../db/client.js'
import { todayUtc } from '../../shared/dates.js'
import { emitEvents, type EventType } from '../events/events.service.js'
import { breachLatePlans, completeCoveredPlans, refreshProgress, type PlanScope } from './plan-progress.repository.js'
import { findPlansByKeys, type PlanKey } from './payment-plans.repository.js'
import { toPlanDto } from './payment-plans.service.js'
import { queueEventSteps } from '../engine/event-steps.js'
import { WALL_CLOCK, type ClockScope } from '../test-clocks/clock-scope.js'

async function announce(tx: Tx, type: EventType, keys: PlanKey[]): Promise<void> {
  const plans = await findPlansByKeys(tx, keys)
  // The outbox writer is per tenant: one insert per tenant, not one per plan.
  const tenants = new Set(plans.map((plan) => plan.tenantId))
  for (const tenantId of tenants) {
    const own = plans.filter((plan) => plan.tenantId === tenantId)
    await emitEvents(tx, tenantId, own.map((plan) => ({ type, objectId: plan.planId, object: toPlanDto(plan) })))
  }
}

async function settle(tx: Tx, scope: PlanScope): Promise<PlanKey[]> {
  await refreshProgress(tx, scope)
  const completed = await completeCoveredPlans(tx, scope)
  await announce(tx, 'payment_plan.completed', completed)
  return completed
}

/**
 * For the payments side: call in the transaction that changed what is paid or credited on these
 * invoices, so the plans over them show their progress (and complete) with the change.
 */
export async function refreshPaymentPlans(tx: Tx, tenantId: string, invoiceIds: string[]): Promise<void> {
  if (invoiceIds.length) await settle(tx, { tenantId, invoiceIds })
}

/**
 * The `payment_plans.check` job, across every tenant: brings progress up to date, completes the
 * covered plans, then breaches those with an instalment due before `today` (injectable for tests
 * and test clocks) still uncovered. Progress first, so an instalment paid on time but not yet
 * counted is not taken for a missed one.
 */
export async function checkPaymentPlans(
  db: Db,
  today: string = todayUtc(),
  scope: ClockScope = WALL_CLOCK,
  now = new Date(),
): Promise<{ completed: number; breached: number }> {
  return withSystem(db, async (tx) => {
    const completed = await settle(tx, 'all')
    const breached = await breachLatePlans(tx, today, scope)
    await announce(tx, 'payment_plan.breached', breached)
    const plans = await findPlansByKeys(tx, breached)
    await queueEventSteps(
      tx,
      plans.map((p) => ({ tenantId: p.tenantId, debtorId: p.debtorId, trigger: 'instalment_missed' as const, sourceId: p.planId, invoiceIds: p.invoiceIds, now })),
    )
    return { completed: completed.length, breached: breached.length }
  })
}
