import { sql } from 'drizzle-orm'
import { withSystem, type Db, type Tx } from '../../db/client.js'
import { resolveScenarios } from '../scenarios/scenario-resolution.js'
import { loadScenarioVersions, versionKey } from '../scenarios/scenario-versions.service.js'
import { decide, type PlannedScenario } from './decide.js'
import { advanceInvoices, claimDueInvoices, loadDebtorFacts, type DebtorFacts, type DueInvoice } from './engine.repository.js'
import { storeDispatches } from './store-dispatches.js'

export const CHUNK_SIZE = 2_000
/** Chunks in flight per pass: two keep both PostgreSQL and Node busy on a 2-core host. */
export const LANES = 2

export type EngineScope = { tenantId: string } | { wallClockTenants: true }

export interface EngineRun {
  claimed: number
  dispatches: number
  steps: number
}

/** Running cases keep the version they started on; new ones get the scenario assignment picks now. */
export async function scenariosFor(tx: Tx, claimed: DueInvoice[], facts: Map<string, DebtorFacts>) {
  const planned = new Map<string, PlannedScenario>()
  const running = claimed.filter((i) => i.dunning_scenario_id && i.dunning_version)
  const versions = await loadScenarioVersions(
    tx,
    running.map((i) => ({ tenantId: i.tenant_id, scenarioId: i.dunning_scenario_id!, version: i.dunning_version! })),
  )
  for (const inv of running) {
    const ref = { tenantId: inv.tenant_id, scenarioId: inv.dunning_scenario_id!, version: inv.dunning_version! }
    const definition = versions.get(versionKey(ref))
    if (definition) planned.set(`${inv.tenant_id}/${inv.invoice_id}`, { scenarioId: ref.scenarioId, version: ref.version, definition })
  }
  const fresh = claimed.filter((i) => !planned.has(`${i.tenant_id}/${i.invoice_id}`) && facts.has(`${i.tenant_id}/${i.debtor_id}`))
  for (const tenantId of new Set(fresh.map((i) => i.tenant_id))) {
    const mine = fresh.filter((i) => i.tenant_id === tenantId)
    const resolved = await resolveScenarios(
      tx,
      tenantId,
      mine.map((i) => {
        const d = facts.get(`${i.tenant_id}/${i.debtor_id}`)!
        return {
          invoiceScenarioId: i.scenario_id,
          debtor: { scenarioId: d.scenario_id, segment: d.segment, kind: d.kind },
          amount: i.amount_due,
          currency: i.currency,
        }
      }),
    )
    mine.forEach((inv, k) => planned.set(`${inv.tenant_id}/${inv.invoice_id}`, resolved[k]!))
  }
  return planned
}

/**
 * Every engine statement reaches its rows through a key (the due-row index, primary keys, a
 * debtor's rows). Row-level security makes the planner believe a system transaction sees 0.5% of
 * each table, so left alone it picks whole-table scans, hash joins and sorts of every due row
 * (measured: a sort of all due rows per chunk). Within the engine's transaction only, say so.
 */
async function keyDrivenPlans(tx: Tx) {
  await tx.execute(sql`select set_config('enable_seqscan', 'off', true), set_config('enable_bitmapscan', 'off', true),
    set_config('enable_hashjoin', 'off', true), set_config('enable_mergejoin', 'off', true), set_config('enable_sort', 'off', true)`)
}

/** One chunk in one transaction: claim, plan, store dispatches and their events, advance the invoices. */
async function runChunk(tx: Tx, now: Date, scope: EngineScope, size: number): Promise<(EngineRun & { busy: boolean }) | null> {
  await keyDrivenPlans(tx)
  const claimed = await claimDueInvoices(tx, now, size, scope)
  if (!claimed.length) return null
  const facts = await loadDebtorFacts(tx, claimed, now)
  const scenarios = await scenariosFor(tx, claimed, facts)
  const { advances, dispatches } = decide(claimed, facts, scenarios, now)
  const stored = await storeDispatches(tx, dispatches)
  if (!advances.length) return { claimed: 0, dispatches: 0, steps: 0, busy: true }
  await advanceInvoices(tx, advances)
  const steps = dispatches.reduce((n, d) => n + d.items.length, 0)
  return { claimed: advances.length, dispatches: stored.length, steps, busy: false }
}

/**
 * The engine pass (`engine.tick`, and a test clock's advance): chunks until nothing is due as of
 * `now`. Each chunk commits on its own, so a crash loses at most the chunk in flight, which the
 * next pass claims again. `lanes` chunks run at once on as many connections, so that one plans in
 * Node while PostgreSQL writes another; they are to each other what two workers are (rows and
 * debtors locked SKIP LOCKED, items unique per case and step).
 */
export async function runEngine(db: Db, now: Date, scope: EngineScope, size = CHUNK_SIZE, lanes = LANES): Promise<EngineRun> {
  const total: EngineRun = { claimed: 0, dispatches: 0, steps: 0 }
  const lane = async () => {
    // Bounded: a row the planner keeps due (several steps at once) is claimed again, never forever.
    for (let round = 0; round < 10_000; round++) {
      const run = await withSystem(db, (tx) => runChunk(tx, now, scope, size))
      if (!run) break
      // Every claimed debtor was being planned by another lane or worker: let it finish first.
      if (run.busy) await new Promise((resolve) => setTimeout(resolve, 20))
      total.claimed += run.claimed
      total.dispatches += run.dispatches
      total.steps += run.steps
    }
  }
  await Promise.all(Array.from({ length: lanes }, lane))
  return total
}
