import { principalCache } from '../../platform/principal-cache.js'
import { sql } from 'drizzle-orm'
import type { Tx } from '../../db/client.js'
import { iso, page } from '../../platform/api-schemas.js'
import { requireTenant, type Principal } from '../../platform/auth.js'
import { randomBase62, sha256Hex } from '../../shared/crypto.js'
import { notFound } from '../../shared/errors.js'
import { newId } from '../../shared/ids.js'
import { uniqueExternalRef } from '../../shared/pg-errors.js'
import { findTenant } from '../tenants/tenants.repository.js'
import * as repo from './api-keys.repository.js'
import type { ApiKeyDto, CreateApiKeyInput, ListApiKeysQuery } from './api-keys.schema.js'

const PREFIX_LENGTH = 12

export function toApiKeyDto(row: repo.ApiKeyRow, secret?: string): ApiKeyDto {
  return {
    object: 'api_key',
    id: row.keyId,
    name: row.name,
    prefix: row.prefix,
    ...(secret ? { secret } : {}),
    mode: row.mode,
    expires_at: iso(row.expiresAt),
    revoked_at: iso(row.revokedAt),
    external_ref: row.externalRef,
    metadata: row.metadata,
    created_at: iso(row.createdAt)!,
    updated_at: iso(row.updatedAt)!,
  }
}

/** `rl_live_…` for live tenants, `rl_test_…` for sandbox ones, `rl_platform_…` for platform keys. */
export function generateSecret(kind: 'live' | 'test' | 'platform'): string {
  return `rl_${kind}_${randomBase62(32)}`
}

export async function createApiKey(tx: Tx, principal: Principal, input: CreateApiKeyInput): Promise<ApiKeyDto> {
  const tenantId = requireTenant(principal)
  const tenant = await findTenant(tx, tenantId)
  if (!tenant) throw notFound('tenant', tenantId)
  const secret = generateSecret(tenant.mode === 'live' ? 'live' : 'test')
  const row = await uniqueExternalRef('API key', input.external_ref, () =>
    repo.insertApiKey(tx, {
      tenantId,
      keyId: newId('apiKey'),
      name: input.name,
      prefix: secret.slice(0, PREFIX_LENGTH),
      keyHash: sha256Hex(secret),
      expiresAt: input.expires_at ? new Date(input.expires_at) : null,
      externalRef: input.external_ref ?? null,
      metadata: input.metadata ?? {},
    }),
  )
  return toApiKeyDto({ ...row, mode: tenant.mode }, secret)
}

export async function getApiKey(tx: Tx, principal: Principal, keyId: string): Promise<ApiKeyDto> {
  const row = await repo.findApiKey(tx, requireTenant(principal), keyId)
  if (!row) throw notFound('API key', keyId)
  return toApiKeyDto(row)
}

export async function listApiKeys(tx: Tx, principal: Principal, query: ListApiKeysQuery) {
  const rows = await repo.listApiKeys(tx, requireTenant(principal), {
    limit: query.limit,
    startingAfter: query.starting_after,
    includeRevoked: query.include_revoked,
  })
  return page(rows.map((row) => toApiKeyDto(row)), query.limit)
}

/** Revoking is immediate and final; revoking twice answers the same revoked key. */
export async function revokeApiKey(tx: Tx, principal: Principal, keyId: string): Promise<ApiKeyDto> {
  const tenantId = requireTenant(principal)
  await repo.revokeApiKey(tx, tenantId, keyId)
  principalCache.forgetKey(keyId)
  return getApiKey(tx, principal, keyId)
}

/**
 * First start: with no platform key yet, make one and hand its secret back to be printed once.
 * `RELANCE_BOOTSTRAP_KEY` instead installs a key the operator chose (and nothing is printed).
 */
export async function ensureBootstrapKey(tx: Tx, chosen?: string): Promise<string | null> {
  // API and worker replicas start together: only one of them may mint the first key.
  await tx.execute(sql`select pg_advisory_xact_lock(7420520)`)
  if (chosen) {
    await repo.insertPlatformKey(tx, {
      keyId: newId('platformKey'),
      name: 'bootstrap (RELANCE_BOOTSTRAP_KEY)',
      prefix: chosen.slice(0, PREFIX_LENGTH + 4),
      keyHash: sha256Hex(chosen),
    })
    return null
  }
  if ((await repo.countPlatformKeys(tx)) > 0) return null
  const secret = generateSecret('platform')
  await repo.insertPlatformKey(tx, {
    keyId: newId('platformKey'),
    name: 'bootstrap',
    prefix: secret.slice(0, PREFIX_LENGTH + 4),
    keyHash: sha256Hex(secret),
  })
  return secret
}
