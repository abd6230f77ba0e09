import { fork, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { cpus, loadavg } from 'node:os'
import { fileURLToPath } from 'node:url'
import { loadEnv } from '../../src/config/env.js'
import { openDatabase } from '../../src/db/client.js'
import { createDispatchDeps } from '../../src/modules/dispatch/dispatch-deps.js'
import { say, withBenchDatabase } from './harness.js'
import { postgresCpuSeconds } from './proc-cpu.js'
import { startSmtpSink } from './smtp-sink.js'
import { agendaJobRows, benchInstant } from './workers-agenda.js'
import type { ChildCommand, ChildReport } from './workers-child.js'
import { loadWorkersBatch, type WorkersBatch } from './workers-data.js'

/**
 * `npm run bench -- workers [--scale F]`: evaluation and dispatch throughput with 1, 2 and 4 worker
 * processes side by side against one PostgreSQL. Each count gets a fresh batch of due invoices;
 * every reminder goes over SMTP to a sink that counts repeats (two workers sending one dispatch).
 */

const WORKER_COUNTS = [1, 2, 4]
type Done = Extract<ChildReport, { type: 'done' }>

function option(args: string[], name: string, fallback: number): number {
  const i = args.indexOf(`--${name}`)
  const value = i === -1 ? fallback : Number(args[i + 1])
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} needs a positive number`)
  return value
}

function startChild(url: string, now: Date, secretKey: string): { child: ChildProcess; next: () => Promise<ChildReport> } {
  const child = fork(fileURLToPath(new URL('./workers-child.ts', import.meta.url)), [url, now.toISOString()], {
    // BENCH_CPU_PROF=dir: a CPU profile per worker, to see where a dispatch's time goes.
    execArgv: ['--import', 'tsx', ...(process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [])],
    // Batches of 100 rather than the default 500: several workers share a backlog more evenly.
    env: { ...process.env, RELANCE_SECRET_KEY: secretKey, RELANCE_DISPATCH_BATCH: process.env.RELANCE_DISPATCH_BATCH ?? '100' },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  })
  const inbox: ChildReport[] = []
  const waiting: ((r: ChildReport) => void)[] = []
  child.on('message', (r: ChildReport) => (waiting.length ? waiting.shift()!(r) : inbox.push(r)))
  child.once('exit', (code) => code !== 0 && say(`worker exited with ${code}`))
  const next = () => (inbox.length ? Promise.resolve(inbox.shift()!) : new Promise<ChildReport>((resolve) => waiting.push(resolve)))
  return { child, next }
}

/** Runs one phase on `workers`; CPU seconds of the workers and of this process (the SMTP sink). */
async function phase(workers: ReturnType<typeof startChild>[], command: ChildCommand, backendPid = 0) {
  const started = performance.now()
  const pgBefore = postgresCpuSeconds(backendPid)
  const cpu = process.cpuUsage()
  for (const w of workers) w.child.send(command)
  const reports = (await Promise.all(workers.map((w) => w.next()))) as Done[]
  const sink = process.cpuUsage(cpu)
  const pgCpu = postgresCpuSeconds(backendPid) - pgBefore
  return {
    pgCpu,
    seconds: (performance.now() - started) / 1000,
    reports,
    workerCpu: reports.reduce((n, r) => n + r.cpuSeconds, 0),
    sinkCpu: (sink.user + sink.system) / 1e6,
  }
}

const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits

export async function run(args: string[]): Promise<Record<string, unknown>> {
  const scale = option(args, 'scale', 1)
  const batch = (name: string): WorkersBatch => ({ name, tenants: 10, debtorsPerTenant: Math.max(1, Math.round(300 * scale)), invoicesPerDebtor: 5 })
  const { now, today } = benchInstant()
  const secretKey = randomBytes(32).toString('hex')
  const env = loadEnv({ NODE_ENV: 'development', LOG_LEVEL: 'silent', RELANCE_SECRET_KEY: secretKey })
  const sink = await startSmtpSink()
  try {
    return await withBenchDatabase(async ({ appUrl, admin }) => {
      const database = openDatabase(appUrl, 4)
      const deps = await createDispatchDeps(env) // the registry and key the connections API uses
      const load = (name: string, size = batch(name)) => loadWorkersBatch(admin, database.db, deps, size, { now, today, smtpPort: sink.port })
      try {
        say(`running as of ${now.toISOString()} (a future working day: the real worker's wall-clock ticks find nothing due)`)
        // All four processes start now and first drain a small warm-up batch together (not
        // measured), so no count pays for module loading, JIT and template compilation.
        const pool = Array.from({ length: Math.max(...WORKER_COUNTS) }, () => startChild(appUrl, now, secretKey))
        await Promise.all(pool.map((w) => w.next()))
        await load('w0warm', { name: 'w0warm', tenants: 4, debtorsPerTenant: 25, invoicesPerDebtor: 5 })
        await phase(pool, { type: 'engine' })
        await phase(pool, { type: 'pump' })
        const first = await load('w1')
        const agendaBefore = await agendaJobRows(env, appUrl, database, admin)
        say(`agenda: ${agendaBefore.rows} job rows with ${agendaBefore.invoices} invoices loaded`)
        let sentBefore = sink.counts().messages
        const backendPid = (await admin.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0]!.pid
        const curve: Record<string, unknown>[] = []
        for (const count of WORKER_COUNTS) {
          const loaded = count === 1 ? first : await load(`w${count}`)
          const workers = pool.slice(0, count)
          const engine = await phase(workers, { type: 'engine' }, backendPid)
          const pump = await phase(workers, { type: 'pump' }, backendPid)
          const dispatches = engine.reports.reduce((n, r) => n + r.dispatches, 0)
          const sent = pump.reports.reduce((n, r) => n + r.sent, 0)
          const failed = pump.reports.reduce((n, r) => n + r.failed, 0)
          const atSink = sink.counts()
          if (dispatches !== loaded.debtors || sent !== dispatches || failed || atSink.messages - sentBefore !== sent) {
            throw new Error(`${count} workers: ${loaded.debtors} debtors due, ${dispatches} dispatches, ${sent} sent, ${failed} failed, ${atSink.messages - sentBefore} at the sink`)
          }
          sentBefore = atSink.messages
          const point = {
            workers: count,
            invoices: loaded.invoices,
            evaluate_s: round(engine.seconds, 2),
            invoices_per_s: Math.round(loaded.invoices / engine.seconds),
            dispatches: sent,
            dispatch_s: round(pump.seconds, 2),
            dispatches_per_s: Math.round(sent / pump.seconds),
            shares: pump.reports.map((r) => r.sent),
            // CPU seconds spent by the workers (rendering, SMTP client, SQL client) and the sink
            // per phase, and by PostgreSQL (its backends, read from /proc); other users of the machine take the rest.
            evaluate_worker_cpu_s: round(engine.workerCpu, 2),
            evaluate_pg_cpu_s: round(engine.pgCpu, 2),
            dispatch_pg_cpu_s: round(pump.pgCpu, 2),
            dispatch_worker_cpu_s: round(pump.workerCpu, 2),
            dispatch_sink_cpu_s: round(pump.sinkCpu, 2),
            load_average: round(loadavg()[0]!, 1),
          }
          say(`${count} worker(s): evaluated ${loaded.invoices} invoices in ${point.evaluate_s} s (${point.invoices_per_s}/s), sent ${sent} emails in ${point.dispatch_s} s (${point.dispatches_per_s}/s), shares ${point.shares.join('/')}; CPU evaluate: workers ${point.evaluate_worker_cpu_s} s, pg ${point.evaluate_pg_cpu_s} s; dispatch: workers ${point.dispatch_worker_cpu_s} s, pg ${point.dispatch_pg_cpu_s} s, sink ${point.dispatch_sink_cpu_s} s; load ${point.load_average}`)
          curve.push(point)
        }
        await Promise.all(pool.map((w) => new Promise((resolve) => { w.child.once('exit', resolve); w.child.send({ type: 'stop' }) })))
        const agendaAfter = await agendaJobRows(env, appUrl, database, admin)
        say(`agenda: ${agendaAfter.rows} job rows with ${agendaAfter.invoices} invoices loaded`)
        if (agendaAfter.rows !== agendaBefore.rows) throw new Error(`Agenda's job table grew from ${agendaBefore.rows} to ${agendaAfter.rows} rows`)
        const counts = sink.counts()
        const last = curve.at(-1)!
        return {
          bench: 'workers',
          metric: `dispatches/s with ${last.workers} worker processes (engine pass then dispatch pump, SMTP sink at 0 ms, one PostgreSQL, same 2 cores)`,
          unit: 'dispatches/s',
          value: last.dispatches_per_s,
          duplicates: counts.duplicates,
          messages_at_sink: counts.messages,
          curve,
          agenda_job_rows: { before: agendaBefore.rows, after: agendaAfter.rows, invoices_before: agendaBefore.invoices, invoices_after: agendaAfter.invoices },
          cores: cpus().length,
          scale,
        }
      } finally {
        await database.close()
      }
    })
  } finally {
    await sink.close()
  }
}
