/**
 * The worker the kill -9 run kills: for each instant from `start`, what `engine.tick` runs
 * (`runEngine`), then what `dispatch.pump` runs (`runDispatchPump`) until nothing due is left,
 * against the shared database and the providers process. It tells the parent which phase it is
 * in and how much work that phase has, so the parent can aim its kills and say what each one hit.
 * argv: database URL, then a JSON `WorkerPlan`. RELANCE_SECRET_KEY opens the connections' credentials.
 */
import { setTimeout as sleep } from 'node:timers/promises'
import { sql } from 'drizzle-orm'
import { loadEnv } from '../../src/config/env.js'
import { openDatabase, withSystem } from '../../src/db/client.js'
import { createDispatchDeps } from '../../src/modules/dispatch/dispatch-deps.js'
import { runDispatchPump } from '../../src/modules/dispatch/pump.js'
import { runEngine } from '../../src/modules/engine/evaluator.js'

export interface WorkerPlan {
  instants: string[]
  start: number
  /** A dispatch left `sending` by a killed worker is taken back after this long (production: 300 s). */
  leaseSeconds: number
  /** Invoices per engine transaction: small, so an evaluation is many commits a kill can fall between. */
  chunk: number
  batch: number
  concurrency: number
}

export type Phase = 'evaluate' | 'dispatch'
export type WorkerMessage =
  | { type: 'phase'; phase: Phase; instant: number; work: number }
  | { type: 'instant-done'; instant: number }
  | { type: 'finished' }

const [url, planJson] = process.argv.slice(2)
const plan = JSON.parse(planJson!) as WorkerPlan
const database = openDatabase(url!, 4)
const env = loadEnv({ NODE_ENV: 'development', LOG_LEVEL: 'silent', RELANCE_SECRET_KEY: process.env.RELANCE_SECRET_KEY })
const deps = { ...(await createDispatchDeps(env)), leaseSeconds: plan.leaseSeconds, batchSize: plan.batch, concurrency: plan.concurrency }
const tell = (m: WorkerMessage) => process.send!(m)

async function count(query: ReturnType<typeof sql>): Promise<number> {
  const result = await withSystem(database.db, (tx) => tx.execute<{ n: number }>(query))
  return result.rows[0]!.n
}

const dueInvoices = (now: Date) => count(sql`select count(*)::int as n from invoices where next_action_at <= ${now.toISOString()}::timestamptz`)
// Rows a killed worker left 'sending' count as work: the lease brings them back.
const dueDispatches = (now: Date) =>
  count(sql`select count(*)::int as n from dispatches where (status = 'queued' and scheduled_at <= ${now.toISOString()}::timestamptz) or status = 'sending'`)

for (let i = plan.start; i < plan.instants.length; i++) {
  const now = new Date(plan.instants[i]!)
  tell({ type: 'phase', phase: 'evaluate', instant: i, work: await dueInvoices(now) })
  await runEngine(database.db, now, { wallClockTenants: true }, plan.chunk)
  for (;;) {
    const work = await dueDispatches(now)
    if (!work) break
    tell({ type: 'phase', phase: 'dispatch', instant: i, work })
    const run = await runDispatchPump(database.db, deps, now)
    // Nothing claimable yet: rows a killed worker left 'sending' wait for their lease.
    if (!run.claimed) await sleep(250)
  }
  tell({ type: 'instant-done', instant: i })
}
await database.close()
tell({ type: 'finished' })
process.disconnect()
