import { sql } from 'drizzle-orm'
import { withSystem, withTenant, type Db } from '../../db/client.js'
import { newId } from '../../shared/ids.js'
import { emitEvents } from '../events/events.service.js'

export type TrackingHit = 'opened' | 'link_clicked'

/**
 * One hit of the pixel or the link: always a timeline entry (a debtor who read three reminders
 * cannot claim ignorance), and the outbox event the first time only. The dispatch row is locked
 * so two simultaneous first hits announce once. Returns the tracked link, or null for an unknown dispatch.
 */
export async function recordTrackingHit(db: Db, dispatchId: string, hit: TrackingHit): Promise<{ link: string | null } | null> {
  const owner = await withSystem(db, (tx) => tx.execute<{ tenant_id: string }>(sql`select tenant_id from dispatches where dispatch_id = ${dispatchId}`))
  const tenantId = owner.rows[0]?.tenant_id
  if (!tenantId) return null
  return withTenant(db, tenantId, async (tx) => {
    const locked = await tx.execute<{ link: string | null; object: Record<string, unknown>; seen: boolean }>(sql`
      select s.content->>'tracked_link' as link,
             exists (select 1 from dispatch_events e where e.tenant_id = s.tenant_id and e.dispatch_id = s.dispatch_id and e.raw_status = ${hit}) as seen,
             json_build_object('object', 'dispatch', 'id', s.dispatch_id, 'debtor_id', s.debtor_id, 'step_key', s.step_key,
               'channel', s.channel, 'status', s.status, 'provider_ref', s.provider_ref, 'failure_code', s.failure_code,
               'failure_reason', s.failure_reason, 'invoice_ids', s.details->'invoice_ids', 'sent_at', s.sent_at, 'updated_at', s.updated_at) as object
      from dispatches s where s.tenant_id = ${tenantId} and s.dispatch_id = ${dispatchId} for update`)
    const row = locked.rows[0]!
    await tx.execute(sql`
      insert into dispatch_events (tenant_id, event_id, dispatch_id, status, raw_status, reason, occurred_at)
      values (${tenantId}, ${newId('dispatchEvent')}, ${dispatchId}, null, ${hit}, null, clock_timestamp())`)
    if (!row.seen) await emitEvents(tx, tenantId, [{ type: `dispatch.${hit}`, objectId: dispatchId, object: row.object }])
    return { link: row.link }
  })
}
