/**
 * The kill -9 run, shared by `npm run chaos -- kill9` and test/chaos/kill9.test.ts: the providers
 * in their own process, a ledger loaded through the API, then one worker process at a time doing
 * evaluation and dispatch, SIGKILLed at seeded random moments aimed in turn at the two phases,
 * and started again each time from the instant it had not finished. When the kills are done it
 * drains, and the providers' counters and the database are checked (kill9-checks.ts).
 */
import { fork, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { seededRandom } from '../../src/sandbox/seeded-random.js'
import { checkOutcome, type Outcome, type Query } from './kill9-checks.js'
import type { Phase, WorkerMessage, WorkerPlan } from './kill9-worker.js'
import { seedWorld, type Inject, type WorldSize } from './kill9-world.js'
import type { ProviderAddresses, ProvidersMessage, ProvidersReport } from './providers-process.js'

export interface Kill9Options {
  /** The application role's URL of a migrated database the workers connect to. */
  databaseUrl: string
  inject: Inject
  platformKey: string
  /** The RELANCE_SECRET_KEY of the app that sealed the connections' credentials. */
  secretKey: string
  query: Query
  size: WorldSize
  kills: number
  seed: number
  leaseSeconds?: number
  chunk?: number
  batch?: number
  concurrency?: number
  log?: (line: string) => void
}

export interface KillRecord {
  /** What the worker was doing when it was killed, as it last reported. */
  phase: Phase | 'starting'
  instant: number
  /** Invoices (evaluate) or dispatches (dispatch) due when that phase began. */
  work: number
  /** Milliseconds into that phase. */
  into: number
}

export interface Kill9Report extends Outcome {
  seed: number
  debtors: number
  invoices: number
  kills: KillRecord[]
  killsByPhase: Record<string, number>
  restarts: number
  seconds: { seed: number; run: number; total: number }
}

const here = (file: string) => fileURLToPath(new URL(file, import.meta.url))

function startProviders(): Promise<{ child: ChildProcess; addresses: ProviderAddresses; counts(): Promise<ProvidersReport> }> {
  const child = fork(here('./providers-process.ts'), [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
  const next = <T extends ProvidersMessage['type']>(type: T) =>
    new Promise<Extract<ProvidersMessage, { type: T }>>((resolve, reject) => {
      const on = (m: ProvidersMessage) => {
        if (m.type !== type) return
        child.off('message', on)
        resolve(m as Extract<ProvidersMessage, { type: T }>)
      }
      child.on('message', on)
      child.once('exit', (code) => reject(new Error(`providers process exited with ${code}`)))
    })
  let died: string | null = null
  child.once('exit', (code, signal) => (died = `the providers process died (${signal ?? code}): their counts are lost`))
  return next('ready').then(({ addresses }) => ({
    child,
    addresses,
    counts: async () => {
      if (died) throw new Error(died)
      const answer = next('counts')
      child.send({ type: 'counts' })
      return answer
    },
  }))
}

interface RunningWorker {
  child: ChildProcess
  /** The last phase it reported, and when. */
  current: { phase: Phase | 'starting'; instant: number; work: number; since: number }
  lastDone: number
  /** Resolves on the first message `match` accepts, or null when the worker ends first. */
  until(match: (m: WorkerMessage) => boolean): Promise<WorkerMessage | null>
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>
}

function startWorker(url: string, plan: WorkerPlan, secretKey: string, lastDone: number): RunningWorker {
  const child = fork(here('./kill9-worker.ts'), [url, JSON.stringify(plan)], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, RELANCE_SECRET_KEY: secretKey },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  })
  const waiters: { match: (m: WorkerMessage) => boolean; resolve: (m: WorkerMessage | null) => void }[] = []
  const worker: RunningWorker = {
    child,
    current: { phase: 'starting', instant: plan.start, work: 0, since: Date.now() },
    lastDone,
    until: (match) => new Promise((resolve) => waiters.push({ match, resolve })),
    exited: new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal }))),
  }
  child.on('message', (m: WorkerMessage) => {
    if (m.type === 'phase') worker.current = { phase: m.phase, instant: m.instant, work: m.work, since: Date.now() }
    if (m.type === 'instant-done') worker.lastDone = m.instant
    for (const w of [...waiters]) {
      if (!w.match(m)) continue
      waiters.splice(waiters.indexOf(w), 1)
      w.resolve(m)
    }
  })
  void worker.exited.then(() => waiters.splice(0).forEach((w) => w.resolve(null)))
  return worker
}

/** How long a phase with `work` items may last: a kill lands at a uniform moment within it. */
const phaseMs = (phase: Phase, work: number) => (phase === 'evaluate' ? 50 + work * 0.6 : 150 + Math.min(work, 200) * 15)

export async function runKill9(options: Kill9Options): Promise<Kill9Report> {
  const log = options.log ?? (() => undefined)
  const started = Date.now()
  const rng = seededRandom(options.seed)
  const providers = await startProviders()
  try {
    const world = await seedWorld(options.inject, options.platformKey, options.size, providers.addresses)
    const seeded = Date.now()
    log(`seeded ${world.debtors} debtors, ${world.invoices} invoices across ${world.tenantIds.length} tenants in ${((seeded - started) / 1000).toFixed(1)} s; ${world.instants.length} instants to play`)
    const plan = (start: number): WorkerPlan => ({
      instants: world.instants.map((i) => i.toISOString()),
      start,
      leaseSeconds: options.leaseSeconds ?? 2,
      chunk: options.chunk ?? 150,
      batch: options.batch ?? 100,
      concurrency: options.concurrency ?? 8,
    })

    const kills: KillRecord[] = []
    let restarts = 0
    let worker = startWorker(options.databaseUrl, plan(0), options.secretKey, -1)
    while (kills.length < options.kills) {
      // Aim at the phase hit least so far; a phase only counts when it has work to do.
      const evaluations = kills.filter((k) => k.phase === 'evaluate').length
      const target: Phase = evaluations * 2 < kills.length || (evaluations * 2 === kills.length && rng() < 0.5) ? 'evaluate' : 'dispatch'
      const entered = await worker.until((m) => m.type === 'finished' || (m.type === 'phase' && m.phase === target && m.work > 0))
      if (!entered || entered.type !== 'phase') break
      await new Promise((resolve) => setTimeout(resolve, rng() * phaseMs(target, entered.work)))
      if (worker.child.exitCode !== null) break
      const at = worker.current
      kills.push({ phase: at.phase, instant: at.instant, work: at.work, into: Date.now() - at.since })
      worker.child.kill('SIGKILL')
      const exit = await worker.exited
      if (exit.signal !== 'SIGKILL') throw new Error(`the worker ended by itself (${exit.code}) before kill ${kills.length}`)
      log(`kill ${kills.length}: ${at.phase} of day ${at.instant + 1} (${at.work} due), ${kills.at(-1)!.into} ms into it`)
      restarts++
      worker = startWorker(options.databaseUrl, plan(worker.lastDone + 1), options.secretKey, worker.lastDone)
    }
    const exit = await worker.exited
    if (exit.code !== 0) throw new Error(`the last worker exited with ${exit.code ?? exit.signal}`)
    const ran = Date.now()
    const killsByPhase: Record<string, number> = {}
    for (const k of kills) killsByPhase[k.phase] = (killsByPhase[k.phase] ?? 0) + 1
    // SMTP cannot be asked what it received: a message accepted in the few milliseconds before a
    // kill, not yet journaled, goes again. Each such kill may catch one per send lane.
    const smtpAllowance = (killsByPhase.dispatch ?? 0) * (options.concurrency ?? 8)
    const outcome = await checkOutcome(options.query, await providers.counts(), world, smtpAllowance)
    if (kills.length < options.kills) outcome.problems.push(`only ${kills.length} of ${options.kills} kills: the worker finished first (a bigger ledger has more phases to kill)`)
    return {
      ...outcome,
      seed: options.seed,
      debtors: world.debtors,
      invoices: world.invoices,
      kills,
      killsByPhase,
      restarts,
      seconds: { seed: (seeded - started) / 1000, run: (ran - seeded) / 1000, total: (Date.now() - started) / 1000 },
    }
  } finally {
    providers.child.kill('SIGTERM')
  }
}
