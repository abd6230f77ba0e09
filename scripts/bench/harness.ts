import { fork, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { appendFileSync } from 'node:fs'
import { chmod, mkdtemp, rm } from 'node:fs/promises'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import pg from 'pg'
import { request } from 'undici'
import { openDatabase } from '../../src/db/client.js'
import { runMigrations } from '../../src/db/migrate.js'
import { ensureDatabase, startEmbeddedPostgres, type EmbeddedServer } from '../../src/platform/embedded-postgres.js'
import { postgresCpuSeconds, processCpuSeconds } from './proc-cpu.js'
import type { ServerMessage, ServerStats } from './server.js'

const DATABASE = 'relance_bench'

export function say(message: string) {
  process.stdout.write(`${message}\n`)
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))))
    })
  })
}

export interface Bench {
  /** Base URL of Relance (`http://127.0.0.1:port`) and of the bare Fastify baseline. */
  url: string
  bareUrl: string
  tenantId: string
  key: string
  /** The application role's URL of the bench database (row-level security applies). */
  appUrl: string
  /** Superuser connection to the bench database (COPY baseline, seeding checks). */
  admin: pg.Client
  stats(): Promise<ServerStats>
  /** CPU seconds used so far by the server process and by PostgreSQL (Linux; load-independent cost). */
  cpuSeconds(): Promise<{ server: number; postgres: number }>
}

function waitFor<T extends ServerMessage['type']>(child: ChildProcess, type: T): Promise<Extract<ServerMessage, { type: T }>> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: ServerMessage) => {
      if (message.type !== type) return
      child.off('message', onMessage)
      resolve(message as Extract<ServerMessage, { type: T }>)
    }
    child.on('message', onMessage)
    child.once('exit', (code) => reject(new Error(`bench server exited with code ${code}`)))
  })
}

async function post<T>(url: string, headers: Record<string, string>, body: unknown): Promise<T> {
  const res = await request(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) })
  const text = await res.body.text()
  if (res.statusCode >= 300) throw new Error(`POST ${url}: ${res.statusCode} ${text}`)
  return JSON.parse(text) as T
}

/**
 * The anchors' settings (reference/performance-anchors.md): with the default 128 MB of shared
 * buffers a million-row load spends its time evicting pages, and checkpoints every 1 GB of WAL.
 * shared_buffers needs a restart, hence start, set, stop, start.
 */
async function tunedPostgres(dir: string, port: number): Promise<EmbeddedServer> {
  const first = await startEmbeddedPostgres({ dir, port })
  const client = new pg.Client({ connectionString: first.adminUrl() })
  await client.connect()
  await client.query(`alter system set shared_buffers = '4GB'`)
  await client.query(`alter system set max_wal_size = '8GB'`)
  // BENCH_PG_STATS=1: where PostgreSQL spends its time, printed at the end (pg_stat_statements).
  if (process.env.BENCH_PG_STATS) await client.query(`alter system set shared_preload_libraries = pg_stat_statements, auto_explain`)
  if (process.env.BENCH_PG_STATS) await client.query(`alter system set auto_explain.log_min_duration = '300ms'`)
  if (process.env.BENCH_PG_STATS) await client.query(`alter system set auto_explain.log_analyze = on`)
  await client.end()
  await first.stop()
  const log = process.env.BENCH_PG_LOG
  return startEmbeddedPostgres({ dir, port, onLog: log ? (m) => appendFileSync(log, `${m}\n`) : undefined })
}

/** A bench database without a server: its own tuned embedded PostgreSQL, migrated, torn down afterwards. */
export interface BenchDatabase {
  /** The application role's URL of the bench database (row-level security applies). */
  appUrl: string
  /** Superuser connection to the bench database (COPY, set-based seeding, checks). */
  admin: pg.Client
}

export async function withBenchDatabase<T>(fn: (db: BenchDatabase) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(path.join(tmpdir(), 'relance-bench-'))
  await chmod(dir, 0o755) // the postgres system user must reach its data directory
  let admin: pg.Client | undefined
  const embedded = await tunedPostgres(dir, await freePort()).catch(async (error: unknown) => {
    await rm(dir, { recursive: true, force: true })
    throw error
  })
  try {
    await ensureDatabase(embedded.adminUrl(), DATABASE)
    admin = new pg.Client({ connectionString: embedded.adminUrl(DATABASE) })
    await admin.connect()
    if (process.env.BENCH_PG_STATS) await admin.query('create extension if not exists pg_stat_statements')
    const database = openDatabase(embedded.appUrl(DATABASE), 2)
    await runMigrations(database.pool)
    await database.close()
    return await fn({ appUrl: embedded.appUrl(DATABASE), admin })
  } finally {
    if (process.env.BENCH_PG_STATS && admin) await printPgStats(admin).catch(() => undefined)
    await admin?.end().catch(() => undefined)
    await embedded.stop()
    await rm(dir, { recursive: true, force: true })
  }
}

/**
 * A whole bench world, torn down afterwards: the bench database, Relance in a child process (so the
 * load generator does not share its event loop) listening on a free port, and a tenant with a key.
 */
export async function withBench<T>(fn: (bench: Bench) => Promise<T>): Promise<T> {
  const started = Date.now()
  return withBenchDatabase(async ({ appUrl, admin }) => {
    let child: ChildProcess | undefined
    try {
      child = fork(fileURLToPath(new URL('./server.ts', import.meta.url)), [], {
        // BENCH_CPU_PROF=dir writes a CPU profile of the server, to see where its time goes.
        execArgv: ['--import', 'tsx', ...(process.env.BENCH_SQL_TIMING ? ['--import', process.env.BENCH_SQL_TIMING] : []), ...(process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [])],
        // Production mode requires a sealing key; a bench that does not share one gets a throwaway key.
        env: { RELANCE_SECRET_KEY: randomBytes(32).toString('hex'), ...process.env, BENCH_DATABASE_URL: appUrl },
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      })
      const ready = await waitFor(child, 'ready')
      const url = `http://127.0.0.1:${ready.port}`
      const platform = { authorization: `Bearer ${ready.platformKey}` }
      const tenant = await post<{ id: string }>(`${url}/v1/tenants`, platform, { name: 'Bench SAS', mode: 'live' })
      const key = await post<{ secret: string }>(`${url}/v1/api-keys`, { ...platform, 'relance-tenant': tenant.id }, { name: 'bench' })
      say(`setup: PostgreSQL, migrations and server ready in ${((Date.now() - started) / 1000).toFixed(1)} s`)
      const server = child
      const stats = () => {
        const answer = waitFor(server, 'stats')
        server.send({ type: 'stats' })
        return answer.then((m) => m.stats)
      }
      const backendPid = (await admin.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0]!.pid
      const cpuSeconds = async () => ({ server: processCpuSeconds(server.pid!), postgres: postgresCpuSeconds(backendPid) })
      return await fn({ url, appUrl, bareUrl: `http://127.0.0.1:${ready.barePort}`, tenantId: tenant.id, key: key.secret, admin, stats, cpuSeconds })
    } finally {
      if (child?.connected) {
        const exited = new Promise((resolve) => child!.once('exit', resolve))
        child.send({ type: 'stop' })
        await exited
      }
    }
  })
}

async function printPgStats(admin: pg.Client) {
  const { rows } = await admin.query<{ ms: number; calls: number; query: string }>(`
    select round(total_exec_time)::int as ms, calls::int, left(regexp_replace(query, '\\s+', ' ', 'g'), 90) as query
    from pg_stat_statements order by total_exec_time desc limit 12`)
  for (const r of rows) say(`pg ${String(r.ms).padStart(7)} ms ${String(r.calls).padStart(7)}x ${r.query}`)
}

/** The last line of every benchmark (CONVENTIONS.md): one JSON object. */
export function printResult(result: Record<string, unknown>) {
  process.stdout.write(`${JSON.stringify(result)}\n`)
}
