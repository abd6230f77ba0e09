import type { FastifyReply, FastifyRequest } from 'fastify'
import { withSystem, withTenant, type Db, type Tx } from '../db/client.js'
import type { Principal } from './auth.js'
import { completeIdempotency } from './idempotency.js'

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal
  }
}

/**
 * A transaction scoped to what the caller may see: its tenant, or (platform key alone) everything.
 * The key id is the actor the audit chain records for whatever the transaction changes.
 */
export function inScope<T>(db: Db, principal: Principal, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return principal.tenantId ? withTenant(db, principal.tenantId, fn, principal.keyId) : withSystem(db, fn, principal.keyId)
}

/** Reads for the calling principal. */
export function read<T>(db: Db, request: FastifyRequest, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return inScope(db, request.principal, fn)
}

/**
 * Runs a change and stores its answer under the request's Idempotency-Key in the same
 * transaction, then sets the status code. Every POST/PATCH/DELETE route goes through here.
 */
export async function write<T>(
  db: Db,
  request: FastifyRequest,
  reply: FastifyReply,
  status: number,
  fn: (tx: Tx) => Promise<T>,
): Promise<T> {
  const result = await inScope(db, request.principal, async (tx) => {
    const value = await fn(tx)
    await completeIdempotency(tx, request, status, value)
    return value
  })
  reply.code(status)
  return result
}
