import { and, eq, gt, isNull, or } from 'drizzle-orm'
import type { FastifyRequest } from 'fastify'
import { withSystem, type Db } from '../db/client.js'
import { apiKeys, platformKeys } from '../modules/api-keys/api-keys.tables.js'
import { tenants } from '../modules/tenants/tenants.tables.js'
import { sha256Hex } from '../shared/crypto.js'
import { AppError } from '../shared/errors.js'
import { principalCache } from './principal-cache.js'

export type Principal =
  | { kind: 'tenant'; keyId: string; tenantId: string; mode: 'live' | 'sandbox' }
  | { kind: 'platform'; keyId: string; tenantId: string | null; mode: 'live' | 'sandbox' | null }

const BEARER = /^Bearer\s+(rl_(?:live|test|platform)_[A-Za-z0-9]{24,128})$/

export const TENANT_HEADER = 'relance-tenant'

/** Resolves `Authorization: Bearer …` (and `Relance-Tenant` for platform keys) to a principal. */
export async function authenticate(db: Db, request: Pick<FastifyRequest, 'headers'>): Promise<Principal> {
  const header = request.headers.authorization
  if (!header) throw new AppError('unauthenticated', 'Send your API key as Authorization: Bearer rl_…')
  const match = BEARER.exec(header)
  if (!match) throw new AppError('unauthenticated', 'The Authorization header does not hold a Relance API key.')
  const hash = sha256Hex(match[1]!)
  const actingFor = request.headers[TENANT_HEADER]
  const cacheKey = `${hash}/${typeof actingFor === 'string' ? actingFor : ''}`
  const cached = principalCache.get(cacheKey)
  if (cached) return cached
  const { principal, expiresAt } = await lookUp(db, hash, actingFor)
  principalCache.set(cacheKey, principal, expiresAt)
  return principal
}

async function lookUp(db: Db, hash: string, actingFor: string | string[] | undefined): Promise<{ principal: Principal; expiresAt: Date | null }> {
  return withSystem(db, async (tx) => {
    const now = new Date()
    const [tenantKey] = await tx
      .select({ keyId: apiKeys.keyId, tenantId: apiKeys.tenantId, mode: tenants.mode, expiresAt: apiKeys.expiresAt })
      .from(apiKeys)
      .innerJoin(tenants, eq(tenants.tenantId, apiKeys.tenantId))
      .where(
        and(
          eq(apiKeys.keyHash, hash),
          isNull(apiKeys.revokedAt),
          or(isNull(apiKeys.expiresAt), gt(apiKeys.expiresAt, now)),
        ),
      )
      .limit(1)
    if (tenantKey) {
      if (actingFor && actingFor !== tenantKey.tenantId) {
        throw new AppError('forbidden', 'Only platform keys may send the Relance-Tenant header.')
      }
      const { expiresAt, ...key } = tenantKey
      return { principal: { kind: 'tenant', ...key }, expiresAt }
    }
    const [platformKey] = await tx
      .select({ keyId: platformKeys.keyId })
      .from(platformKeys)
      .where(and(eq(platformKeys.keyHash, hash), isNull(platformKeys.revokedAt)))
      .limit(1)
    if (!platformKey) throw new AppError('unauthenticated', 'This API key is unknown, expired or revoked.')
    if (typeof actingFor !== 'string') return { principal: { kind: 'platform', keyId: platformKey.keyId, tenantId: null, mode: null }, expiresAt: null }
    const [tenant] = await tx
      .select({ tenantId: tenants.tenantId, mode: tenants.mode })
      .from(tenants)
      .where(eq(tenants.tenantId, actingFor))
    if (!tenant) throw new AppError('not_found', `No tenant with id ${actingFor}`)
    return { principal: { kind: 'platform', keyId: platformKey.keyId, ...tenant }, expiresAt: null }
  })
}

/** The tenant a request acts for; platform keys must name one with the Relance-Tenant header. */
export function requireTenant(principal: Principal): string {
  if (principal.tenantId) return principal.tenantId
  throw new AppError('validation_failed', 'A platform key must name the tenant it acts for.', [
    { path: 'headers.relance-tenant', message: 'Required with a platform key' },
  ])
}

export function requirePlatform(principal: Principal): void {
  if (principal.kind !== 'platform') throw new AppError('forbidden', 'This operation needs a platform key.')
}
