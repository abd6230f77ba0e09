import { and, desc, eq, inArray, lt, type SQL } from 'drizzle-orm'
import type { Tx } from '../../db/client.js'
import { debtors } from './debtors.tables.js'

export type DebtorRow = typeof debtors.$inferSelect
export type DebtorInsert = typeof debtors.$inferInsert
export type DebtorChanges = Partial<Omit<DebtorInsert, 'tenantId' | 'debtorId' | 'createdAt' | 'updatedAt'>>

export async function findDebtor(tx: Tx, tenantId: string, debtorId: string, forUpdate = false): Promise<DebtorRow | undefined> {
  const query = tx
    .select()
    .from(debtors)
    .where(and(eq(debtors.tenantId, tenantId), eq(debtors.debtorId, debtorId)))
  const [row] = forUpdate ? await query.for('update') : await query
  return row
}

export async function findDebtors(tx: Tx, tenantId: string, debtorIds: string[]): Promise<DebtorRow[]> {
  if (!debtorIds.length) return []
  return tx
    .select()
    .from(debtors)
    .where(and(eq(debtors.tenantId, tenantId), inArray(debtors.debtorId, [...new Set(debtorIds)])))
}

export async function insertDebtor(tx: Tx, row: DebtorInsert): Promise<DebtorRow> {
  const [created] = await tx.insert(debtors).values(row).returning()
  return created!
}

export interface DebtorFilter {
  limit: number
  startingAfter?: string
  kind?: DebtorRow['kind']
  segment?: string
  country?: string
  externalRef?: string
}

/** Newest first: ids are time-ordered, so the id is the cursor. */
export async function listDebtors(tx: Tx, tenantId: string, filter: DebtorFilter): Promise<DebtorRow[]> {
  const where: SQL[] = [eq(debtors.tenantId, tenantId)]
  if (filter.startingAfter) where.push(lt(debtors.debtorId, filter.startingAfter))
  if (filter.kind) where.push(eq(debtors.kind, filter.kind))
  if (filter.segment) where.push(eq(debtors.segment, filter.segment))
  if (filter.country) where.push(eq(debtors.country, filter.country))
  if (filter.externalRef) where.push(eq(debtors.externalRef, filter.externalRef))
  return tx
    .select()
    .from(debtors)
    .where(and(...where))
    .orderBy(desc(debtors.debtorId))
    .limit(filter.limit + 1)
}

export async function updateDebtor(tx: Tx, tenantId: string, debtorId: string, changes: DebtorChanges): Promise<DebtorRow> {
  const [row] = await tx
    .update(debtors)
    .set({ ...changes, updatedAt: new Date() })
    .where(and(eq(debtors.tenantId, tenantId), eq(debtors.debtorId, debtorId)))
    .returning()
  return row!
}
