import { sql } from 'drizzle-orm'
import { customType, jsonb, pgPolicy, text, timestamp } from 'drizzle-orm/pg-core'

/** Columns every tenant-owned object carries (CONVENTIONS.md: object shape). */
export const timestamps = {
  createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
}

export const objectColumns = {
  externalRef: text('external_ref'),
  metadata: jsonb('metadata').$type<Record<string, string>>().notNull().default({}),
  ...timestamps,
}

/**
 * Row-level security: the second wall behind service-level scoping. A transaction sees a row only
 * when it set `app.tenant_id` to the row's tenant, or declared itself system code (`app.scope`),
 * which only authentication, platform routes and cross-tenant jobs do.
 */
export function tenantIsolation(table: string) {
  return pgPolicy(`${table}_tenant_isolation`, {
    as: 'permissive',
    for: 'all',
    using: sql`tenant_id = current_setting('app.tenant_id', true) OR current_setting('app.scope', true) = 'system'`,
    withCheck: sql`tenant_id = current_setting('app.tenant_id', true) OR current_setting('app.scope', true) = 'system'`,
  })
}

export function systemOnly(table: string) {
  return pgPolicy(`${table}_system_only`, {
    as: 'permissive',
    for: 'all',
    using: sql`current_setting('app.scope', true) = 'system'`,
    withCheck: sql`current_setting('app.scope', true) = 'system'`,
  })
}

/** Binary content (PDFs, proofs) as a Buffer. */
export const bytea = customType<{ data: Buffer }>({ dataType: () => 'bytea' })
