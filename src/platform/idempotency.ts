import { and, eq, sql } from 'drizzle-orm'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { withSystem, type Db, type Tx } from '../db/client.js'
import { sha256Hex } from '../shared/crypto.js'
import { AppError } from '../shared/errors.js'
import { idempotencyKeys } from './idempotency.tables.js'

const KEEP_FOR_HOURS = 24
// A claim whose request died (crash, timeout) without finishing may be taken over after this.
const STALE_CLAIM_SECONDS = 60

export interface IdempotencyClaim {
  scope: string
  key: string
  completed: boolean
}

declare module 'fastify' {
  interface FastifyRequest {
    idempotency: IdempotencyClaim | null
  }
}

function fingerprint(request: FastifyRequest): string {
  const path = request.url.split('?')[0]
  return sha256Hex(`${request.method} ${path}\n${JSON.stringify(request.body ?? null)}`)
}

/**
 * Claims the key in its own committed transaction, so a concurrent request with the same key sees
 * it at once (409) instead of waiting on a lock. Returns false when the request was answered here.
 */
async function claim(
  db: Db,
  request: FastifyRequest,
  scope: string,
  key: string,
): Promise<{ replay: { status: number; body: unknown } } | null> {
  const print = fingerprint(request)
  const expiresAt = new Date(Date.now() + KEEP_FOR_HOURS * 3600_000)
  return withSystem(db, async (tx) => {
    const claimed = await tx
      .insert(idempotencyKeys)
      .values({ tenantId: scope, key, fingerprint: print, lockedAt: new Date(), expiresAt })
      .onConflictDoUpdate({
        target: [idempotencyKeys.tenantId, idempotencyKeys.key],
        set: { fingerprint: print, lockedAt: new Date(), responseStatus: null, responseBody: null, expiresAt },
        setWhere: sql`${idempotencyKeys.expiresAt} < now() or (${idempotencyKeys.responseStatus} is null
          and ${idempotencyKeys.lockedAt} < now() - make_interval(secs => ${STALE_CLAIM_SECONDS}))`,
      })
      .returning({ key: idempotencyKeys.key })
    if (claimed.length) return null
    const [existing] = await tx
      .select()
      .from(idempotencyKeys)
      .where(and(eq(idempotencyKeys.tenantId, scope), eq(idempotencyKeys.key, key)))
    if (!existing) throw new AppError('idempotency_key_in_use', 'Retry this request in a moment.')
    if (existing.responseStatus === null) {
      throw new AppError('idempotency_key_in_use', 'A request with this Idempotency-Key is still being processed.')
    }
    if (existing.fingerprint !== print) {
      throw new AppError('idempotency_key_reused', 'This Idempotency-Key was already used with another request.', [
        { path: 'headers.idempotency-key', message: 'Used before with a different method, path or body' },
      ])
    }
    return { replay: { status: existing.responseStatus, body: existing.responseBody } }
  })
}

/** Records the answer inside the transaction that made the change: both commit or neither does. */
export async function completeIdempotency(tx: Tx, request: FastifyRequest, status: number, body: unknown) {
  const claimed = request.idempotency
  if (!claimed) return
  await tx
    .update(idempotencyKeys)
    .set({ responseStatus: status, responseBody: body, lockedAt: null })
    .where(and(eq(idempotencyKeys.tenantId, claimed.scope), eq(idempotencyKeys.key, claimed.key)))
  claimed.completed = true
}

async function release(db: Db, claimed: IdempotencyClaim) {
  await withSystem(db, (tx) =>
    tx
      .delete(idempotencyKeys)
      .where(and(eq(idempotencyKeys.tenantId, claimed.scope), eq(idempotencyKeys.key, claimed.key))),
  )
}

/**
 * `Idempotency-Key` on POST. Routes finish the claim through `executeWrite`; a request that failed
 * releases its key so the client can retry it with the same key.
 */
export function registerIdempotency(app: FastifyInstance, db: Db, scopeOf: (request: FastifyRequest) => string) {
  app.decorateRequest('idempotency', null)
  app.addHook('preHandler', async (request, reply) => {
    const key = request.headers['idempotency-key']
    if (request.method !== 'POST' || key === undefined) return
    if (typeof key !== 'string' || key.length < 1 || key.length > 255) {
      throw new AppError('validation_failed', 'Idempotency-Key must be 1 to 255 characters.', [
        { path: 'headers.idempotency-key', message: 'Must be 1 to 255 characters' },
      ])
    }
    const scope = scopeOf(request)
    const answered = await claim(db, request, scope, key)
    if (!answered) {
      request.idempotency = { scope, key, completed: false }
      return
    }
    return reply.code(answered.replay.status).header('idempotent-replayed', 'true').send(answered.replay.body)
  })
  app.addHook('onResponse', async (request) => {
    if (request.idempotency && !request.idempotency.completed) {
      await release(db, request.idempotency).catch((err: unknown) => request.log.warn({ err }, 'idempotency release failed'))
    }
  })
}

export async function purgeExpiredIdempotencyKeys(db: Db): Promise<number> {
  return withSystem(db, async (tx) => {
    const deleted = await tx.delete(idempotencyKeys).where(sql`${idempotencyKeys.expiresAt} < now()`).returning({
      key: idempotencyKeys.key,
    })
    return deleted.length
  })
}
