import type { FastifyBaseLogger } from 'fastify'
import type { Env } from '../../config/env.js'
import type { Database } from '../../db/client.js'
import type { RecurringJob } from '../../platform/jobs.js'
import { createGuardedAgent } from './guarded-agent.js'
import { runWebhookPump, type PumpRun } from './pump.js'
import { webhookSettings } from './webhooks.config.js'

/** One job run keeps pumping while there is work, for this long at most, then lets Agenda re-run it. */
const RUN_BUDGET_MS = 25_000

/**
 * `webhooks.pump`: one recurring job drains the queue in sets, never one Agenda job per delivery.
 * Several workers may run it at once; SKIP LOCKED splits the work between them.
 */
export function webhookPumpJob(env: Env, database: Database, log: FastifyBaseLogger): RecurringJob {
  const settings = webhookSettings(env)
  // Read now: a worker in production without RELANCE_SECRET_KEY refuses to start.
  const secretKey = settings.secretKey()
  const dispatcher = createGuardedAgent({ policy: settings.policy, timeoutMs: 15_000 })
  return {
    name: 'webhooks.pump',
    everySeconds: 1,
    run: async () => {
      const started = Date.now()
      const total: PumpRun = { events: 0, deliveriesCreated: 0, attempted: 0, succeeded: 0, failed: 0, disabled: 0 }
      while (Date.now() - started < RUN_BUDGET_MS) {
        const run = await runWebhookPump(database.db, new Date(), { secretKey, dispatcher })
        for (const key of Object.keys(total) as Array<keyof PumpRun>) total[key] += run[key]
        if (!run.attempted && !run.events) break
      }
      if (total.attempted || total.events) log.info(total, 'webhooks pumped')
    },
  }
}
