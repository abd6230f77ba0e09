/**
 * A worker process for two-workers.test.ts: the engine's evaluation loop (what `engine.tick` runs)
 * against the test database, started on the parent's signal so that two of them run together.
 * argv: database URL, the instant to evaluate as of, the chunk size.
 */
import { setTimeout as sleep } from 'node:timers/promises'
import { sql } from 'drizzle-orm'
import { openDatabase, withSystem } from '../../src/db/client.js'
import { runEngine, type EngineRun } from '../../src/modules/engine/evaluator.js'

const [url, nowIso, size] = process.argv.slice(2)
const now = new Date(nowIso!)
const database = openDatabase(url!, 2)

async function dueLeft(): Promise<number> {
  const result = await withSystem(database.db, (tx) =>
    tx.execute<{ n: number }>(sql`select count(*)::int as n from invoices where next_action_at <= ${now.toISOString()}::timestamptz`),
  )
  return result.rows[0]!.n
}

process.once('message', () => {
  void (async () => {
    const total: EngineRun = { claimed: 0, dispatches: 0, steps: 0 }
    // A pass ends when nothing is claimable; rows the other worker holds are still due: go again.
    for (let pass = 0; pass < 200; pass++) {
      const run = await runEngine(database.db, now, { wallClockTenants: true }, Number(size))
      total.claimed += run.claimed
      total.dispatches += run.dispatches
      total.steps += run.steps
      if ((await dueLeft()) === 0) break
      await sleep(5)
    }
    await database.close()
    process.send!({ type: 'done', total }, () => process.exit(0))
  })()
})
process.send!({ type: 'ready' })
