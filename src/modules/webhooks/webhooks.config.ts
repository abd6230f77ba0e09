import type { Env } from '../../config/env.js'
import { resolveSecretKey } from '../../shared/secret-box.js'
import { createAddressPolicy, type AddressPolicy } from './address-policy.js'
import type { ResolveAll } from './guarded-agent.js'

/** What the webhooks routes and pump need from the configuration. */
export interface WebhookSettings {
  /** Seals endpoint secrets and signing keys; read lazily so the OpenAPI build needs no key. */
  secretKey(): Buffer
  policy: AddressPolicy
  /** Production delivers over https only. */
  requireHttps: boolean
  /** DNS resolution for the URL check at creation; tests swap it to play DNS rebinding. */
  resolve?: ResolveAll
}

export function webhookSettings(env: Env, overrides: Partial<WebhookSettings> = {}): WebhookSettings {
  let key: Buffer | undefined
  return {
    secretKey: () => (key ??= resolveSecretKey(env)),
    policy: createAddressPolicy(env.RELANCE_WEBHOOK_ALLOWED_CIDRS),
    requireHttps: env.NODE_ENV === 'production',
    ...overrides,
  }
}
