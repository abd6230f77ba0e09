import path from 'node:path'
import type { Env } from '../../config/env.js'
import { resolveSecretKey } from '../../shared/secret-box.js'
import { EmailSmtpDriver } from '../channels/drivers/email-smtp/email-smtp.driver.js'
import { createDriverRegistry } from '../channels/registry.js'
import { CircuitBreaker } from './circuit-breaker.js'
import { proofStorage } from './proof-storage.js'
import { buildMessage } from './message-builder.js'
import type { PumpDeps } from './pump.js'

/** What the dispatch loop, the callbacks and the connections API share, built once from the configuration. */
export async function createDispatchDeps(env: Env): Promise<PumpDeps> {
  const registry = await createDriverRegistry(env.RELANCE_CHANNEL_DRIVERS?.split(',').map((s) => s.trim()).filter(Boolean) ?? [])
  if (!registry.get('email-smtp')) registry.register(new EmailSmtpDriver())
  return {
    registry,
    secretKey: resolveSecretKey(env),
    buildMessage,
    sandbox: {
      ar24Url: env.RELANCE_SANDBOX_AR24_URL,
      printMailApiUrl: env.RELANCE_SANDBOX_PRINT_MAIL_API_URL,
      printMailAuthUrl: env.RELANCE_SANDBOX_PRINT_MAIL_AUTH_URL,
    },
    batchSize: env.RELANCE_DISPATCH_BATCH,
    concurrency: env.RELANCE_DISPATCH_CONCURRENCY,
    publicUrl: env.RELANCE_PUBLIC_URL,
    breaker: new CircuitBreaker(),
    proofStorage: proofStorage(env.RELANCE_PROOF_STORAGE, env.RELANCE_PROOF_DIR ?? path.join(env.RELANCE_DATA_DIR, 'proofs')),
  }
}
