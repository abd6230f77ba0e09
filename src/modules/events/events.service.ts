import { sql } from 'drizzle-orm'
import type { Tx } from '../../db/client.js'
import { newId } from '../../shared/ids.js'
import { events } from './events.tables.js'

/** Event names: `resource.verb` in the past tense (CONVENTIONS.md). The webhooks catalogue lists them. */
export type EventType =
  | 'debtor.created'
  | 'debtor.updated'
  | 'invoice.created'
  | 'invoice.updated'
  | 'invoice.paid'
  | 'invoice.partially_paid'
  | 'invoice.reopened'
  | 'invoice.cancelled'
  | 'invoice.written_off'
  | 'invoice.disputed'
  | 'invoice.prescription_approaching'
  | 'payment.created'
  | 'payment.reversed'
  | 'credit_note.created'
  | 'hold.created'
  | 'hold.released'
  | 'hold.expired'
  | 'scenario.created'
  | 'scenario.updated'
  | 'payment_plan.created'
  | 'payment_plan.breached'
  | 'payment_plan.completed'
  | 'payment_plan.cancelled'
  | 'dunning.step_due'
  | 'dispatch.sent'
  | 'dispatch.delivered'
  | 'dispatch.refused'
  | 'dispatch.not_claimed'
  | 'dispatch.undelivered'
  | 'dispatch.bounced'
  | 'dispatch.failed'
  | 'dispatch.cancelled'
  | 'dispatch.opened'
  | 'dispatch.link_clicked'
  | 'proof.received'
  | 'task.created'
  | 'task.completed'
  | 'case.escalated'
  | 'webhook_endpoint.disabled'
  | 'webhook_endpoint.tested'

export interface PendingEvent {
  type: EventType
  objectId: string
  object: Record<string, unknown>
}

/**
 * Writes events to the outbox inside the caller's transaction: they exist if and only if the
 * change they announce committed. One statement for any number of events.
 */
export async function emitEvents(tx: Tx, tenantId: string, pending: PendingEvent[]): Promise<string[]> {
  if (!pending.length) return []
  const now = Date.now()
  const ids = pending.map(() => newId('event', now))
  await tx.insert(events).values(
    pending.map((event, i) => ({
      tenantId,
      eventId: ids[i]!,
      type: event.type,
      objectId: event.objectId,
      data: { object: event.object },
    })),
  )
  return ids
}

/**
 * emitEvents for thousands of events at once (bulk imports): the rows travel as one JSON parameter,
 * which PostgreSQL unpacks, instead of one bind parameter per value built by the query builder.
 */
export async function emitEventBatch(tx: Tx, tenantId: string, pending: PendingEvent[]): Promise<void> {
  if (!pending.length) return
  const now = Date.now()
  const rows = pending.map((event) => ({ id: newId('event', now), type: event.type, object_id: event.objectId, data: { object: event.object } }))
  await tx.execute(sql`
    insert into events (tenant_id, event_id, type, object_id, data)
    select ${tenantId}, r.id, r.type, r.object_id, r.data
    from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as r(id text, type text, object_id text, data jsonb)`)
}

/** Returns the new event's id. */
export const emitEvent = (tx: Tx, tenantId: string, event: PendingEvent) => emitEvents(tx, tenantId, [event]).then((ids) => ids[0]!)
