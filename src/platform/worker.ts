import { failStalledImports } from '../modules/imports/stalled-imports.js'
import { createDispatchDeps } from '../modules/dispatch/dispatch-deps.js'
import { pollProviders } from '../modules/dispatch/provider-poll.js'
import { runDispatchPump } from '../modules/dispatch/pump.js'
import { alertPrescriptions } from '../modules/invoices/prescription-alerts.js'
import { todayUtc } from '../shared/dates.js'
import { runEngine } from '../modules/engine/evaluator.js'
import type { FastifyBaseLogger } from 'fastify'
import { sql } from 'drizzle-orm'
import type { Env } from '../config/env.js'
import type { Database } from '../db/client.js'
import { expireHolds } from '../modules/holds/holds-expiry.js'
import { checkPaymentPlans } from '../modules/payment-plans/plan-progress.service.js'
import { webhookPumpJob } from '../modules/webhooks/webhooks.job.js'
import { HEARTBEAT_JOB } from './health.js'
import { purgeExpiredIdempotencyKeys } from './idempotency.js'
import { createScheduler, type RecurringJob } from './jobs.js'

/** The recurring jobs of the worker role. Modules add theirs here as they come. */
export function workerJobs(env: Env, database: Database, log: FastifyBaseLogger): RecurringJob[] {
  let dispatchDeps: ReturnType<typeof createDispatchDeps> | undefined
  return [
    {
      name: HEARTBEAT_JOB,
      everySeconds: env.RELANCE_HEARTBEAT_SECONDS,
      // Proves a worker can take a job and reach the database; /readyz shows when it last did.
      run: async () => {
        await database.db.execute(sql`select 1`)
      },
    },
    {
      name: 'idempotency.purge',
      everySeconds: 3600,
      run: async () => {
        const purged = await purgeExpiredIdempotencyKeys(database.db)
        if (purged) log.info({ purged }, 'expired idempotency keys purged')
      },
    },
    {
      name: 'holds.expire',
      everySeconds: 60,
      run: async () => {
        const ended = await expireHolds(database.db)
        if (ended) log.info({ ended }, 'lapsed holds ended')
      },
    },
    {
      name: 'engine.tick',
      everySeconds: 60,
      parallel: true,
      // Set-based: one job claims every due invoice in chunks (DESIGN.md), never a job per step.
      run: async () => {
        const run = await runEngine(database.db, new Date(), { wallClockTenants: true })
        if (run.claimed) log.info(run, 'engine pass')
      },
    },
    {
      name: 'payment_plans.check',
      everySeconds: 60,
      run: async () => {
        const { completed, breached } = await checkPaymentPlans(database.db)
        if (completed || breached) log.info({ completed, breached }, 'payment plans checked')
      },
    },
    {
      name: 'dispatch.pump',
      everySeconds: 10,
      parallel: true,
      // Set-based like the engine: batches of queued dispatches per run, never a job per dispatch.
      run: async () => {
        dispatchDeps ??= createDispatchDeps(env)
        const run = await runDispatchPump(database.db, await dispatchDeps)
        if (run.claimed) log.info(run, 'dispatch pass')
      },
    },
    {
      name: 'imports.sweep',
      everySeconds: 300,
      run: async () => {
        const failed = await failStalledImports(database.db)
        if (failed) log.warn({ failed }, 'stalled import jobs failed')
      },
    },
    {
      name: 'proofs.poll',
      everySeconds: 300,
      // Simple letters get no delivery callback, and a provider's callback can be lost: ask.
      run: async () => {
        dispatchDeps ??= createDispatchDeps(env)
        const run = await pollProviders(database.db, await dispatchDeps)
        if (run.polled) log.info(run, 'providers polled')
      },
    },
    {
      name: 'prescription.alerts',
      everySeconds: 3600,
      run: async () => {
        const alerted = await alertPrescriptions(database.db, todayUtc(), env.RELANCE_PRESCRIPTION_ALERT_DAYS)
        if (alerted) log.info({ alerted }, 'prescription approaching announced')
      },
    },
    // Set-based like engine.tick: claims queued events and due deliveries in batches (SKIP LOCKED).
    webhookPumpJob(env, database, log),
  ]
}

/** `databaseUrl` must reach PostgreSQL with a session of its own (DATABASE_DIRECT_URL behind PgBouncer). */
export function createWorker(env: Env, databaseUrl: string, database: Database, log: FastifyBaseLogger) {
  return createScheduler(databaseUrl, workerJobs(env, database, log), log, {
    name: `relance-${process.pid}`,
    lockLifetimeMs: env.RELANCE_JOB_LOCK_SECONDS * 1000,
    notifications: env.RELANCE_JOB_NOTIFICATIONS,
    slots: env.RELANCE_WORKER_SLOTS,
  })
}
