import { and, desc, eq, lt, type SQL } from 'drizzle-orm'
import type { Tx } from '../../db/client.js'
import { testClocks } from './test-clocks.tables.js'

export type TestClockRow = typeof testClocks.$inferSelect

export async function insertClock(tx: Tx, row: typeof testClocks.$inferInsert): Promise<TestClockRow> {
  const [created] = await tx.insert(testClocks).values(row).returning()
  return created!
}

export async function findClock(tx: Tx, tenantId: string, clockId: string, forUpdate = false) {
  const query = tx.select().from(testClocks).where(and(eq(testClocks.tenantId, tenantId), eq(testClocks.clockId, clockId)))
  const [row] = forUpdate ? await query.for('update') : await query
  return row
}

export async function attachedClock(tx: Tx, tenantId: string): Promise<TestClockRow | undefined> {
  const [row] = await tx
    .select()
    .from(testClocks)
    .where(and(eq(testClocks.tenantId, tenantId), eq(testClocks.attached, true)))
  return row
}

export async function listClocks(tx: Tx, tenantId: string, filter: { limit: number; startingAfter?: string }) {
  const where: SQL[] = [eq(testClocks.tenantId, tenantId)]
  if (filter.startingAfter) where.push(lt(testClocks.clockId, filter.startingAfter))
  return tx.select().from(testClocks).where(and(...where)).orderBy(desc(testClocks.clockId)).limit(filter.limit + 1)
}

export async function updateClock(tx: Tx, tenantId: string, clockId: string, changes: Partial<typeof testClocks.$inferInsert>) {
  const [row] = await tx
    .update(testClocks)
    .set({ ...changes, updatedAt: new Date() })
    .where(and(eq(testClocks.tenantId, tenantId), eq(testClocks.clockId, clockId)))
    .returning()
  return row!
}
