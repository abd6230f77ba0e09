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
  | 'payment.created'
  | 'payment.reversed'
  | 'credit_note.created'
  | 'hold.created'
  | 'hold.released'
  | 'hold.expired'
  | 'payment_plan.created'
  | 'payment_plan.breached'
  | 'payment_plan.completed'
  | 'payment_plan.cancelled'
  | 'dunning.step_due'

export interface PendingEvent {
  type: EventType
  objectId: string
  object: Record<string, unknown>
}

/**
 * Writes events to the outbox inside the caller's transaction: they exist if and only if the
 * change they announce committed. One statement for any number of events.
 */
export async function emitEvents(tx: Tx, tenantId: string, pending: PendingEvent[]): Promise<void> {
  if (!pending.length) return
  const now = Date.now()
  await tx.insert(events).values(
    pending.map((event) => ({
      tenantId,
      eventId: newId('event', now),
      type: event.type,
      objectId: event.objectId,
      data: { object: event.object },
    })),
  )
}

export const emitEvent = (tx: Tx, tenantId: string, event: PendingEvent) => emitEvents(tx, tenantId, [event])
