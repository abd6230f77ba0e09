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

type Query = pg.PoolClient['query']

/**
 * drizzle's transaction() sends `begin` outside its try/finally: when `begin` failed (a connection
 * that died with a database restart, handed out by the pool) the client was never released and the
 * pool lost a slot for good; a few outages and every request waited forever (found by the chaos
 * test). Here a failed `begin` releases the client, destroying it, and drizzle's own later release
 * of it is ignored.
 */
class TransactionSafePool extends pg.Pool {
  override connect(...args: unknown[]): never {
    if (args.length) return (super.connect as (...a: unknown[]) => never)(...args)
    return super.connect().then(releaseOnFailedBegin) as never
  }
}

function releaseOnFailedBegin(client: pg.PoolClient): pg.PoolClient {
  // The class's own query, looked up at each call (not captured), so a client handed out again is
  // not wrapped twice and instrumentation of pg.Client.prototype still sees every statement.
  const query = (...args: unknown[]) => (Object.getPrototypeOf(client) as { query: (...a: unknown[]) => unknown }).query.apply(client, args)
  const release = client.release
  let released = false
  client.release = (error?: Error | boolean) => {
    if (released) return
    released = true
    release.call(client, error)
  }
  let first = true
  client.query = ((...args: Parameters<Query>) => {
    const isFirst = first
    first = false
    const result = query(...args)
    const text = typeof args[0] === 'string' ? args[0] : (args[0] as { text?: string } | undefined)?.text
    if (!isFirst || !(result instanceof Promise) || !/^\s*begin\b/i.test(text ?? '')) return result
    return result.catch((error: Error) => {
      client.release(error)
      throw error
    })
  }) as Query
  return client
}

function openPool(url: string, max: number): pg.Pool {
  // An idle or busy client losing its server (restart, failover) must not crash the process.
  return guardPool(new TransactionSafePool({ connectionString: url, max, connectionTimeoutMillis: 5_000 }))
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
