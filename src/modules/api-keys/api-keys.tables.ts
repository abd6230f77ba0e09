import { index, pgTable, primaryKey, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core'
import { objectColumns, systemOnly, tenantIsolation, timestamps } from '../../db/columns.js'
import { tenants } from '../tenants/tenants.tables.js'

/** Tenant API keys. Only the SHA-256 of the secret is kept; `prefix` lets a human recognise a key. */
export const apiKeys = pgTable(
  'api_keys',
  {
    tenantId: text('tenant_id')
      .notNull()
      .references(() => tenants.tenantId, { onDelete: 'cascade' }),
    keyId: text('key_id').notNull(),
    name: text('name').notNull(),
    prefix: text('prefix').notNull(),
    keyHash: text('key_hash').notNull(),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
    expiresAt: timestamp('expires_at', { withTimezone: true }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    ...objectColumns,
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.keyId] }),
    uniqueIndex('api_keys_tenant_hash_key').on(t.tenantId, t.keyHash),
    uniqueIndex('api_keys_tenant_external_ref_key').on(t.tenantId, t.externalRef),
    // Authentication looks a key up by hash before it knows the tenant.
    index('api_keys_hash_idx').on(t.keyHash),
    tenantIsolation('api_keys'),
  ],
)

/**
 * Keys of the integrator's platform: create tenants and act for any of them. Not tenant data, so
 * no tenant_id: under Citus this is a small reference table.
 */
export const platformKeys = pgTable(
  'platform_keys',
  {
    keyId: text('key_id').primaryKey(),
    name: text('name').notNull(),
    prefix: text('prefix').notNull(),
    keyHash: text('key_hash').notNull(),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    ...timestamps,
  },
  (t) => [uniqueIndex('platform_keys_hash_key').on(t.keyHash), systemOnly('platform_keys')],
)
