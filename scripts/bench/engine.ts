import { openDatabase } from '../../src/db/client.js'
import { runEngine, type EngineRun } from '../../src/modules/engine/evaluator.js'
import { agendaBaseline } from './agenda-baseline.js'
import { loadEngineWorld } from './engine-data.js'
import { say, withBenchDatabase } from './harness.js'

/**
 * `npm run bench -- engine [--scale F]`: 1M open invoices across 1,000 tenants, about 5% due.
 * (a) one full pass over what is due, (b) an immediate re-run (must create nothing), (c) every
 * invoice due at once; against one Agenda job per step on a sample, extrapolated linearly.
 */

// A Wednesday, 10:00 in Paris: inside the default send window, not a public holiday.
const NOW = new Date('2026-03-18T09:00:00Z')
const TODAY = '2026-03-18'
// (c) runs a month later (Friday 17 April, 11:00 in Paris), so most invoices have a step due, not
// just a next_action_at in the past: the engine stopped for a month and catches up.
const CATCH_UP = new Date('2026-04-17T09:00:00Z')
const AGENDA_SAMPLE = 2_000

function option(args: string[], name: string, fallback: number): number {
  const i = args.indexOf(`--${name}`)
  const value = i === -1 ? fallback : Number(args[i + 1])
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} needs a positive number`)
  return value
}

async function timed(label: string, pass: () => Promise<EngineRun>): Promise<EngineRun & { seconds: number }> {
  const started = performance.now()
  const run = await pass()
  const seconds = (performance.now() - started) / 1000
  say(`${label}: ${seconds.toFixed(2)} s, ${run.claimed} invoices planned, ${run.steps} steps in ${run.dispatches} new dispatches`)
  return { ...run, seconds }
}

const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits

export async function run(args: string[]): Promise<Record<string, unknown>> {
  const scale = option(args, 'scale', 1)
  const tenants = Math.max(1, Math.round(1_000 * scale))
  return withBenchDatabase(async ({ appUrl, admin }) => {
    const database = openDatabase(appUrl, 4)
    try {
      const loadStarted = performance.now()
      const world = await loadEngineWorld(admin, database.db, { tenants, invoicesPerTenant: 1_000, now: NOW, today: TODAY })
      say(`setup: ${world.invoices} invoices of ${world.debtors} debtors across ${world.tenants} tenants, ${world.due} due, loaded in ${((performance.now() - loadStarted) / 1000).toFixed(1)} s`)

      const scope = { wallClockTenants: true } as const
      const pass = await timed('(a) full pass', () => runEngine(database.db, NOW, scope))
      if (pass.claimed !== world.due) throw new Error(`(a) planned ${pass.claimed} invoices, ${world.due} were due`)
      const rerun = await timed('(b) immediate re-run', () => runEngine(database.db, NOW, scope))
      if (rerun.dispatches !== 0 || rerun.steps !== 0) throw new Error(`(b) the re-run created ${rerun.dispatches} dispatches`)
      const { rows: items } = await admin.query<{ n: number; dup: number }>(
        `select count(*)::int as n, (count(*) - count(distinct (tenant_id, case_id, step_key)))::int as dup from dispatch_items`,
      )
      if (items[0]!.n !== pass.steps || items[0]!.dup !== 0) throw new Error(`dispatch items: ${JSON.stringify(items[0])}, ${pass.steps} expected`)

      const sample = AGENDA_SAMPLE
      const agenda = await agendaBaseline(appUrl, sample)
      const agendaSeconds = (agenda.drainSeconds / sample) * pass.claimed
      say(`baseline: ${sample} Agenda jobs enqueued in ${agenda.enqueueSeconds.toFixed(1)} s, drained in ${agenda.drainSeconds.toFixed(1)} s (${Math.round(sample / agenda.drainSeconds)} jobs/s); ${pass.claimed} steps ≈ ${agendaSeconds.toFixed(0)} s`)

      await admin.query(`update invoices set next_action_at = 'epoch'`)
      await admin.query('vacuum analyze invoices')
      await admin.query('checkpoint')
      const all = await timed('(c) everything due at once', () => runEngine(database.db, CATCH_UP, scope))
      if (all.claimed < world.invoices) throw new Error(`(c) planned ${all.claimed} of ${world.invoices} invoices`)

      const label = world.invoices >= 1_000_000 ? `${world.invoices / 1_000_000}M` : `${world.invoices / 1000}k`
      return {
        bench: 'engine',
        metric: `${label} open invoices across ${world.tenants} tenants, ${round((world.due / world.invoices) * 100, 1)}% due, full evaluation pass (runEngine); baseline measured on ${sample} jobs and extrapolated linearly to ${pass.claimed}`,
        unit: 's',
        value: round(pass.seconds),
        baseline: 'one Agenda job per step (agenda 6 + @agendajs/postgres-backend, no-op handler, concurrency 50)',
        baseline_value: round(agendaSeconds, 1),
        ratio: Math.round(agendaSeconds / pass.seconds),
        due_invoices: pass.claimed,
        dispatches: pass.dispatches,
        steps: pass.steps,
        rerun_s: round(rerun.seconds),
        rerun_dispatches: rerun.dispatches,
        all_due_s: round(all.seconds),
        all_due_invoices: all.claimed,
        all_due_dispatches: all.dispatches,
        all_due_steps: all.steps,
        agenda_jobs_per_s: Math.round(sample / agenda.drainSeconds),
        scale,
      }
    } finally {
      await database.close()
    }
  })
}
