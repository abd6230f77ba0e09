/**
 * One worker process of `npm run bench -- workers`: on the parent's word, runs what `engine.tick`
 * and then what `dispatch.pump` run, against the shared database, until nothing is left for any
 * worker; reports its own share. argv: database URL, the instant to run as of.
 */
import { setTimeout as sleep } from 'node:timers/promises'
import { sql } from 'drizzle-orm'
import { loadEnv } from '../../src/config/env.js'
import { openDatabase, withSystem } from '../../src/db/client.js'
import { createDispatchDeps } from '../../src/modules/dispatch/dispatch-deps.js'
import { runDispatchPump } from '../../src/modules/dispatch/pump.js'
import { runEngine } from '../../src/modules/engine/evaluator.js'

export type ChildCommand = { type: 'engine' } | { type: 'pump' } | { type: 'stop' }
export type ChildReport =
  | { type: 'ready' }
  /** `cpuSeconds`: this process's CPU time in the phase, to see where the machine's time went. */
  | { type: 'done'; phase: 'engine' | 'pump'; claimed: number; dispatches: number; sent: number; failed: number; cpuSeconds: number }

const [url, nowIso] = process.argv.slice(2)
const now = new Date(nowIso!)
const env = loadEnv({
  NODE_ENV: 'development',
  LOG_LEVEL: 'silent',
  RELANCE_SECRET_KEY: process.env.RELANCE_SECRET_KEY,
  RELANCE_DISPATCH_BATCH: process.env.RELANCE_DISPATCH_BATCH,
})
const database = openDatabase(url!, 4)
const deps = await createDispatchDeps(env)
const send = (report: ChildReport) => process.send!(report)

async function left(what: 'engine' | 'pump'): Promise<number> {
  const query = what === 'engine'
    ? sql`select count(*)::int as n from invoices where next_action_at <= ${now.toISOString()}::timestamptz`
    : sql`select count(*)::int as n from dispatches
          where (status = 'queued' and scheduled_at <= ${now.toISOString()}::timestamptz) or status = 'sending'`
  const result = await withSystem(database.db, (tx) => tx.execute<{ n: number }>(query))
  return result.rows[0]!.n
}

// A pass ends when it claims nothing; rows another worker holds are still there: go again.
async function drain(what: 'engine' | 'pump') {
  const total = { claimed: 0, dispatches: 0, sent: 0, failed: 0 }
  const cpu = process.cpuUsage()
  for (let pass = 0; pass < 1000; pass++) {
    if (what === 'engine') {
      const run = await runEngine(database.db, now, { wallClockTenants: true })
      total.claimed += run.claimed
      total.dispatches += run.dispatches
    } else {
      const run = await runDispatchPump(database.db, deps, now)
      total.claimed += run.claimed
      total.sent += run.sent
      total.failed += run.failed
    }
    if ((await left(what)) === 0) break
    await sleep(5)
  }
  const used = process.cpuUsage(cpu)
  send({ type: 'done', phase: what, ...total, cpuSeconds: (used.user + used.system) / 1e6 })
}

process.on('message', (command: ChildCommand) => {
  if (command.type === 'stop') void database.close().then(() => process.exit(0))
  else void drain(command.type)
})
send({ type: 'ready' })
