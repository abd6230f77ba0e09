import { PostgresBackend } from '@agendajs/postgres-backend'
import { Agenda, type Job } from 'agenda'
import pg from 'pg'
import { guardPool } from '../db/client.js'
import type { FastifyBaseLogger } from 'fastify'

export interface RecurringJob {
  name: string
  everySeconds: number
  /**
   * A set-based pass that several processes may run at once (it claims its work with SKIP LOCKED):
   * it gets `slots` schedule rows instead of one, so that many workers split one pass.
   */
  parallel?: boolean
  run(): Promise<void>
}

/** The schedule row of slot 2 and up of a parallel job; slot 1 is the job's ordinary single row. */
interface SlotData {
  slot?: number
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
  options: { name: string; lockLifetimeMs: number; notifications?: boolean; slots?: number },
): Scheduler {
  const slots = options.slots ?? 1
  // Agenda gets a small pool of its own (LISTEN connection included), closed after it stops. Ours,
  // not the backend's, so that a connection dropped by a stopping server is an event, not a crash.
  const pool = guardPool(new pg.Pool({ connectionString, max: 4 }), (err) => log.warn({ err }, 'job pool connection lost'))
  let agenda: Agenda | undefined
  return {
    async start() {
      // Agenda creates its table when constructed, and `unique` saves read then insert: workers
      // starting together on a fresh database would race on both, so they start one at a time.
      agenda = await underStartLock(pool, async () => {
        const started = buildAgenda(pool, jobs, log, { ...options, slots })
        await started.ready
        await started.start()
        // `every` upserts one row per job name, so many workers share one schedule.
        for (const job of jobs) await started.every(`${job.everySeconds} seconds`, job.name)
        await registerSlots(started, jobs.filter((job) => job.parallel), slots)
        return started
      })
    },
    async stop() {
      // Let running jobs finish (bounded: orchestrators kill slow stoppers), then release the locks.
      await agenda?.drain(Math.min(options.lockLifetimeMs, 25_000))
      await pool.end()
    },
  }
}

function buildAgenda(pool: pg.Pool, jobs: RecurringJob[], log: FastifyBaseLogger, options: { name: string; lockLifetimeMs: number; notifications?: boolean; slots: number }): Agenda {
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
    const define = async (agendaJob: Job<SlotData>) => {
      // A slot above today's setting (the setting was lowered) removes its own row.
      if ((agendaJob.attrs.data?.slot ?? 1) > options.slots) return void (await agendaJob.remove())
      const started = Date.now()
      try {
        await job.run()
        log.debug({ job: job.name, ms: Date.now() - started }, 'job finished')
      } catch (err) {
        log.error({ err, job: job.name }, 'job failed')
        throw err
      }
    }
    // One row of a parallel job per process at a time, so that its slots go to different workers.
    agenda.define(job.name, define, job.parallel ? { lockLimit: 1 } : {})
  }
  return agenda
}

/** A transaction-level lock (a session lock would leak through PgBouncer in transaction mode). */
async function underStartLock<T>(pool: pg.Pool, fn: () => Promise<T>): Promise<T> {
  const client = await pool.connect()
  try {
    await client.query(`begin; select pg_advisory_xact_lock(hashtext('relance.scheduler_start'))`)
    const result = await fn()
    await client.query('commit')
    return result
  } catch (error) {
    await client.query('rollback').catch(() => undefined)
    throw error
  } finally {
    client.release()
  }
}

/** Rows 2…`slots` of each parallel job (slot 1 is its `every` row). */
async function registerSlots(agenda: Agenda, jobs: RecurringJob[], slots: number) {
  for (const job of jobs) {
    for (let slot = 2; slot <= slots; slot++) {
      await agenda
        .create<SlotData>(job.name, { slot })
        .repeatEvery(`${job.everySeconds} seconds`, { skipImmediate: false })
        .unique({ 'data.slot': slot }, { insertOnly: true })
        .save()
    }
  }
}
