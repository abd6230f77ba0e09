import { and, asc, desc, eq, gt, gte, lt, type SQL } from 'drizzle-orm'
import type { Tx } from '../../db/client.js'
import type { AuditEntry } from './audit-hash.js'
import { tenants } from '../tenants/tenants.tables.js'
import { auditLog } from './audit.tables.js'

type AuditRow = typeof auditLog.$inferSelect

export function toEntry(row: AuditRow): AuditEntry {
  return {
    tenant_id: row.tenantId,
    sequence: row.sequence,
    occurred_at: row.occurredAt.toISOString(),
    actor: row.actor,
    action: row.action,
    object_type: row.objectType,
    object_id: row.objectId,
    debtor_id: row.debtorId,
    event_id: row.eventId,
    snapshot: row.snapshot,
    snapshot_sha256: row.snapshotSha256,
    prev_hash: row.prevHash,
    hash: row.hash,
  }
}

export interface AuditFilter {
  limit: number
  afterSequence?: number
  objectId?: string
  debtorId?: string
  action?: string
  occurredAfter?: Date
  occurredBefore?: Date
}

/** In chain order (oldest first); one more row than asked so the caller knows whether more follow. */
export async function listEntries(tx: Tx, tenantId: string, filter: AuditFilter): Promise<AuditEntry[]> {
  const where: SQL[] = [eq(auditLog.tenantId, tenantId)]
  if (filter.afterSequence !== undefined) where.push(gt(auditLog.sequence, filter.afterSequence))
  if (filter.objectId) where.push(eq(auditLog.objectId, filter.objectId))
  if (filter.debtorId) where.push(eq(auditLog.debtorId, filter.debtorId))
  if (filter.action) where.push(eq(auditLog.action, filter.action))
  if (filter.occurredAfter) where.push(gte(auditLog.occurredAt, filter.occurredAfter))
  if (filter.occurredBefore) where.push(lt(auditLog.occurredAt, filter.occurredBefore))
  const rows = await tx.select().from(auditLog).where(and(...where)).orderBy(asc(auditLog.sequence)).limit(filter.limit + 1)
  return rows.map(toEntry)
}

/** The next `limit` entries of the chain after `afterSequence`, for verification. */
export async function chainPage(tx: Tx, tenantId: string, afterSequence: number, limit: number): Promise<AuditEntry[]> {
  const rows = await tx
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.tenantId, tenantId), gt(auditLog.sequence, afterSequence)))
    .orderBy(asc(auditLog.sequence))
    .limit(limit)
  return rows.map(toEntry)
}

export async function chainHead(tx: Tx, tenantId: string): Promise<{ sequence: number; hash: string } | null> {
  const [row] = await tx
    .select({ sequence: auditLog.sequence, hash: auditLog.hash })
    .from(auditLog)
    .where(eq(auditLog.tenantId, tenantId))
    .orderBy(desc(auditLog.sequence))
    .limit(1)
  return row ?? null
}

/** Every entry about one debtor's case, in chain order. */
export async function entriesOfCase(tx: Tx, tenantId: string, debtorId: string): Promise<AuditEntry[]> {
  const rows = await tx
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.tenantId, tenantId), eq(auditLog.debtorId, debtorId)))
    .orderBy(asc(auditLog.sequence))
  return rows.map(toEntry)
}

/** Every tenant, for the cross-tenant check (system scope); one without entries verifies as empty. */
export async function allTenantIds(tx: Tx): Promise<string[]> {
  const rows = await tx.select({ tenantId: tenants.tenantId }).from(tenants).orderBy(asc(tenants.tenantId))
  return rows.map((r) => r.tenantId)
}
