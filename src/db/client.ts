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
  /**
   * Where read-only work goes (reports, exports): the read replica when DATABASE_REPLICA_URL is set,
   * else the primary (`db` itself). Use it through `withTenantRead`; it may lag the primary.
   */
  readDb: Db
  /** True when `readDb` is a replica, not the primary. */
  hasReplica: boolean
  close(): Promise<void>
}

function openPool(url: string, max: number): pg.Pool {
  const pool = new pg.Pool({ connectionString: url, max, connectionTimeoutMillis: 5_000 })
  // An idle client losing its server (restart, failover) must not crash the process.
  pool.on('error', () => undefined)
  return pool
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

/**
 * Runs read-only `fn` for one tenant on the read replica when there is one (reports, aging, DSO,
 * exports): a READ ONLY transaction, so a write by mistake fails here rather than on the standby.
 * Row-level security applies as in `withTenant`; the setting is transaction-local, so this works
 * behind PgBouncer too. What a replica returns may be a few hundred milliseconds old.
 */
export function withTenantRead<T>(database: Pick<Database, 'readDb'>, tenantId: string, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return database.readDb.transaction(
    async (tx) => {
      await tx.execute(sql`select set_config('app.tenant_id', ${tenantId}, true)`)
      return fn(tx)
    },
    { accessMode: 'read only' },
  )
}
