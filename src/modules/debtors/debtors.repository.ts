import { and, eq } from 'drizzle-orm'
import type { Tx } from '../../db/client.js'
import { debtors } from './debtors.tables.js'

export type DebtorRow = typeof debtors.$inferSelect

export async function findDebtor(tx: Tx, tenantId: string, debtorId: string): Promise<DebtorRow | undefined> {
  const [row] = await tx
    .select()
    .from(debtors)
    .where(and(eq(debtors.tenantId, tenantId), eq(debtors.debtorId, debtorId)))
  return row
}
