import { sql } from 'drizzle-orm'
import type { Tx } from '../../db/client.js'
import { emitEvents, type EventType, type PendingEvent } from '../events/events.service.js'
import { invoiceDtosByIds } from './invoices.mapper.js'
import type { InvoiceStatus } from './invoices.tables.js'

/**
 * Status is derived, never set by hand. Precedence: cancelled, written off, paid (nothing left to
 * pay), disputed (an active dispute hold on the invoice), partially paid, open.
 */
export function deriveStatus(invoice: {
  cancelledAt: Date | null
  writtenOffAt: Date | null
  amountTotal: number
  amountPaid: number
  amountCredited: number
  disputed: boolean
}): InvoiceStatus {
  if (invoice.cancelledAt) return 'cancelled'
  if (invoice.writtenOffAt) return 'written_off'
  const settled = invoice.amountPaid + invoice.amountCredited
  if (settled >= invoice.amountTotal) return 'paid'
  if (invoice.disputed) return 'disputed'
  return settled > 0 ? 'partially_paid' : 'open'
}

function transitionEvent(from: InvoiceStatus, to: InvoiceStatus): EventType | null {
  if (from === to) return null
  if (to === 'paid') return 'invoice.paid'
  if (to === 'cancelled') return 'invoice.cancelled'
  if (to === 'written_off') return 'invoice.written_off'
  if (to === 'disputed') return 'invoice.disputed'
  if (from === 'paid' || from === 'cancelled' || from === 'written_off' || from === 'disputed') return 'invoice.reopened'
  if (to === 'partially_paid') return 'invoice.partially_paid'
  return null
}

export interface StatusChange {
  invoiceId: string
  from: InvoiceStatus
  to: InvoiceStatus
}

/**
 * Recomputes the status of the given invoices in one statement (the same rules as deriveStatus, in
 * SQL so a payment touching many invoices costs one round trip), and writes an outbox event for
 * each change, its payload the invoice as the API shows it.
 */
export async function refreshInvoiceStatus(
  tx: Tx,
  tenantId: string,
  invoiceIds: string[],
): Promise<StatusChange[]> {
  if (!invoiceIds.length) return []
  const result = await tx.execute<{ invoice_id: string; from_status: InvoiceStatus; to_status: InvoiceStatus }>(sql`
    with before as (
      select invoice_id, status from invoices
      where tenant_id = ${tenantId} and invoice_id = any(${sql.param(invoiceIds)}::text[])
      for update
    ), next as (
      select i.invoice_id, b.status as from_status,
        case
          when i.cancelled_at is not null then 'cancelled'
          when i.written_off_at is not null then 'written_off'
          when i.amount_paid + i.amount_credited >= i.amount_total then 'paid'
          when exists (select 1 from holds h where h.tenant_id = i.tenant_id and h.invoice_id = i.invoice_id
                       and h.kind = 'dispute' and h.status = 'active') then 'disputed'
          when i.amount_paid + i.amount_credited > 0 then 'partially_paid'
          else 'open'
        end as to_status
      from invoices i join before b on b.invoice_id = i.invoice_id
      where i.tenant_id = ${tenantId}
    )
    update invoices i set
      status = n.to_status,
      paid_at = case when n.to_status = 'paid' then coalesce(i.paid_at, now()) else null end,
      -- The engine looks again at anything it may now chase, or thank (paid after a reminder).
      -- 'epoch' means "at the next pass", whatever the tenant's clock says now.
      next_action_at = case
        when n.to_status in ('open', 'partially_paid') then 'epoch'::timestamptz
        when n.to_status = 'paid' and i.dunning_step >= 0 then 'epoch'::timestamptz
        else null end,
      updated_at = now()
    from next n
    where i.tenant_id = ${tenantId} and i.invoice_id = n.invoice_id and n.from_status <> n.to_status
    returning i.invoice_id, n.from_status, n.to_status`)
  // Events follow the order the caller gave (e.g. the order money was applied), not the table's.
  const order = new Map(invoiceIds.map((id, i) => [id, i]))
  const changes = result.rows
    .map((r) => ({ invoiceId: r.invoice_id, from: r.from_status, to: r.to_status }))
    .sort((a, b) => order.get(a.invoiceId)! - order.get(b.invoiceId)!)
  const withEvents = changes.filter((c) => transitionEvent(c.from, c.to))
  if (withEvents.length) {
    const objects = await invoiceDtosByIds(tx, tenantId, withEvents.map((c) => c.invoiceId))
    const pending: PendingEvent[] = withEvents.map((c) => ({
      type: transitionEvent(c.from, c.to)!,
      objectId: c.invoiceId,
      object: objects.get(c.invoiceId) ?? { id: c.invoiceId },
    }))
    await emitEvents(tx, tenantId, pending)
  }
  return changes
}
