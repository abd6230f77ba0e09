import { setTimeout as sleep } from 'node:timers/promises'
import type pg from 'pg'
import pino from 'pino'
import type { Env } from '../../src/config/env.js'
import type { Database } from '../../src/db/client.js'
import { isBusinessDay } from '../../src/modules/engine/calendar.js'
import { createWorker, workerJobs } from '../../src/platform/worker.js'

/**
 * The instant the workers bench runs as of: a Wednesday 09:00 UTC (10:00 or 11:00 in Paris, inside
 * the default send window) at least two weeks ahead, with Monday to Wednesday working days. In the
 * future on purpose: the real worker started for the Agenda check ticks on the wall clock and so
 * finds none of the bench's invoices or dispatches due.
 */
export function benchInstant(from = new Date()): { now: Date; today: string } {
  const day = new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), from.getUTCDate() + 14))
  for (;;) {
    day.setUTCDate(day.getUTCDate() + ((3 - day.getUTCDay() + 7) % 7 || 7))
    const dates = [-2, -1, 0].map((d) => new Date(day.getTime() + d * 86_400_000).toISOString().slice(0, 10))
    if (dates.every((d) => isBusinessDay(d, 'FR'))) return { now: new Date(`${dates[2]}T09:00:00Z`), today: dates[2]! }
  }
}

/**
 * Starts the real worker (every recurring job of the worker role on Agenda), waits until each job
 * has its row and ran once, stops it, and counts the rows of Agenda's table and the invoices: the
 * first must not depend on the second, since per-invoice work never becomes an Agenda job.
 */
export async function agendaJobRows(env: Env, url: string, database: Database, admin: pg.Client): Promise<{ rows: number; invoices: number }> {
  const log = pino({ level: 'silent' })
  const jobs = workerJobs(env, database, log).length
  const worker = createWorker(env, url, database, log)
  await worker.start()
  try {
    for (let i = 0; i < 300; i++) {
      const { rows } = await admin.query<{ n: number; ran: number }>(
        `select count(*)::int as n, count(last_finished_at)::int as ran from agenda_jobs`,
      )
      if (rows[0]!.n >= jobs && rows[0]!.ran >= jobs) break
      await sleep(100)
    }
  } finally {
    await worker.stop()
  }
  const { rows } = await admin.query<{ rows: number; invoices: number }>(
    `select (select count(*)::int from agenda_jobs) as rows, (select count(*)::int from invoices) as invoices`,
  )
  return rows[0]!
}
