/**
 * The bench's server process: Relance as `npm start` builds it, plus (for `read`) a bare Fastify
 * route serving the same SQL from the same process. Talks to the bench over IPC.
 */
import { buildApp } from '../../src/app.js'
import { loadEnv } from '../../src/config/env.js'
import { openDatabase, withSystem } from '../../src/db/client.js'
import { ensureBootstrapKey } from '../../src/modules/api-keys/api-keys.service.js'
import { startBare } from './bare.js'

export interface ServerStats {
  peakRssMb: number
  maxRssMb: number
}

export type ServerMessage =
  | { type: 'ready'; port: number; barePort: number; platformKey: string }
  | { type: 'stats'; stats: ServerStats }
  | { type: 'stop' }

const send = (message: ServerMessage) => process.send?.(message)

async function main() {
  const env = loadEnv({
    ...process.env,
    NODE_ENV: 'production',
    LOG_LEVEL: 'silent',
    RELANCE_RATE_LIMIT_PER_MINUTE: '1000000000',
    DATABASE_URL: process.env.BENCH_DATABASE_URL,
  })
  const database = openDatabase(env.DATABASE_URL!, env.DATABASE_POOL_MAX)
  const platformKey = (await withSystem(database.db, (tx) => ensureBootstrapKey(tx)))!
  const app = await buildApp({ env, database })
  await app.listen({ host: '127.0.0.1', port: 0 })
  const bareDatabase = openDatabase(env.DATABASE_URL!, env.DATABASE_POOL_MAX)
  const bare = await startBare(bareDatabase.pool)

  let peak = process.memoryUsage.rss()
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 100)
  const address = (server: typeof app.server) => {
    const a = server.address()
    return typeof a === 'object' && a ? a.port : 0
  }
  process.on('message', async (message: ServerMessage) => {
    if (message.type === 'stats') {
      const mb = (bytes: number) => Math.round(bytes / 1024 / 1024)
      send({ type: 'stats', stats: { peakRssMb: mb(peak), maxRssMb: mb(process.resourceUsage().maxRSS * 1024) } })
    }
    if (message.type === 'stop') {
      clearInterval(sampler)
      await app.close()
      await bare.close()
      await database.close()
      await bareDatabase.close()
      process.exit(0)
    }
  })
  send({ type: 'ready', port: address(app.server), barePort: address(bare.server), platformKey })
}

main().catch((error: unknown) => {
  process.stderr.write(`bench server failed: ${error instanceof Error ? error.stack : String(error)}\n`)
  process.exit(1)
})
