import { sql } from 'drizzle-orm'
import type { Tx } from '../../db/client.js'
import { newId } from '../../shared/ids.js'
import type { NewDispatch } from './decide.js'

/**
 * Writing what one engine chunk decided, in a fixed number of statements whatever the chunk's
 * size or how many tenants it spans: rows travel as arrays or one JSON parameter (no bind
 * parameter per cell, no query-builder work per row).
 */

function dispatchObject(d: NewDispatch) {
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

async function insertItems(tx: Tx, planned: NewDispatch[]): Promise<Set<string>> {
  const items = planned.flatMap((d) => d.items.map((i) => ({ ...i, tenantId: d.tenantId, dispatchId: d.dispatchId, stepKey: d.stepKey })))
  if (!items.length) return new Set()
  const col = <T>(pick: (r: (typeof items)[number]) => T) => sql.param(items.map(pick))
  const inserted = await tx.execute<{ dispatch_id: string; invoice_id: string }>(sql`
    insert into dispatch_items (tenant_id, dispatch_id, invoice_id, case_id, step_key)
    select * from unnest(${col((i) => i.tenantId)}::text[], ${col((i) => i.dispatchId)}::text[],
                         ${col((i) => i.invoiceId)}::text[], ${col((i) => i.caseId)}::text[], ${col((i) => i.stepKey)}::text[])
    on conflict do nothing
    returning dispatch_id, invoice_id`)
  return new Set(inserted.rows.map((r) => `${r.dispatch_id}/${r.invoice_id}`))
}

/**
 * Adds steps to messages an earlier chunk queued. The WHERE names the primary key only, so the
 * lookup stays one index probe per message however many are queued; a message the sender took in
 * the meantime (no longer queued, re-checked on the locked row) is left as it is.
 */
async function joinQueued(tx: Tx, joined: NewDispatch[]): Promise<void> {
  if (!joined.length) return
  await tx.execute(sql`
    update dispatches s set
      details = case when s.status = 'queued' then jsonb_set(s.details, '{invoice_ids}',
          coalesce(s.details->'invoice_ids', '[]'::jsonb) || to_jsonb(string_to_array(j.ids, ','))) else s.details end,
      updated_at = case when s.status = 'queued' then now() else s.updated_at end
    from (select unnest(${sql.param(joined.map((d) => d.tenantId))}::text[]) as tenant_id,
                 unnest(${sql.param(joined.map((d) => d.dispatchId))}::text[]) as dispatch_id,
                 unnest(${sql.param(joined.map((d) => d.items.map((i) => i.invoiceId).join(',')))}::text[]) as ids) j
    where s.tenant_id = j.tenant_id and s.dispatch_id = j.dispatch_id`)
}

async function insertDispatches(tx: Tx, fresh: NewDispatch[]): Promise<void> {
  if (!fresh.length) return
  const rows = fresh.map((d) => ({
    tenant_id: d.tenantId,
    dispatch_id: d.dispatchId,
    debtor_id: d.debtorId,
    step_key: d.stepKey,
    channel: d.channel,
    template: d.template,
    language: d.language,
    scenario_id: d.scenarioId,
    scenario_version: d.version,
    scheduled_at: d.scheduledAt.toISOString(),
    details: { invoice_ids: d.items.map((i) => i.invoiceId) },
  }))
  await tx.execute(sql`
    insert into dispatches (tenant_id, dispatch_id, debtor_id, step_key, channel, template, language, scenario_id,
                            scenario_version, scheduled_at, details)
    select r.tenant_id, r.dispatch_id, r.debtor_id, r.step_key, r.channel, r.template, r.language, r.scenario_id,
           r.scenario_version, r.scheduled_at, r.details
    from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as r(tenant_id text, dispatch_id text, debtor_id text,
      step_key text, channel text, template text, language text, scenario_id text, scenario_version int,
      scheduled_at timestamptz, details jsonb)`)
}

/** `dunning.step_due` for each new dispatch, across tenants, into the outbox in one statement. */
async function emitStepDue(tx: Tx, fresh: NewDispatch[]): Promise<void> {
  if (!fresh.length) return
  const now = Date.now()
  const rows = fresh.map((d) => ({ tenant_id: d.tenantId, id: newId('event', now), object_id: d.dispatchId, data: { object: dispatchObject(d) } }))
  await tx.execute(sql`
    insert into events (tenant_id, event_id, type, object_id, data)
    select r.tenant_id, r.id, 'dunning.step_due', r.object_id, r.data
    from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as r(tenant_id text, id text, object_id text, data jsonb)`)
}

/**
 * Items first, each unique per case and step: whatever already exists is skipped, and a dispatch
 * is stored only if it still carries an item. A re-run, a crash between two chunks or a second
 * worker can therefore never send one step of one debt twice. Steps joining a message an earlier
 * chunk queued for the same debtor are added to it. New dispatches get their `dunning.step_due`
 * event. Returns the new dispatches.
 */
export async function storeDispatches(tx: Tx, planned: NewDispatch[]): Promise<NewDispatch[]> {
  const kept = await insertItems(tx, planned)
  if (!kept.size) return []
  const stored = planned
    .map((d) => ({ ...d, items: d.items.filter((i) => kept.has(`${d.dispatchId}/${i.invoiceId}`)) }))
    .filter((d) => d.items.length)
  const fresh = stored.filter((d) => !d.existing)
  await joinQueued(
    tx,
    stored.filter((d) => d.existing),
  )
  await insertDispatches(tx, fresh)
  await emitStepDue(tx, fresh)
  return fresh
}
