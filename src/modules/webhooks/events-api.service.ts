import { and, desc, eq, gte, lt, sql, type SQL } from 'drizzle-orm'
import type { Tx } from '../../db/client.js'
import { iso, page } from '../../platform/api-schemas.js'
import { requireTenant, type Principal } from '../../platform/auth.js'
import { AppError, notFound } from '../../shared/errors.js'
import { events } from '../events/events.tables.js'
import { EVENT_RETENTION_DAYS, type EventDto, type ListEventsQuery } from './events-api.schema.js'
import { insertDeliveries, TEST_EVENT } from './pump.repository.js'
import { webhookEndpoints } from './webhooks.tables.js'

type EventRow = typeof events.$inferSelect

function toEventDto(row: EventRow): EventDto {
  return {
    object: 'event',
    id: row.eventId,
    type: row.type,
    created_at: iso(row.createdAt)!,
    tenant_id: row.tenantId,
    object_id: row.objectId,
    data: row.data as EventDto['data'],
  }
}

const retentionStart = (now = Date.now()) => new Date(now - EVENT_RETENTION_DAYS * 86_400_000)

/** Newest first, the last 30 days only; filters by type, object and creation time. */
export async function listEvents(tx: Tx, principal: Principal, query: ListEventsQuery) {
  const tenantId = requireTenant(principal)
  const where: SQL[] = [eq(events.tenantId, tenantId), gte(events.createdAt, retentionStart())]
  if (query.starting_after) where.push(lt(events.eventId, query.starting_after))
  if (query.type) where.push(eq(events.type, query.type))
  if (query.object_id) where.push(eq(events.objectId, query.object_id))
  if (query.created_gte) where.push(gte(events.createdAt, new Date(query.created_gte)))
  if (query.created_lt) where.push(lt(events.createdAt, new Date(query.created_lt)))
  const rows = await tx.select().from(events).where(and(...where)).orderBy(desc(events.eventId)).limit(query.limit + 1)
  return page(rows.map(toEventDto), query.limit)
}

async function findRecentEvent(tx: Tx, tenantId: string, eventId: string): Promise<EventRow> {
  const [row] = await tx
    .select()
    .from(events)
    .where(and(eq(events.tenantId, tenantId), eq(events.eventId, eventId), gte(events.createdAt, retentionStart())))
  if (!row) throw notFound('event', eventId)
  return row
}

export async function getEvent(tx: Tx, principal: Principal, eventId: string) {
  return toEventDto(await findRecentEvent(tx, requireTenant(principal), eventId))
}

/**
 * New deliveries of an event (same webhook-id, so receivers that already have it deduplicate),
 * to one endpoint or to every enabled endpoint that matches its type today.
 */
export async function resendEvent(tx: Tx, principal: Principal, eventId: string, endpointId?: string) {
  const tenantId = requireTenant(principal)
  const event = await findRecentEvent(tx, tenantId, eventId)
  const w = webhookEndpoints
  const where: SQL[] = [eq(w.tenantId, tenantId), eq(w.enabled, true)]
  if (endpointId) where.push(eq(w.endpointId, endpointId))
  else if (event.type === TEST_EVENT) where.push(eq(w.endpointId, event.objectId))
  else where.push(sql`(${event.type} = any(${w.enabledEvents}) or '*' = any(${w.enabledEvents}))`)
  const targets = await tx.select({ endpointId: w.endpointId }).from(w).where(and(...where)).orderBy(w.endpointId)
  if (endpointId && !targets.length) {
    throw new AppError('not_found', `No enabled webhook endpoint with id ${endpointId}`, [{ path: 'body.endpoint_id', message: 'No such enabled endpoint' }])
  }
  const created = await insertDeliveries(
    tx,
    new Date(),
    targets.map((t) => ({ tenant_id: tenantId, event_id: eventId, endpoint_id: t.endpointId })),
  )
  return { object: 'event_resend' as const, event_id: eventId, deliveries: created.map((c) => ({ id: c.delivery_id, endpoint_id: c.endpoint_id })) }
}
