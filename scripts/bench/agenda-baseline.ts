import { PostgresBackend } from '@agendajs/postgres-backend'
import { Agenda } from 'agenda'
import pg from 'pg'

export interface AgendaBaseline {
  jobs: number
  /** Seconds to enqueue the jobs (50 `schedule` calls in flight). */
  enqueueSeconds: number
  /** Seconds from start() to the last job finished: what a pass over `jobs` due steps costs. */
  drainSeconds: number
}

/**
 * The naive design: one Agenda job per invoice step, on Agenda 6 and @agendajs/postgres-backend as
 * src/platform/jobs.ts runs them (its own small pool, 1 s poll), given every advantage: a no-op
 * handler (a real one would plan and write the step), concurrency 50 (the defaults are 5 and 20).
 */
export async function agendaBaseline(appUrl: string, jobs: number): Promise<AgendaBaseline> {
  const pool = new pg.Pool({ connectionString: appUrl, max: 3 })
  const backend = new PostgresBackend({ pool })
  const agenda = new Agenda({ backend, name: 'bench-baseline', processEvery: '1 second', defaultConcurrency: 50, maxConcurrency: 50 })
  let done = 0
  let finished: () => void = () => undefined
  const allDone = new Promise<void>((resolve) => (finished = resolve))
  agenda.define('dunning.step', async () => {
    if (++done === jobs) finished()
  })
  try {
    const enqueueStarted = performance.now()
    const when = new Date()
    for (let i = 0; i < jobs; i += 50) {
      const batch = Array.from({ length: Math.min(50, jobs - i) }, (_, k) => i + k)
      await Promise.all(batch.map((n) => agenda.schedule(when, 'dunning.step', { invoice: `inv_${n}`, step: 1 })))
    }
    const enqueueSeconds = (performance.now() - enqueueStarted) / 1000
    const drainStarted = performance.now()
    await agenda.start()
    await allDone
    const drainSeconds = (performance.now() - drainStarted) / 1000
    return { jobs, enqueueSeconds, drainSeconds }
  } finally {
    await agenda.stop()
    await pool.end()
  }
}
