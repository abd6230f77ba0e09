import { sql } from 'drizzle-orm'
import { withSystem, type Db, type Tx } from '../../db/client.js'
import { emitEvents } from '../events/events.service.js'
import { resolveScenarios } from '../scenarios/scenario-resolution.js'
import { loadScenarioVersions, versionKey } from '../scenarios/scenario-versions.service.js'
import { dispatches as dispatchTable } from '../dispatch/dispatch.tables.js'
import { decide, type NewDispatch, type PlannedScenario } from './decide.js'
import { advanceInvoices, claimDueInvoices, loadDebtorFacts, type DebtorFacts, type DueInvoice } from './engine.repository.js'

export const CHUNK_SIZE = 2_000

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

export function dispatchObject(d: NewDispatch) {
  return {
    object: 'dispatch',
    id: d.dispatchId,
    debtor_id: d.debtorId,
    step_key: d.stepKey,
    channel: d.channel,
    template: d.template,
    language: d.language,
    status: 'queued',
    scheduled_at: d.scheduledAt.toISOString(),
    invoice_ids: d.items.map((i) => i.invoiceId),
  }
}

/**
 * Items first, each unique per case and step: whatever already exists is skipped, and a dispatch
 * is stored only if it still carries an item. A re-run, a crash between two chunks or a second
 * worker can therefore never send one step of one debt twice. Steps joining a message an earlier
 * chunk queued for the same debtor are added to it. Returns the new dispatches.
 */
export async function storeDispatches(tx: Tx, planned: NewDispatch[]): Promise<NewDispatch[]> {
  const items = planned.flatMap((d) => d.items.map((i) => ({ ...i, tenantId: d.tenantId, dispatchId: d.dispatchId, stepKey: d.stepKey })))
  if (!items.length) return []
  const col = <T>(pick: (r: (typeof items)[number]) => T) => sql.param(items.map(pick))
  const inserted = await tx.execute<{ dispatch_id: string; invoice_id: string }>(sql`
    insert into dispatch_items (tenant_id, dispatch_id, invoice_id, case_id, step_key)
    select * from unnest(${col((i) => i.tenantId)}::text[], ${col((i) => i.dispatchId)}::text[],
                         ${col((i) => i.invoiceId)}::text[], ${col((i) => i.caseId)}::text[], ${col((i) => i.stepKey)}::text[])
    on conflict do nothing
    returning dispatch_id, invoice_id`)
  const kept = new Set(inserted.rows.map((r) => `${r.dispatch_id}/${r.invoice_id}`))
  const stored = planned
    .map((d) => ({ ...d, items: d.items.filter((i) => kept.has(`${d.dispatchId}/${i.invoiceId}`)) }))
    .filter((d) => d.items.length)
  const fresh = stored.filter((d) => !d.existing)
  const joined = stored.filter((d) => d.existing)
  if (joined.length) {
    await tx.execute(sql`
      update dispatches s set details = jsonb_set(s.details, '{invoice_ids}',
          coalesce(s.details->'invoice_ids', '[]'::jsonb) || to_jsonb(string_to_array(j.ids, ','))), updated_at = now()
      from (select unnest(${sql.param(joined.map((d) => d.tenantId))}::text[]) as tenant_id,
                   unnest(${sql.param(joined.map((d) => d.dispatchId))}::text[]) as dispatch_id,
                   unnest(${sql.param(joined.map((d) => d.items.map((i) => i.invoiceId).join(',')))}::text[]) as ids) j
      where s.tenant_id = j.tenant_id and s.dispatch_id = j.dispatch_id and s.status = 'queued'`)
  }
  if (fresh.length) {
    await tx.insert(dispatchTable).values(
      fresh.map((d) => ({
        tenantId: d.tenantId,
        dispatchId: d.dispatchId,
        debtorId: d.debtorId,
        stepKey: d.stepKey,
        channel: d.channel,
        template: d.template,
        language: d.language,
        scenarioId: d.scenarioId,
        scenarioVersion: d.version,
        scheduledAt: d.scheduledAt,
        details: { invoice_ids: d.items.map((i) => i.invoiceId) },
      })),
    )
  }
  return fresh
}

/** One chunk in one transaction: claim, plan, store dispatches, advance the invoices, write events. */
async function runChunk(tx: Tx, now: Date, scope: EngineScope, size: number): Promise<(EngineRun & { busy: boolean }) | null> {
  const claimed = await claimDueInvoices(tx, now, size, scope)
  if (!claimed.length) return null
  const facts = await loadDebtorFacts(tx, claimed, now)
  const scenarios = await scenariosFor(tx, claimed, facts)
  const { advances, dispatches } = decide(claimed, facts, scenarios, now)
  const stored = await storeDispatches(tx, dispatches)
  if (!advances.length) return { claimed: 0, dispatches: 0, steps: 0, busy: true }
  await advanceInvoices(tx, advances)
  for (const tenantId of new Set(stored.map((d) => d.tenantId))) {
    const own = stored.filter((d) => d.tenantId === tenantId)
    await emitEvents(tx, tenantId, own.map((d) => ({ type: 'dunning.step_due' as const, objectId: d.dispatchId, object: dispatchObject(d) })))
  }
  const steps = dispatches.reduce((n, d) => n + d.items.length, 0)
  return { claimed: advances.length, dispatches: stored.length, steps, busy: false }
}

/**
 * The engine pass (`engine.tick`, and a test clock's advance): chunks until nothing is due as of
 * `now`. Each chunk commits on its own, so a crash loses at most the chunk in flight, which the
 * next pass claims again.
 */
export async function runEngine(db: Db, now: Date, scope: EngineScope, size = CHUNK_SIZE): Promise<EngineRun> {
  const total: EngineRun = { claimed: 0, dispatches: 0, steps: 0 }
  // Bounded: a row the planner keeps due (several steps at once) is claimed again, never forever.
  for (let round = 0; round < 10_000; round++) {
    const run = await withSystem(db, (tx) => runChunk(tx, now, scope, size))
    if (!run) break
    // Every claimed debtor was being planned by another worker: let it finish first.
    if (run.busy) await new Promise((resolve) => setTimeout(resolve, 20))
    total.claimed += run.claimed
    total.dispatches += run.dispatches
    total.steps += run.steps
  }
  return total
}
