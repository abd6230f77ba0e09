// Every table of every module, for drizzle-kit and the typed client. Modules own their tables.
export * from '../modules/tenants/tenants.tables.js'
export * from '../modules/api-keys/api-keys.tables.js'
export * from '../platform/idempotency.tables.js'
