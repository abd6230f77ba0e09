/**
 * How the schema maps onto Citus (docs/scaling.md). Every table not listed here is distributed by
 * `tenant_id`, co-located with the others, and every key of it leads with `tenant_id`
 * (test/integration/schema-tenant-keys.test.ts fails otherwise).
 */

/** Small, global, rarely written: Citus reference tables, copied to every node. */
export const REFERENCE_TABLES: ReadonlyMap<string, string> = new Map([
  ['tenants', 'one row per creditor; joined from every tenant table and looked up by the integrator\'s external_ref across tenants'],
  ['platform_keys', 'the integrator\'s platform keys: not tenant data, looked up by hash before any tenant is known'],
  ['webhook_signing_keys', 'Relance\'s own JWS keys, published in the JWKS for every tenant'],
  ['law_rates', 'the dated legal rates (ECB, legal interest): the same law for every tenant'],
])

/**
 * Agenda's tables (created by @agendajs/postgres-backend at start, not by our migrations): a handful
 * of rows, one per recurring job, locked by the workers. They stay local to the Citus coordinator.
 */
export const COORDINATOR_LOCAL_TABLES: readonly string[] = ['agenda_jobs', 'agenda_logs']
