import { and, desc, eq, gte, lt, type SQL } from 'drizzle-orm'
import type { Tx } from '../../db/client.js'
import { webhookAttempts, webhookDeliveries, webhookEndpoints } from './webhooks.tables.js'

export type EndpointRow = typeof webhookEndpoints.$inferSelect

const byId = (tenantId: string, endpointId: string) => and(eq(webhookEndpoints.tenantId, tenantId), eq(webhookEndpoints.endpointId, endpointId))

export async function insertEndpoint(tx: Tx, row: typeof webhookEndpoints.$inferInsert): Promise<EndpointRow> {
  const [created] = await tx.insert(webhookEndpoints).values(row).returning()
  return created!
}

export async function findEndpoint(tx: Tx, tenantId: string, endpointId: string, forUpdate = false): Promise<EndpointRow | undefined> {
  const query = tx.select().from(webhookEndpoints).where(byId(tenantId, endpointId))
  const [row] = forUpdate ? await query.for('update') : await query
  return row
}

export async function listEndpoints(tx: Tx, tenantId: string, limit: number, startingAfter?: string): Promise<EndpointRow[]> {
  const where: SQL[] = [eq(webhookEndpoints.tenantId, tenantId)]
  if (startingAfter) where.push(lt(webhookEndpoints.endpointId, startingAfter))
  return tx.select().from(webhookEndpoints).where(and(...where)).orderBy(desc(webhookEndpoints.endpointId)).limit(limit + 1)
}

export async function updateEndpoint(tx: Tx, tenantId: string, endpointId: string, set: Partial<typeof webhookEndpoints.$inferInsert>): Promise<EndpointRow> {
  const [row] = await tx.update(webhookEndpoints).set({ ...set, updatedAt: new Date() }).where(byId(tenantId, endpointId)).returning()
  return row!
}

export async function deleteEndpoint(tx: Tx, tenantId: string, endpointId: string): Promise<boolean> {
  const deleted = await tx.delete(webhookEndpoints).where(byId(tenantId, endpointId)).returning({ id: webhookEndpoints.endpointId })
  return deleted.length > 0
}

export interface AttemptFilter {
  limit: number
  startingAfter?: string
  eventId?: string
  succeeded?: boolean
}

export async function listAttempts(tx: Tx, tenantId: string, endpointId: string, filter: AttemptFilter) {
  const a = webhookAttempts
  const where: SQL[] = [eq(a.tenantId, tenantId), eq(a.endpointId, endpointId)]
  if (filter.startingAfter) where.push(lt(a.attemptId, filter.startingAfter))
  if (filter.eventId) where.push(eq(a.eventId, filter.eventId))
  if (filter.succeeded !== undefined) where.push(eq(a.succeeded, filter.succeeded))
  return tx
    .select({ attempt: a, deliveryStatus: webhookDeliveries.status })
    .from(a)
    .innerJoin(webhookDeliveries, and(eq(webhookDeliveries.tenantId, a.tenantId), eq(webhookDeliveries.deliveryId, a.deliveryId)))
    .where(and(...where))
    .orderBy(desc(a.attemptId))
    .limit(filter.limit + 1)
}

/** Failed deliveries of an endpoint created since `since` start the retry schedule again, now. */
export async function requeueFailedDeliveries(tx: Tx, tenantId: string, endpointId: string, since: Date, now: Date): Promise<number> {
  const d = webhookDeliveries
  const rows = await tx
    .update(d)
    .set({ status: 'pending', retryStep: 0, nextAttemptAt: now, completedAt: null, updatedAt: now })
    .where(and(eq(d.tenantId, tenantId), eq(d.endpointId, endpointId), eq(d.status, 'failed'), gte(d.createdAt, since)))
    .returning({ id: d.deliveryId })
  return rows.length
}

/** A disabled endpoint's waiting deliveries fail now; `recover` can send them again later. */
export async function failPendingDeliveries(tx: Tx, tenantId: string, endpointId: string, reason: string, now: Date): Promise<void> {
  const d = webhookDeliveries
  await tx
    .update(d)
    .set({ status: 'failed', lastError: reason, nextAttemptAt: null, completedAt: now, updatedAt: now })
    .where(and(eq(d.tenantId, tenantId), eq(d.endpointId, endpointId), eq(d.status, 'pending')))
}
