import type { Db } from '../../db/client.js'
import { pollProviders } from '../dispatch/provider-poll.js'
import { runDispatchPump, type PumpDeps } from '../dispatch/pump.js'
import { runEngine, type EngineRun } from '../engine/evaluator.js'
import { expireHolds } from '../holds/holds-expiry.js'
import { alertPrescriptions } from '../invoices/prescription-alerts.js'
import { checkPaymentPlans } from '../payment-plans/plan-progress.service.js'

/**
 * Everything time does to one tenant, as of `now`: holds and promises lapse, late instalments
 * breach their plans, debts near prescription are announced, the engine plans and queues what is
 * due, and the dispatch loop sends it. In that order, so a promise
 * broken at this instant resumes its scenario in the same advance. The wall-clock jobs skip tenants
 * on a test clock; this is how their time moves.
 */
export async function catchUpTenant(db: Db, tenantId: string, now: Date, prescriptionAlertDays: number, dispatch?: PumpDeps): Promise<EngineRun> {
  const scope = { tenantId }
  const today = now.toISOString().slice(0, 10)
  await expireHolds(db, today, scope, now)
  await checkPaymentPlans(db, today, scope, now)
  await alertPrescriptions(db, today, prescriptionAlertDays, scope)
  const run = await runEngine(db, now, scope)
  // What the engine queued goes out as of the clock too, so a test clock plays the whole path.
  if (dispatch) {
    await runDispatchPump(db, dispatch, now, scope)
    // One indexed query when nothing is due; letters then settle as the clock passes.
    await pollProviders(db, dispatch, now, scope)
  }
  return run
}
