import path from 'node:path'
import pino from 'pino'
import { buildApp } from './app.js'
import { ConfigError, loadEnv, type Env } from './config/env.js'
import { openDatabase, withSystem, type Database } from './db/client.js'
import { runMigrations } from './db/migrate.js'
import { ensureBootstrapKey } from './modules/api-keys/api-keys.service.js'
import { ensureDatabase, startEmbeddedPostgres, type EmbeddedServer } from './platform/embedded-postgres.js'
import type { Scheduler } from './platform/jobs.js'
import { loggerOptions } from './platform/logger.js'
import { createWorker } from './platform/worker.js'
import { startSimulatorsInProcess } from './sandbox/in-process.js'
import { resolveSecretKey } from './shared/secret-box.js'

function readEnv(): Env {
  try {
    const env = loadEnv()
    resolveSecretKey(env) // production without RELANCE_SECRET_KEY stops here, with the config errors
    return env
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\nSee .env.example for every variable and its format.\n`)
      process.exit(78) // EX_CONFIG
    }
    throw error
  }
}

async function migrateThrough(directUrl: string, databaseUrl: string, database: Database): Promise<void> {
  if (directUrl === databaseUrl) return runMigrations(database.pool)
  const direct = openDatabase(directUrl, 1)
  try {
    await runMigrations(direct.pool)
  } finally {
    await direct.close()
  }
}

async function main() {
  const env = readEnv()
  const log = pino(loggerOptions(env) as pino.LoggerOptions)
  const started = Date.now()

  let embedded: EmbeddedServer | undefined
  let databaseUrl = env.DATABASE_URL
  if (!databaseUrl) {
    const dir = path.resolve(env.RELANCE_DATA_DIR)
    log.info({ dir }, 'no DATABASE_URL: starting embedded PostgreSQL')
    embedded = await startEmbeddedPostgres({ dir, port: env.RELANCE_EMBEDDED_PG_PORT, onLog: (m) => log.debug({ postgres: m }) })
    await ensureDatabase(embedded.adminUrl(), 'relance')
    databaseUrl = embedded.appUrl('relance')
  }

  const database = openDatabase(databaseUrl, env.DATABASE_POOL_MAX, { replicaUrl: env.DATABASE_REPLICA_URL })
  // Migrations (a session advisory lock) and Agenda (LISTEN) need a session of their own: behind
  // PgBouncer in transaction mode they use DATABASE_DIRECT_URL (docs/scaling.md).
  const directUrl = (!embedded && env.DATABASE_DIRECT_URL) || databaseUrl
  await migrateThrough(directUrl, databaseUrl, database)
  const bootstrapKey = await withSystem(database.db, (tx) => ensureBootstrapKey(tx, env.RELANCE_BOOTSTRAP_KEY))

  // Outside production, sandbox tenants get the provider simulators without any setup.
  const simulate = env.RELANCE_SANDBOX_SIMULATORS ?? (env.NODE_ENV !== 'production' && !env.RELANCE_SANDBOX_AR24_URL)
  const simulators = simulate
    ? await startSimulatorsInProcess(env.RELANCE_PUBLIC_URL ?? `http://${env.HOST === '0.0.0.0' ? '127.0.0.1' : env.HOST}:${env.PORT}`)
    : undefined
  if (simulators) {
    Object.assign(env, {
      RELANCE_SANDBOX_AR24_URL: simulators.ar24Url,
      RELANCE_SANDBOX_PRINT_MAIL_API_URL: simulators.printMailApiUrl,
      RELANCE_SANDBOX_PRINT_MAIL_AUTH_URL: simulators.printMailAuthUrl,
    })
  }
  const app = env.RELANCE_ROLE === 'worker' ? null : await buildApp({ env, database })
  let scheduler: Scheduler | undefined
  if (env.RELANCE_ROLE !== 'api') {
    scheduler = createWorker(env, directUrl, database, log)
    await scheduler.start()
  }

  let shuttingDown = false
  const shutdown = async (signal: string) => {
    if (shuttingDown) {
      log.warn({ signal }, 'second signal: exiting now')
      process.exit(1)
    }
    shuttingDown = true
    log.info({ signal }, 'shutting down')
    // Order matters: stop taking requests, let jobs finish, then close the pool, then PostgreSQL.
    await app?.close().catch((err: unknown) => log.error({ err }, 'http close failed'))
    await scheduler?.stop().catch((err: unknown) => log.error({ err }, 'scheduler stop failed'))
    await simulators?.close().catch((err: unknown) => log.error({ err }, 'simulators close failed'))
    await database.close().catch((err: unknown) => log.error({ err }, 'pool close failed'))
    await embedded?.stop().catch((err: unknown) => log.error({ err }, 'embedded postgres stop failed'))
    log.info('stopped')
    process.exit(0)
  }
  // embedded-postgres stops PostgreSQL on the first signal, before the HTTP server and Agenda have
  // let go of their connections; its hook on 'exit' still stops it if we crash.
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.removeAllListeners(signal)
    process.on(signal, () => void shutdown(signal))
  }

  if (app) {
    await app.listen({ host: env.HOST, port: env.PORT })
    const address = app.server.address()
    const port = typeof address === 'object' && address ? address.port : env.PORT
    const base = env.RELANCE_PUBLIC_URL ?? `http://${env.HOST === '0.0.0.0' ? 'localhost' : env.HOST}:${port}`
    const lines = [
      '',
      `  Relance is up (${env.RELANCE_ROLE}) in ${((Date.now() - started) / 1000).toFixed(1)} s`,
      `  API:      ${base}/v1`,
      `  Docs:     ${base}/docs`,
      `  GraphQL:  ${base}/graphql`,
      `  Database: ${embedded ? `embedded PostgreSQL in ${path.resolve(env.RELANCE_DATA_DIR)}` : 'DATABASE_URL'}`,
    ]
    if (simulators) lines.push(`  Sandbox:  AR24 simulator ${simulators.ar24Url}, print-mail simulator ${simulators.printMailApiUrl}`)
    if (bootstrapKey) {
      lines.push('', `  Platform API key (shown this once, keep it): ${bootstrapKey}`)
    }
    process.stdout.write(`${lines.join('\n')}\n\n`)
  } else {
    log.info({ ms: Date.now() - started }, 'worker started')
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`Relance failed to start: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`)
  process.exit(1)
})
