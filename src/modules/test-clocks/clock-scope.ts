import { sql, type SQL } from 'drizzle-orm'

/**
 * Which tenants a time-driven pass (engine, hold expiry, plan breaches) covers: one tenant, as of
 * its test clock, or every tenant that runs on the wall clock. A tenant with an attached test clock
 * is left alone by the wall-clock jobs: only advancing its clock moves its time.
 */
export type ClockScope = { tenantId: string } | { wallClockTenants: true }

export const WALL_CLOCK: ClockScope = { wallClockTenants: true }

export function clockScopeFilter(scope: ClockScope, tenantColumn: SQL): SQL {
  return 'tenantId' in scope
    ? sql`${tenantColumn} = ${scope.tenantId}`
    : sql`not exists (select 1 from test_clocks c where c.tenant_id = ${tenantColumn} and c.attached)`
}
