import pg from 'pg'
import pino from 'pino'
import t from 'tap'
import { createScheduler, type RecurringJob, type Scheduler } from '../../src/platform/jobs.js'
import { freshDatabase } from '../helper.js'

const JOB = 'slots.probe'
const silent = pino({ level: 'silent' })
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** A parallel pass that takes a while, recording which worker ran it and how many ran at once. */
function probe(worker: string, runs: string[], inFlight: { now: number; max: number }): RecurringJob {
  return {
    name: JOB,
    everySeconds: 1,
    parallel: true,
    run: async () => {
      inFlight.now++
      inFlight.max = Math.max(inFlight.max, inFlight.now)
      runs.push(worker)
      await sleep(1_500)
      inFlight.now--
    },
  }
}

const start = (url: string, worker: string, job: RecurringJob, slots: number): Scheduler =>
  createScheduler(url, [job], silent, { name: worker, lockLifetimeMs: 10_000, slots })

async function slotRows(url: string): Promise<number[]> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    const { rows } = await client.query<{ slot: number | null }>(`select (data->>'slot')::int as slot from agenda_jobs where name = $1 order by 1 nulls first`, [JOB])
    return rows.map((r) => r.slot ?? 1)
  } finally {
    await client.end()
  }
}

t.test('RELANCE_WORKER_SLOTS: several workers split one parallel pass, one slot per worker at a time', async (t) => {
  const { url } = await freshDatabase(t)
  const runs: string[] = []
  const inFlight = { now: 0, max: 0 }
  const workers = ['worker-a', 'worker-b', 'worker-c'].map((name) => start(url, name, probe(name, runs, inFlight), 2))
  // Started together on a fresh database: Agenda's table is created once, and no slot is added twice.
  await Promise.all(workers.map((w) => w.start()))
  t.same(await slotRows(url), [1, 2], 'two schedule rows for two slots, whatever the number of workers')

  await sleep(6_000)
  await Promise.all(workers.map((w) => w.stop()))
  t.equal(inFlight.max, 2, 'two passes ran at once, never three')
  t.ok(new Set(runs).size >= 2, `the passes went to different workers (${[...new Set(runs)].join(', ')})`)

  // Back to one slot: the second row removes itself the next time it falls due.
  const single = start(url, 'worker-d', probe('worker-d', runs, inFlight), 1)
  await single.start()
  for (let i = 0; i < 40 && (await slotRows(url)).length > 1; i++) await sleep(250)
  await single.stop()
  t.same(await slotRows(url), [1], 'lowering the setting removes the extra slot')
})

t.test('a job not marked parallel keeps one row and runs in one worker at a time', async (t) => {
  const { url } = await freshDatabase(t)
  const runs: string[] = []
  const inFlight = { now: 0, max: 0 }
  const workers = ['worker-a', 'worker-b'].map((name) => start(url, name, { ...probe(name, runs, inFlight), parallel: false }, 4))
  await Promise.all(workers.map((w) => w.start()))
  await sleep(4_000)
  await Promise.all(workers.map((w) => w.stop()))
  t.same(await slotRows(url), [1], 'one schedule row')
  t.equal(inFlight.max, 1, 'never two runs at once')
})
