import type { Tx } from '../../db/client.js'
import { iso, page } from '../../platform/api-schemas.js'
import type { Principal } from '../../platform/auth.js'
import { requirePlatform } from '../../platform/auth.js'
import { assertIfMatch } from '../../platform/etag.js'
import { newId } from '../../shared/ids.js'
import { AppError, notFound } from '../../shared/errors.js'
import { uniqueExternalRef } from '../../shared/pg-errors.js'
import * as repo from './tenants.repository.js'
import type { CreateTenantInput, ListTenantsQuery, TenantDto, UpdateTenantInput } from './tenants.schema.js'

export function toTenantDto(row: repo.TenantRow): TenantDto {
  return {
    object: 'tenant',
    id: row.tenantId,
    name: row.name,
    mode: row.mode,
    country: row.country,
    tracking_enabled: row.trackingEnabled,
    external_ref: row.externalRef,
    metadata: row.metadata,
    created_at: iso(row.createdAt)!,
    updated_at: iso(row.updatedAt)!,
  }
}

export async function createTenant(tx: Tx, principal: Principal, input: CreateTenantInput): Promise<TenantDto> {
  requirePlatform(principal)
  // Acting for a tenant, the transaction only sees that tenant: the insert would break row-level security.
  if (principal.tenantId) {
    throw new AppError('validation_failed', 'Creating a tenant is a platform operation: send it without Relance-Tenant.', [
      { path: 'headers.relance-tenant', message: 'Not allowed when creating a tenant' },
    ])
  }
  const row = await uniqueExternalRef('tenant', input.external_ref, () =>
    repo.insertTenant(tx, {
      tenantId: newId('tenant'),
      name: input.name,
      mode: input.mode,
      country: input.country,
      trackingEnabled: input.tracking_enabled,
      externalRef: input.external_ref ?? null,
      metadata: input.metadata ?? {},
    }),
  )
  return toTenantDto(row)
}

// A tenant key sees its own tenant only; row-level security says the same a second time.
function visible(principal: Principal, tenantId: string): boolean {
  return principal.tenantId === null || principal.tenantId === tenantId
}

export async function getTenant(tx: Tx, principal: Principal, tenantId: string): Promise<TenantDto> {
  const row = visible(principal, tenantId) ? await repo.findTenant(tx, tenantId) : undefined
  if (!row) throw notFound('tenant', tenantId)
  return toTenantDto(row)
}

export async function listTenants(tx: Tx, query: ListTenantsQuery) {
  const rows = await repo.listTenants(tx, { limit: query.limit, startingAfter: query.starting_after, mode: query.mode })
  return page(rows.map(toTenantDto), query.limit)
}

export async function updateTenant(
  tx: Tx,
  principal: Principal,
  tenantId: string,
  input: UpdateTenantInput,
  ifMatch?: string,
): Promise<TenantDto> {
  const current = visible(principal, tenantId) ? await repo.findTenant(tx, tenantId, true) : undefined
  if (!current) throw notFound('tenant', tenantId)
  assertIfMatch(ifMatch, toTenantDto(current))
  const row = await uniqueExternalRef('tenant', input.external_ref, () =>
    repo.updateTenant(tx, tenantId, {
      ...(input.name !== undefined && { name: input.name }),
      ...(input.country !== undefined && { country: input.country }),
      ...(input.tracking_enabled !== undefined && { trackingEnabled: input.tracking_enabled }),
      ...(input.external_ref !== undefined && { externalRef: input.external_ref }),
      ...(input.metadata !== undefined && { metadata: input.metadata }),
    }),
  )
  return toTenantDto(row)
}
