import { sql } from 'drizzle-orm'
import { NodePgSession, NodePgTransaction } from 'drizzle-orm/node-postgres/session'
import pg from 'pg'
import type { Db, Tx } from './client.js'

/** The drizzle internals a transaction is built from (public at runtime, not in drizzle's types). */
interface SessionParts {
  client: pg.Pool
  dialect: ConstructorParameters<typeof NodePgSession>[1]
  schema: ConstructorParameters<typeof NodePgSession>[2]
  options: ConstructorParameters<typeof NodePgSession>[3]
}

export interface ScopeSettings {
  /** Transaction-local settings (`set_config(name, value, true)`) that row-level security and the audit trigger read. */
  settings: Record<string, string>
  readOnly?: boolean
}

/**
 * drizzle's own `db.transaction`, except that `begin` and the scope's settings travel as one
 * simple-protocol message. Each statement costs a round trip and two socket syscalls, which dominate
 * a GET by id here (docs/benchmarks.md, read): one round trip fewer in every transaction. Values are
 * quoted with pg's `escapeLiteral`; they are ids Relance generated, never raw input.
 */
export async function scopedTransaction<T>(db: Db, scope: ScopeSettings, fn: (tx: Tx) => Promise<T>): Promise<T> {
  const parts = (db as unknown as { session: SessionParts }).session
  const client = await parts.client.connect()
  const session = new NodePgSession(client, parts.dialect, parts.schema, parts.options)
  const tx = new NodePgTransaction(parts.dialect, session, parts.schema) as unknown as Tx
  const configs = Object.entries(scope.settings).map(([name, value]) => `set_config(${pg.escapeLiteral(name)}, ${pg.escapeLiteral(value)}, true)`)
  try {
    // No bind parameters: pg sends it with the simple protocol, which runs both statements in order.
    await tx.execute(sql.raw(`begin${scope.readOnly ? ' read only' : ''}; select ${configs.join(', ')}`))
  } catch (error) {
    client.release(error as Error)
    throw error
  }
  let broken: Error | undefined
  try {
    const result = await fn(tx)
    await tx.execute(sql`commit`)
    return result
  } catch (error) {
    // A connection that cannot even roll back is destroyed rather than handed out again.
    await tx.execute(sql`rollback`).catch((rollbackError: Error) => (broken = rollbackError))
    throw error
  } finally {
    client.release(broken)
  }
}
