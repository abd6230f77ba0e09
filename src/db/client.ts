import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres'
import pg from 'pg'
import * as schema from './schema.js'
import { scopedTransaction } from './scoped-transaction.js'

export type Db = NodePgDatabase<typeof schema>
/** A transaction handle; services take this so callers decide the transaction boundary. */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0]

export interface Database {
  pool: pg.Pool
  db: Db
  /**
   * Where read-only work goes (reports, exports): the read replica when DATABASE_REPLICA_URL is set,
   * else the primary (`db` itself). Use it through `withTenantRead`; it may lag the primary.
   */
  readDb: Db
  /** True when `readDb` is a replica, not the primary. */
  hasReplica: boolean
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

function openPool(url: string, max: number): pg.Pool {
  // An idle or busy client losing its server (restart, failover) must not crash the process.
  return guardPool(new pg.Pool({ connectionString: url, max, connectionTimeoutMillis: 5_000 }))
}

export function openDatabase(url: string, poolMax = 10, options: { replicaUrl?: string } = {}): Database {
  const pool = openPool(url, poolMax)
  const db = drizzle(pool, { schema })
  const replica = options.replicaUrl ? openPool(options.replicaUrl, poolMax) : undefined
  return {
    pool,
    db,
    readDb: replica ? drizzle(replica, { schema }) : db,
    hasReplica: !!replica,
    close: async () => {
      await Promise.all([pool.end(), replica?.end()])
    },
  }
}

/** `app.actor` names who made the changes for the audit chain (an API key id); unset means a system job. */
const withActor = (settings: Record<string, string>, actor?: string) => (actor ? { ...settings, 'app.actor': actor } : settings)

/** Runs `fn` in a transaction that row-level security scopes to one tenant. */
export function withTenant<T>(db: Db, tenantId: string, fn: (tx: Tx) => Promise<T>, actor?: string): Promise<T> {
  return scopedTransaction(db, { settings: withActor({ 'app.tenant_id': tenantId }, actor) }, fn)
}

/**
 * Runs `fn` in a transaction that may see every tenant: authentication (the key decides the tenant),
 * platform routes and cross-tenant jobs. Settings are transaction-local so PgBouncer in
 * transaction mode never leaks them to another client.
 */
export function withSystem<T>(db: Db, fn: (tx: Tx) => Promise<T>, actor?: string): Promise<T> {
  return scopedTransaction(db, { settings: withActor({ 'app.scope': 'system' }, actor) }, fn)
}

/**
 * Runs read-only `fn` for one tenant on the read replica when there is one (reports, aging, DSO,
 * exports): a READ ONLY transaction, so a write by mistake fails here rather than on the standby.
 * Row-level security applies as in `withTenant`; the setting is transaction-local, so this works
 * behind PgBouncer too. What a replica returns may be a few hundred milliseconds old.
 */
export function withTenantRead<T>(database: Pick<Database, 'readDb'>, tenantId: string, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return scopedTransaction(database.readDb, { settings: { 'app.tenant_id': tenantId }, readOnly: true }, fn)
}
