import os from 'node:os'
import { loadEnv } from '../../src/config/env.js'
import { openDatabase } from '../../src/db/client.js'
import { createDispatchDeps } from '../../src/modules/dispatch/dispatch-deps.js'
import { runDispatchPump, type PumpDeps, type PumpRun } from '../../src/modules/dispatch/pump.js'
import { fork } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { agendaBaseline } from './agenda-baseline.js'
import { loadDispatchWorld, resetDispatches } from './dispatch-data.js'
import { say, withBenchDatabase } from './harness.js'

/**
 * `npm run bench -- dispatch [--scale F] [--concurrency N] [--slow-concurrency N]`: 20k queued SMS
 * dispatches across 100 tenants, each tenant with its own connection to an SMS gateway simulator.
 * The dispatch loop claims, re-checks, renders, sends and records them end to end; first with a
 * 0 ms gateway, then with 50 ms per request. Baseline: one Agenda job per dispatch (no-op handler)
 * on a sample, extrapolated linearly.
 */

const NOW = new Date('2026-03-18T10:00:00Z')
const AGENDA_SAMPLE = 2_000

function option(args: string[], name: string, fallback: number): number {
  const i = args.indexOf(`--${name}`)
  const value = i === -1 ? fallback : Number(args[i + 1])
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} needs a positive number`)
  return value
}

const round = (n: number, digits = 0) => Math.round(n * 10 ** digits) / 10 ** digits

type SmsStats = { requests: number; accepted: number; sendsByRef: Record<string, number> }
interface RemoteSms {
  url: string
  stats(): Promise<SmsStats>
  close(): void
}

/** The gateway simulator runs in a child process: its HTTP work is not Relance's. */
async function startRemoteSms(latencyMs: number): Promise<RemoteSms> {
  const child = fork(fileURLToPath(new URL('./sms-sim-process.ts', import.meta.url)), [String(latencyMs)], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
  const next = <T>(type: string) => new Promise<T>((resolve) => {
    const on = (m: { type: string } & T) => {
      if (m.type !== type) return
      child.off('message', on)
      resolve(m)
    }
    child.on('message', on)
  })
  const { url } = await next<{ url: string }>('ready')
  return {
    url,
    stats: async () => {
      const answer = next<{ stats: SmsStats }>('stats')
      child.send({ type: 'stats' })
      return (await answer).stats
    },
    close: () => child.send({ type: 'close' }),
  }
}

async function phase(label: string, db: Parameters<typeof runDispatchPump>[0], deps: PumpDeps, sms: RemoteSms, expected: number) {
  const started = performance.now()
  const run: PumpRun = await runDispatchPump(db, deps, NOW)
  const seconds = (performance.now() - started) / 1000
  const stats = await sms.stats()
  if (run.sent !== expected || stats.accepted !== expected) throw new Error(`${label}: ${JSON.stringify(run)}, gateway accepted ${stats.accepted}`)
  if (Object.values(stats.sendsByRef).some((n) => n !== 1)) throw new Error(`${label}: a dispatch was sent twice`)
  const perSecond = expected / seconds
  say(`${label}: ${expected} dispatches in ${seconds.toFixed(2)} s = ${Math.round(perSecond)}/s (batch ${deps.batchSize}, concurrency ${deps.concurrency})`)
  return { seconds, perSecond }
}

export async function run(args: string[]): Promise<Record<string, unknown>> {
  const scale = option(args, 'scale', 1)
  const dispatches = Math.max(100, Math.round(20_000 * scale))
  const tenants = Math.max(1, Math.round(100 * Math.min(scale, 1)))
  const concurrency = option(args, 'concurrency', 64)
  const slowConcurrency = option(args, 'slow-concurrency', 512)
  const [fast, slow] = await Promise.all([startRemoteSms(0), startRemoteSms(50)])
  try {
    return await withBenchDatabase(async ({ appUrl, admin }) => {
      const database = openDatabase(appUrl, 8)
      try {
        const loadStarted = performance.now()
        await loadDispatchWorld(admin, { tenants, dispatches, smsUrl: fast.url })
        const { rows } = await admin.query<{ n: number }>(`select count(*)::int as n from dispatches`)
        const total = rows[0]!.n
        say(`setup: ${total} queued SMS dispatches across ${tenants} tenants, loaded in ${((performance.now() - loadStarted) / 1000).toFixed(1)} s`)
        const deps = await createDispatchDeps(loadEnv({ NODE_ENV: 'development', LOG_LEVEL: 'silent' }))
        const zero = await phase('(a) 0 ms gateway', database.db, { ...deps, batchSize: 1000, concurrency }, fast, total)
        await resetDispatches(admin, slow.url)
        const fifty = await phase('(b) 50 ms gateway', database.db, { ...deps, batchSize: 2000, concurrency: slowConcurrency }, slow, total)

        const agenda = await agendaBaseline(appUrl, AGENDA_SAMPLE)
        const agendaSeconds = (agenda.drainSeconds / AGENDA_SAMPLE) * total
        say(`baseline: ${AGENDA_SAMPLE} Agenda jobs drained in ${agenda.drainSeconds.toFixed(1)} s (${Math.round(AGENDA_SAMPLE / agenda.drainSeconds)} jobs/s); ${total} dispatches ≈ ${agendaSeconds.toFixed(0)} s`)
        return {
          bench: 'dispatch',
          metric: `${total} queued SMS dispatches across ${tenants} tenants, end to end (claim, re-check, render, send over HTTP, record) against a 0 ms gateway simulator; baseline measured on ${AGENDA_SAMPLE} jobs and extrapolated`,
          unit: 'dispatches/s',
          value: round(zero.perSecond),
          baseline: 'one Agenda job per dispatch (agenda 6 + @agendajs/postgres-backend, no-op handler, concurrency 50)',
          baseline_value: round(total / agendaSeconds),
          ratio: round(zero.perSecond / (total / agendaSeconds), 1),
          seconds: round(zero.seconds, 2),
          latency_50ms_per_s: round(fifty.perSecond),
          latency_50ms_seconds: round(fifty.seconds, 2),
          concurrency,
          latency_50ms_concurrency: slowConcurrency,
          load_average: os.loadavg().map((n) => round(n, 2)),
          cpus: os.cpus().length,
          scale,
        }
      } finally {
        await database.close()
      }
    })
  } finally {
    fast.close()
    slow.close()
  }
}
