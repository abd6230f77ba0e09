import { PostgresBackend } from '@agendajs/postgres-backend'
import { Agenda } from 'agenda'
import pg from 'pg'
import { guardPool } from '../db/client.js'
import type { FastifyBaseLogger } from 'fastify'

export interface RecurringJob {
  name: string
  everySeconds: number
  run(): Promise<void>
}

export interface Scheduler {
  start(): Promise<void>
  stop(): Promise<void>
}

/**
 * Agenda on PostgreSQL for a few recurring jobs only (ticks and pumps). It locks one job per round
 * trip (~400 jobs/s here), so per-invoice work never becomes an Agenda job: each tick works in sets.
 */
export function createScheduler(
  connectionString: string,
  jobs: RecurringJob[],
  log: FastifyBaseLogger,
  options: { name: string; lockLifetimeMs: number; notifications?: boolean },
): Scheduler {
  // Agenda gets a small pool of its own (LISTEN connection included), closed after it stops. Ours,
  // not the backend's, so that a connection dropped by a stopping server is an event, not a crash.
  const pool = guardPool(new pg.Pool({ connectionString, max: 3 }), (err) => log.warn({ err }, 'job pool connection lost'))
  // LISTEN holds one connection for good and NOTIFY wakes every worker: neither works through a
  // transaction-mode pooler. Without them Agenda polls every `processEvery`, enough for our few jobs.
  const backend = new PostgresBackend({ pool, disableNotifications: options.notifications === false })
  // A lost LISTEN connection (database restart) is retried by the backend; it must not crash us.
  backend.notificationChannel?.on('error', (err: unknown) => log.warn({ err }, 'job notification channel error'))
  const agenda = new Agenda({
    backend,
    name: options.name,
    processEvery: '1 second',
    // A job whose worker died is taken over after this. Agenda also keeps an un-unref'd timer of
    // half this per run, which is what holds a process open after stop() when nothing else does.
    defaultLockLifetime: options.lockLifetimeMs,
  })
  for (const job of jobs) {
    agenda.define(job.name, async () => {
      const started = Date.now()
      try {
        await job.run()
        log.debug({ job: job.name, ms: Date.now() - started }, 'job finished')
      } catch (err) {
        log.error({ err, job: job.name }, 'job failed')
        throw err
      }
    })
  }
  return {
    async start() {
      await agenda.start()
      // `every` upserts one row per job name, so many workers share one schedule.
      for (const job of jobs) await agenda.every(`${job.everySeconds} seconds`, job.name)
    },
    async stop() {
      // Let running jobs finish (bounded: orchestrators kill slow stoppers), then release the locks.
      await agenda.drain(Math.min(options.lockLifetimeMs, 25_000))
      await pool.end()
    },
  }
}
