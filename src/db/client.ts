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

/**
 * A connection lost while its client is checked out, between two statements of a transaction, is
 * emitted on the client, and with no listener it crashed the process (found by the PostgreSQL
 * restart chaos test). The statement in flight or the next one fails and the pool drops the client
 * on release, so the event itself needs no handling. Idle clients' errors reach `onIdleError`.
 */
export function guardPool(pool: pg.Pool, onIdleError: (error: Error) => void = () => undefined): pg.Pool {
  pool.on('error', onIdleError)
  pool.on('connect', (client) => client.on('error', () => undefined))
  return pool
}

export function openDatabase(url: string, poolMax = 10): Database {
  // An idle or busy client losing its server (restart, failover) must not crash the process.
  const pool = guardPool(new pg.Pool({ connectionString: url, max: poolMax, connectionTimeoutMillis: 5_000 }))
  const db = drizzle(pool, { schema })
  return { pool, db, close: () => pool.end() }
}

/** Runs `fn` in a transaction that row-level security scopes to one tenant. */
export function withTenant<T>(db: Db, tenantId: string, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select set_config('app.tenant_id', ${tenantId}, true)`)
    return fn(tx)
  })
}

/**
 * Runs `fn` in a transaction that may see every tenant: authentication (the key decides the tenant),
 * platform routes and cross-tenant jobs. Settings are transaction-local so PgBouncer in
 * transaction mode never leaks them to another client.
 */
export function withSystem<T>(db: Db, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select set_config('app.scope', 'system', true)`)
    return fn(tx)
  })
}
