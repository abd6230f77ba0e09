import { sql } from 'drizzle-orm'
import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres'
import pg from 'pg'
import * as schema from './schema.js'

export type Db = NodePgDatabase<typeof schema>
/** A transaction handle; services take this so callers decide the transaction boundary. */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0]

export interface Database {
  pool: pg.Pool
  db: Db
  close(): Promise<void>
}

export function openDatabase(url: string, poolMax = 10): Database {
  const pool = new pg.Pool({ connectionString: url, max: poolMax, connectionTimeoutMillis: 5_000 })
  // An idle client losing its server (restart, failover) must not crash the process.
  pool.on('error', () => undefined)
  const db = drizzle(pool, { schema })
  return { pool, db, close: () => pool.end() }
}

/** `app.actor` names who made the changes for the audit chain (an API key id); unset means a system job. */
const actorSetting = (actor?: string) => (actor ? sql`, set_config('app.actor', ${actor}, true)` : sql``)

/** Runs `fn` in a transaction that row-level security scopes to one tenant. */
export function withTenant<T>(db: Db, tenantId: string, fn: (tx: Tx) => Promise<T>, actor?: string): Promise<T> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select set_config('app.tenant_id', ${tenantId}, true)${actorSetting(actor)}`)
    return fn(tx)
  })
}

/**
 * Runs `fn` in a transaction that may see every tenant: authentication (the key decides the tenant),
 * platform routes and cross-tenant jobs. Settings are transaction-local so PgBouncer in
 * transaction mode never leaks them to another client.
 */
export function withSystem<T>(db: Db, fn: (tx: Tx) => Promise<T>, actor?: string): Promise<T> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select set_config('app.scope', 'system', true)${actorSetting(actor)}`)
    return fn(tx)
  })
}
