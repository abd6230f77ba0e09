import { sql } from 'drizzle-orm'
import type { Tx } from '../../db/client.js'
import { newId } from '../../shared/ids.js'
import type { DeliveryStatus, ProviderEvent } from '../channels/channel-driver.js'
import { FINAL_STATUSES } from '../channels/channel-driver.js'
import { emitEvents, type EventType } from '../events/events.service.js'

/** What one send attempt came to; `requeueAt` puts it back in the queue (transient error). */
export interface SendOutcome {
  tenantId: string
  dispatchId: string
  status: DeliveryStatus
  rawStatus: string
  connectionId: string | null
  driver: string | null
  providerRef: string | null
  failureCode: string | null
  failureReason: string | null
  content: Record<string, unknown> | null
  letterSha256: string | null
  cost: { amount: number; currency: string } | null
  requeueAt: Date | null
  /** Requeued without calling the provider (circuit open): the attempt does not count. */
  notAttempted?: boolean
}

const NOT_DELIVERED: readonly DeliveryStatus[] = ['refused', 'not_claimed', 'undelivered', 'bounced', 'failed']

/** The dunning outcome a delivery status gives the step: a scenario may branch on it (fall back to post). */
function outcomeOf(status: DeliveryStatus): 'delivered' | 'not_delivered' | null {
  if (status === 'delivered') return 'delivered'
  return NOT_DELIVERED.includes(status) ? 'not_delivered' : null
}

/**
 * A known outcome goes back on the invoices whose last step this dispatch was, and wakes them:
 * the engine plans the next step (or the postal fallback) on the next pass.
 */
async function feedOutcomes(tx: Tx, rows: { tenantId: string; dispatchId: string; status: DeliveryStatus }[]): Promise<void> {
  const known = rows.filter((r) => outcomeOf(r.status))
  if (!known.length) return
  await tx.execute(sql`
    update invoices i set dunning_outcome = o.outcome, next_action_at = 'epoch', updated_at = now()
    from (select unnest(${sql.param(known.map((r) => r.tenantId))}::text[]) as tenant_id,
                 unnest(${sql.param(known.map((r) => r.dispatchId))}::text[]) as dispatch_id,
                 unnest(${sql.param(known.map((r) => outcomeOf(r.status)))}::text[]) as outcome) o
    join dispatches s on s.tenant_id = o.tenant_id and s.dispatch_id = o.dispatch_id
    join dispatch_items x on x.tenant_id = s.tenant_id and x.dispatch_id = s.dispatch_id
    where i.tenant_id = x.tenant_id and i.invoice_id = x.invoice_id
      and i.dunning_step_at = coalesce((s.details->>'step_at')::timestamptz, s.scheduled_at)
      and i.status in ('open', 'partially_paid')`)
}

const eventType = (status: DeliveryStatus): EventType | null =>
  status === 'queued' || status === 'sending' ? null : (`dispatch.${status}` as EventType)

async function announce(tx: Tx, rows: { tenantId: string; dispatchId: string; status: DeliveryStatus }[]): Promise<void> {
  const ids = rows.filter((r) => eventType(r.status))
  if (!ids.length) return
  const objects = await tx.execute<{ tenant_id: string; dispatch_id: string; object: Record<string, unknown> }>(sql`
    select s.tenant_id, s.dispatch_id, json_build_object('object', 'dispatch', 'id', s.dispatch_id, 'debtor_id', s.debtor_id,
      'step_key', s.step_key, 'channel', s.channel, 'status', s.status, 'provider_ref', s.provider_ref,
      'failure_code', s.failure_code, 'failure_reason', s.failure_reason, 'invoice_ids', s.details->'invoice_ids',
      'sent_at', s.sent_at, 'updated_at', s.updated_at) as object
    from dispatches s join (select unnest(${sql.param(ids.map((r) => r.tenantId))}::text[]) as tenant_id,
                                   unnest(${sql.param(ids.map((r) => r.dispatchId))}::text[]) as dispatch_id) k
      on k.tenant_id = s.tenant_id and k.dispatch_id = s.dispatch_id`)
  const byKey = new Map(objects.rows.map((o) => [`${o.tenant_id}/${o.dispatch_id}`, o.object]))
  for (const tenantId of new Set(ids.map((r) => r.tenantId))) {
    await emitEvents(
      tx,
      tenantId,
      ids
        .filter((r) => r.tenantId === tenantId && byKey.has(`${tenantId}/${r.dispatchId}`))
        .map((r) => ({ type: eventType(r.status)!, objectId: r.dispatchId, object: byKey.get(`${tenantId}/${r.dispatchId}`)! })),
    )
  }
}

async function insertTimeline(tx: Tx, rows: { tenantId: string; dispatchId: string; status: DeliveryStatus | null; rawStatus: string; reason: string | null; at: Date }[]) {
  if (!rows.length) return []
  const col = <T>(pick: (r: (typeof rows)[number]) => T) => sql.param(rows.map(pick))
  const inserted = await tx.execute<{ tenant_id: string; dispatch_id: string; raw_status: string }>(sql`
    insert into dispatch_events (tenant_id, event_id, dispatch_id, status, raw_status, reason, occurred_at)
    select * from unnest(${col((r) => r.tenantId)}::text[], ${col(() => newId('dispatchEvent'))}::text[], ${col((r) => r.dispatchId)}::text[],
      ${col((r) => r.status)}::text[], ${col((r) => r.rawStatus)}::text[], ${col((r) => r.reason)}::text[], ${col((r) => r.at.toISOString())}::timestamptz[])
    on conflict do nothing
    returning tenant_id, dispatch_id, raw_status`)
  return inserted.rows
}

/** One update for the whole batch, its timeline rows, its events, and the outcomes fed back to the engine. */
export async function recordSendOutcomes(tx: Tx, outcomes: SendOutcome[], now: Date): Promise<void> {
  if (!outcomes.length) return
  const col = <T>(pick: (o: SendOutcome) => T) => sql.param(outcomes.map(pick))
  await tx.execute(sql`
    update dispatches s set
      status = case when o.requeue_at is not null then 'queued' else o.status end,
      scheduled_at = coalesce(o.requeue_at, s.scheduled_at),
      -- The step's own time stays known after a retry moves scheduled_at: outcomes are matched on it.
      details = case when o.requeue_at is not null and not s.details ? 'step_at'
                     then s.details || jsonb_build_object('step_at', s.scheduled_at) else s.details end,
      attempts = s.attempts - o.refund,
      sending_since = null,
      sent_at = case when o.status in ('sent', 'delivered') then coalesce(s.sent_at, now()) else s.sent_at end,
      connection_id = coalesce(o.connection_id, s.connection_id), driver = coalesce(o.driver, s.driver),
      provider_ref = coalesce(o.provider_ref, s.provider_ref),
      failure_code = o.failure_code, failure_reason = o.failure_reason,
      content = coalesce(o.content, s.content), letter_sha256 = coalesce(o.letter_sha256, s.letter_sha256),
      cost_amount = coalesce(o.cost_amount, s.cost_amount), cost_currency = coalesce(o.cost_currency, s.cost_currency),
      updated_at = now()
    from (select * from unnest(${col((o) => o.tenantId)}::text[], ${col((o) => o.dispatchId)}::text[], ${col((o) => o.status)}::text[],
            ${col((o) => o.connectionId)}::text[], ${col((o) => o.driver)}::text[], ${col((o) => o.providerRef)}::text[],
            ${col((o) => o.failureCode)}::text[], ${col((o) => o.failureReason)}::text[],
            ${col((o) => (o.content ? JSON.stringify(o.content) : null))}::jsonb[], ${col((o) => o.letterSha256)}::text[],
            ${col((o) => o.cost?.amount ?? null)}::int[], ${col((o) => o.cost?.currency ?? null)}::text[],
            ${col((o) => o.requeueAt?.toISOString() ?? null)}::timestamptz[], ${col((o) => (o.notAttempted ? 1 : 0))}::int[])
          as o(tenant_id, dispatch_id, status, connection_id, driver, provider_ref, failure_code, failure_reason, content,
               letter_sha256, cost_amount, cost_currency, requeue_at, refund)) o
    where s.tenant_id = o.tenant_id and s.dispatch_id = o.dispatch_id and s.status = 'sending'`)
  await insertTimeline(
    tx,
    outcomes.map((o) => ({
      tenantId: o.tenantId,
      dispatchId: o.dispatchId,
      status: o.requeueAt ? 'queued' : o.status,
      rawStatus: o.rawStatus,
      reason: o.failureReason,
      at: now,
    })),
  )
  const settled = outcomes.filter((o) => !o.requeueAt).map((o) => ({ tenantId: o.tenantId, dispatchId: o.dispatchId, status: o.status }))
  await feedOutcomes(tx, settled)
  await announce(tx, settled)
}

/**
 * Provider events (a callback or a poll) for one tenant: each kept once in the timeline; the
 * status moves unless the dispatch already ended. Returns the dispatches whose status changed.
 */
export async function applyProviderEvents(tx: Tx, tenantId: string, driver: string, events: ProviderEvent[]): Promise<{ dispatchId: string; status: DeliveryStatus }[]> {
  if (!events.length) return []
  const found = await tx.execute<{ dispatch_id: string; provider_ref: string | null; status: DeliveryStatus }>(sql`
    select dispatch_id, provider_ref, status from dispatches
    where tenant_id = ${tenantId} and ((driver = ${driver} and provider_ref = any(${sql.param(events.map((e) => e.providerRef))}::text[]))
       or dispatch_id = any(${sql.param(events.flatMap((e) => (e.dispatchId ? [e.dispatchId] : [])))}::text[]))
    for update`)
  const byRef = new Map(found.rows.map((r) => [r.provider_ref, r]))
  const byId = new Map(found.rows.map((r) => [r.dispatch_id, r]))
  const matched = events.flatMap((e) => {
    const row = (e.dispatchId && byId.get(e.dispatchId)) || byRef.get(e.providerRef)
    return row ? [{ event: e, row }] : []
  })
  const fresh = await insertTimeline(
    tx,
    matched.map(({ event, row }) => ({ tenantId, dispatchId: row.dispatch_id, status: event.status, rawStatus: event.rawStatus, reason: event.reason ?? null, at: event.occurredAt })),
  )
  const isFresh = new Set(fresh.map((f) => `${f.dispatch_id}/${f.raw_status}`))
  const changes = new Map<string, DeliveryStatus>()
  for (const { event, row } of matched) {
    const current = changes.get(row.dispatch_id) ?? row.status
    if (!event.status || !isFresh.has(`${row.dispatch_id}/${event.rawStatus}`) || FINAL_STATUSES.includes(current) || event.status === current) continue
    changes.set(row.dispatch_id, event.status)
  }
  const list = [...changes].map(([dispatchId, status]) => ({ dispatchId, status, reason: matched.find((m) => m.row.dispatch_id === dispatchId && m.event.status === status)?.event.reason ?? null }))
  if (!list.length) return []
  await tx.execute(sql`
    update dispatches s set status = c.status, failure_reason = coalesce(c.reason, s.failure_reason), updated_at = now()
    from (select unnest(${sql.param(list.map((c) => c.dispatchId))}::text[]) as dispatch_id,
                 unnest(${sql.param(list.map((c) => c.status))}::text[]) as status,
                 unnest(${sql.param(list.map((c) => c.reason))}::text[]) as reason) c
    where s.tenant_id = ${tenantId} and s.dispatch_id = c.dispatch_id`)
  const rows = list.map((c) => ({ tenantId, dispatchId: c.dispatchId, status: c.status }))
  await feedOutcomes(tx, rows)
  await announce(tx, rows)
  return rows
}
