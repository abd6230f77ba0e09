import { and, desc, eq, lt, type SQL } from 'drizzle-orm'
import type { Tx } from '../../db/client.js'
import { tenants } from './tenants.tables.js'

export type TenantRow = typeof tenants.$inferSelect

export async function insertTenant(tx: Tx, row: typeof tenants.$inferInsert): Promise<TenantRow> {
  const [created] = await tx.insert(tenants).values(row).returning()
  return created!
}

export async function findTenant(tx: Tx, tenantId: string, forUpdate = false): Promise<TenantRow | undefined> {
  const query = tx.select().from(tenants).where(eq(tenants.tenantId, tenantId))
  const [row] = forUpdate ? await query.for('update') : await query
  return row
}

export async function listTenants(
  tx: Tx,
  filter: { limit: number; startingAfter?: string; mode?: 'live' | 'sandbox' },
): Promise<TenantRow[]> {
  const where: SQL[] = []
  if (filter.startingAfter) where.push(lt(tenants.tenantId, filter.startingAfter))
  if (filter.mode) where.push(eq(tenants.mode, filter.mode))
  return tx
    .select()
    .from(tenants)
    .where(and(...where))
    .orderBy(desc(tenants.tenantId))
    .limit(filter.limit + 1)
}

export async function updateTenant(
  tx: Tx,
  tenantId: string,
  changes: Partial<Pick<TenantRow, 'name' | 'country' | 'externalRef' | 'metadata' | 'trackingEnabled'>>,
): Promise<TenantRow> {
  const [row] = await tx
    .update(tenants)
    .set({ ...changes, updatedAt: new Date() })
    .where(eq(tenants.tenantId, tenantId))
    .returning()
  return row!
}
