import { sql } from 'drizzle-orm'
import { boolean, pgTable, primaryKey, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core'
import { objectColumns, tenantIsolation } from '../../db/columns.js'

/**
 * A sandbox tenant's own "now". While a clock is attached the engine and every date rule of the
 * tenant read the clock instead of the wall clock, so a 60-day scenario plays in seconds.
 */
export const testClocks = pgTable(
  'test_clocks',
  {
    tenantId: text('tenant_id').notNull(),
    clockId: text('clock_id').notNull(),
    name: text('name').notNull(),
    frozenTime: timestamp('frozen_time', { withTimezone: true }).notNull(),
    status: text('status', { enum: ['ready', 'advancing'] }).notNull().default('ready'),
    attached: boolean('attached').notNull().default(true),
    ...objectColumns,
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.clockId] }),
    uniqueIndex('test_clocks_tenant_external_ref_key').on(t.tenantId, t.externalRef),
    // At most one attached clock per tenant.
    uniqueIndex('test_clocks_one_attached_key').on(t.tenantId).where(sql`attached`),
    tenantIsolation('test_clocks'),
  ],
)
