/**
 * A worker process for dispatch-crash.test.ts: one pass of the dispatch loop (what `dispatch.pump`
 * runs) against the test database and the AR24 simulator, started on the parent's signal.
 * argv: database URL, the simulator's API URL, the concurrency.
 */
import { loadEnv } from '../../src/config/env.js'
import { openDatabase } from '../../src/db/client.js'
import { createDispatchDeps } from '../../src/modules/dispatch/dispatch-deps.js'
import { runDispatchPump } from '../../src/modules/dispatch/pump.js'

const [url, ar24Url, concurrency] = process.argv.slice(2)
const database = openDatabase(url!, 4)
const deps = await createDispatchDeps(loadEnv({ NODE_ENV: 'test', RELANCE_SANDBOX_AR24_URL: ar24Url }))

process.once('message', () => {
  void (async () => {
    const run = await runDispatchPump(database.db, { ...deps, concurrency: Number(concurrency) })
    await database.close()
    process.send!({ type: 'done', run }, () => process.exit(0))
  })()
})
process.send!({ type: 'ready' })
