import { and, count, desc, eq, isNull, lt, type SQL } from 'drizzle-orm'
import type { Tx } from '../../db/client.js'
import { tenants } from '../tenants/tenants.tables.js'
import { apiKeys, platformKeys } from './api-keys.tables.js'

export type ApiKeyRow = typeof apiKeys.$inferSelect & { mode: 'live' | 'sandbox' }

const withMode = { key: apiKeys, mode: tenants.mode }

function flatten(rows: { key: typeof apiKeys.$inferSelect; mode: 'live' | 'sandbox' }[]): ApiKeyRow[] {
  return rows.map((r) => ({ ...r.key, mode: r.mode }))
}

export async function insertApiKey(tx: Tx, row: typeof apiKeys.$inferInsert) {
  const [created] = await tx.insert(apiKeys).values(row).returning()
  return created!
}

export async function findApiKey(tx: Tx, tenantId: string, keyId: string): Promise<ApiKeyRow | undefined> {
  const rows = await tx
    .select(withMode)
    .from(apiKeys)
    .innerJoin(tenants, eq(tenants.tenantId, apiKeys.tenantId))
    .where(and(eq(apiKeys.tenantId, tenantId), eq(apiKeys.keyId, keyId)))
  return flatten(rows)[0]
}

export async function listApiKeys(
  tx: Tx,
  tenantId: string,
  filter: { limit: number; startingAfter?: string; includeRevoked: boolean },
): Promise<ApiKeyRow[]> {
  const where: SQL[] = [eq(apiKeys.tenantId, tenantId)]
  if (filter.startingAfter) where.push(lt(apiKeys.keyId, filter.startingAfter))
  if (!filter.includeRevoked) where.push(isNull(apiKeys.revokedAt))
  const rows = await tx
    .select(withMode)
    .from(apiKeys)
    .innerJoin(tenants, eq(tenants.tenantId, apiKeys.tenantId))
    .where(and(...where))
    .orderBy(desc(apiKeys.keyId))
    .limit(filter.limit + 1)
  return flatten(rows)
}

export async function revokeApiKey(tx: Tx, tenantId: string, keyId: string) {
  const now = new Date()
  await tx
    .update(apiKeys)
    .set({ revokedAt: now, updatedAt: now })
    .where(and(eq(apiKeys.tenantId, tenantId), eq(apiKeys.keyId, keyId), isNull(apiKeys.revokedAt)))
}

export async function countPlatformKeys(tx: Tx): Promise<number> {
  const [row] = await tx.select({ n: count() }).from(platformKeys).where(isNull(platformKeys.revokedAt))
  return row?.n ?? 0
}

export async function insertPlatformKey(tx: Tx, row: typeof platformKeys.$inferInsert) {
  await tx.insert(platformKeys).values(row).onConflictDoNothing({ target: platformKeys.keyHash })
}
