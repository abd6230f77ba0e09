import type { Principal } from './auth.js'

const TTL_MS = 5_000
const MAX_ENTRIES = 10_000

/**
 * Verified API keys for a few seconds, so a GET costs its own query and not four more round trips
 * to look its key up again. Keyed by the key's SHA-256 and the Relance-Tenant header. Revoking
 * through this server forgets the key at once; another replica stops accepting it within TTL_MS
 * (documented in docs/api.md). A key expiring sooner is kept only until it expires.
 */
export class PrincipalCache {
  private readonly entries = new Map<string, { principal: Principal; until: number }>()

  get(cacheKey: string, now = Date.now()): Principal | undefined {
    const entry = this.entries.get(cacheKey)
    if (!entry) return undefined
    if (entry.until <= now) {
      this.entries.delete(cacheKey)
      return undefined
    }
    return entry.principal
  }

  set(cacheKey: string, principal: Principal, expiresAt: Date | null, now = Date.now()): void {
    if (this.entries.size >= MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value!)
    const until = Math.min(now + TTL_MS, expiresAt?.getTime() ?? Infinity)
    if (until > now) this.entries.set(cacheKey, { principal, until })
  }

  forgetKey(keyId: string): void {
    for (const [cacheKey, entry] of this.entries) if (entry.principal.keyId === keyId) this.entries.delete(cacheKey)
  }
}

/** One per process: every app instance of the process shares it, so a revoke reaches all of them. */
export const principalCache = new PrincipalCache()
