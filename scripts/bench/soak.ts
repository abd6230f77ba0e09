/**
 * `npm run soak [-- --minutes 30]`: Relance under mixed load for N minutes, to see that memory and
 * latency stay flat and nothing fails. Starts everything itself (scripts/bench/soak-world.ts):
 * PostgreSQL, Relance in production mode with its logs in a file, the provider simulators, an SMTP
 * server and a webhook receiver; sets up a sandbox tenant through the API (soak-tenant.ts); then runs
 * reads at a fixed rate, bulk writes and engine ticks on the tenant's test clock, whose dispatches go
 * to the simulators and SMTP and whose events go out as signed webhooks (soak-load.ts).
 *
 * Every minute: the server's RSS, heap and event-loop lag (its /metrics), the reads' p50/p99, errors,
 * the webhook and dispatch backlogs. At the end: the table, the drain of the webhook backlog, a search
 * of the log file for the run's secrets, the flatness verdict (soak-report.ts), and one JSON line.
 * Exit code: 0 flat and no error, 1 any error, 2 not flat (runs of 10 minutes or more).
 */
import { readFile } from 'node:fs/promises'
import { loadavg, tmpdir } from 'node:os'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { Recorder, every, startReads, tick, writeCycle, type ReadRequest, type SoakState } from './soak-load.js'
import { errorsOf, percentile, tableHeader, tableRow, verdict, windowStats, type MinuteRow } from './soak-report.js'
import { setUpSoakTenant } from './soak-tenant.js'
import { startSoakWorld, type SoakWorld } from './soak-world.js'

const { values } = parseArgs({
  options: {
    minutes: { type: 'string', default: '30' },
    'read-rate': { type: 'string', default: '50' },
    'bulk-every': { type: 'string', default: '15' },
    'bulk-size': { type: 'string', default: '100' },
    'tick-every': { type: 'string', default: '20' },
    'log-level': { type: 'string', default: 'info' },
    'log-file': { type: 'string' },
    'pool-max': { type: 'string', default: '10' },
  },
})
const minutes = Number(values.minutes)
const readRate = Number(values['read-rate'])
const MINUTE = 60_000
const say = (line = '') => process.stdout.write(`${line}\n`)
const DAY = 86_400_000

/** A Monday, 10:00 UTC (inside every debtor's sending window), 400 days back: the clock stays in the past. */
function clockStart(): Date {
  const d = new Date(Date.now() - 400 * DAY)
  d.setUTCHours(10, 0, 0, 0)
  return new Date(d.getTime() - ((d.getUTCDay() + 6) % 7) * DAY)
}

function metric(text: string, name: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${name} `) || l.startsWith(`${name}{`))
  return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : NaN
}

function server5xxTotal(text: string): number {
  return text
    .split('\n')
    .filter((l) => l.startsWith('relance_http_request_duration_seconds_count{') && /status_code="5\d\d"/.test(l))
    .reduce((sum, l) => sum + Number(l.slice(l.lastIndexOf(' ') + 1)), 0)
}

async function backlogs(world: SoakWorld) {
  const { rows } = await world.admin.query<{ webhooks: number; dispatch: number; dispatches: number; delivered: number; undelivered: number; failed: number }>(`
    select (select count(*) from webhook_event_queue)::int + (select count(*) from webhook_deliveries where status = 'pending')::int as webhooks,
           (select count(*) from dispatches where status in ('queued', 'sending'))::int as dispatch,
           (select count(*) from dispatches)::int as dispatches,
           (select count(*) from webhook_deliveries where status = 'succeeded')::int as delivered,
           (select count(*) from webhook_deliveries where status <> 'succeeded')::int as undelivered,
           (select count(*) from dispatches where status = 'failed')::int as failed`)
  return rows[0]!
}

/** Reads an ERP's screens make: lists of invoices and debtors, single ones, and a GraphQL page. */
function readMix(state: SoakState): () => ReadRequest {
  let n = 0
  const pick = (ids: string[]) => ids[Math.floor(Math.random() * ids.length)]!
  return () => {
    const slot = n++ % 20
    if (slot < 8) return { kind: 'GET /v1/invoices/{id}', method: 'GET', path: `/v1/invoices/${pick(state.invoiceIds)}` }
    if (slot < 12) return { kind: 'GET /v1/debtors/{id}', method: 'GET', path: `/v1/debtors/${pick(state.debtorIds)}` }
    if (slot < 15) return { kind: 'GET /v1/invoices?limit=20', method: 'GET', path: '/v1/invoices?limit=20' }
    if (slot < 16) return { kind: 'GET /v1/invoices?limit=50&debtor_id=', method: 'GET', path: `/v1/invoices?limit=50&debtor_id=${pick(state.debtorIds)}` }
    if (slot < 18) return { kind: 'GET /v1/debtors?limit=20', method: 'GET', path: '/v1/debtors?limit=20' }
    if (slot < 19) return { kind: 'GET /v1/debtors/{id}/statement', method: 'GET', path: `/v1/debtors/${pick(state.debtorIds)}/statement` }
    return { kind: 'POST /graphql invoices(first: 20)', method: 'POST', path: '/graphql', body: JSON.stringify({ query: '{ invoices(first: 20) { edges { node { id number status amountDue } } pageInfo { hasNextPage } } }' }) }
  }
}

async function scanLog(file: string, secrets: { what: string; value: string }[]) {
  const text = await readFile(file, 'utf8')
  const lines = text.split('\n').filter(Boolean)
  const found = secrets.filter((s) => text.includes(s.value)).map((s) => s.what)
  if (/whsec_[A-Za-z0-9+/=]{8}/.test(text)) found.push('something shaped like a webhook secret')
  if (/rl_(live|test|platform)_[A-Za-z0-9]{24}/.test(text)) found.push('something shaped like an API key')
  const errorLines = lines.filter((l) => /"level":(50|60)/.test(l))
  return { lines: lines.length, found, errorLines }
}

async function main() {
  const started = Date.now()
  const logFile = values['log-file'] ?? path.join(tmpdir(), `relance-soak-${new Date().toISOString().replace(/[:.]/g, '-')}.log`)
  const start = clockStart()
  say(`Relance soak: ${minutes} min of mixed load; reads ${readRate}/s, ${values['bulk-size']} invoices (+ half as many payments) every ${values['bulk-every']} s, an engine tick every ${values['tick-every']} s`)
  const world = await startSoakWorld({ clockStart: start, logFile, logLevel: values['log-level']!, poolMax: Number(values['pool-max']) })
  let stopping = false
  const stopAll = async () => {
    if (stopping) return
    stopping = true
    await world.stop()
  }
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.removeAllListeners(signal)
    process.once(signal, () => void stopAll().then(() => process.exit(130)))
  }
  try {
    say(`Relance ${world.base} (production, log: ${logFile}); simulators ${world.peers.ar24}, ${world.peers.printMail}; SMTP :${world.peers.smtpPort}; receiver ${world.peers.receiver}`)
    const tenant = await setUpSoakTenant(world, start)
    const state: SoakState = { clock: start, serial: 0, invoiceIds: [...tenant.invoiceIds], debtorIds: tenant.debtors.map((d) => d.id) }
    say(`tenant ready in ${((Date.now() - started) / 1000).toFixed(1)} s: ${state.debtorIds.length} debtors, ${state.invoiceIds.length} invoices, test clock at ${start.toISOString()}\n`)

    const recorder = new Recorder()
    const reads = startReads({ base: world.base, key: tenant.key, rate: readRate, next: readMix(state), recorder })
    const writer = every(Number(values['bulk-every']) * 1000, () => writeCycle(tenant, state, Number(values['bulk-size']), recorder))
    const ticker = every(Number(values['tick-every']) * 1000, () => tick(tenant, state, [world.peers.ar24, world.peers.printMail], recorder))

    const loadStarted = Date.now()
    const rows: MinuteRow[] = []
    let crashed: string | undefined
    void world.serverExited.then((code) => (crashed = `Relance exited with code ${code} during the run`))
    let last5xx = 0
    let metricsFailures = 0
    const readsByKind: Record<string, number[]> = {}
    let lastPeers = await world.peerStats()
    let lastDispatches = (await backlogs(world)).dispatches
    say(tableHeader())
    for (let minute = 1; minute <= minutes && !crashed; minute++) {
      // Memory is sampled every 5 s; each minute keeps its floor (after garbage collection) and peak.
      const memory: { rss: number; heap: number; lagMax: number }[] = []
      let metrics = ''
      const due = loadStarted + minute * MINUTE
      while (!crashed) {
        const scraped = await fetch(`${world.base}/metrics`).then((r) => (r.ok ? r.text() : Promise.reject(new Error(`${r.status}`)))).catch((error: Error) => {
          metricsFailures++
          recorder.fail(`GET /metrics → ${error.message}`)
          return undefined
        })
        if (scraped === undefined) {
          await new Promise((resolve) => setTimeout(resolve, 1_000))
          continue
        }
        metrics = scraped
        // prom-client resets its event-loop histogram at each scrape: the max covers the last 5 s.
        memory.push({ rss: metric(metrics, 'process_resident_memory_bytes'), heap: metric(metrics, 'nodejs_heap_size_used_bytes'), lagMax: metric(metrics, 'nodejs_eventloop_lag_max_seconds') })
        if (Date.now() >= due - 100) break
        await new Promise((resolve) => setTimeout(resolve, Math.min(5_000, Math.max(0, due - Date.now()))))
      }
      if (crashed) break
      const window = recorder.rotate()
      for (const [kind, latencies] of Object.entries(window.readsByKind)) (readsByKind[kind] ??= []).push(...latencies)
      const peers = await world.peerStats()
      const queue = await backlogs(world)
      const fivexx = server5xxTotal(metrics)
      const row: MinuteRow = {
        minute,
        rssMinMb: Math.round(Math.min(...memory.map((m) => m.rss)) / 1048576),
        rssMaxMb: Math.round(Math.max(...memory.map((m) => m.rss)) / 1048576),
        heapMinMb: Math.round(Math.min(...memory.map((m) => m.heap)) / 1048576),
        loadAverage: Math.round(loadavg()[0]! * 10) / 10,
        loopLagMaxMs: Math.round(Math.max(...memory.map((m) => m.lagMax)) * 1000),
        ...windowStats(window),
        latencies: window.readLatencies,
        readErrors: window.readErrors,
        read5xx: window.read5xx,
        readDropped: window.readDropped,
        writeLines: window.writtenLines,
        writeErrors: window.writeErrors,
        writeMaxMs: window.writeMaxMs,
        ticks: window.ticks,
        tickErrors: window.tickErrors,
        tickMaxMs: window.tickMaxMs,
        server5xx: fivexx - last5xx,
        webhooksVerified: peers.webhooks.verified - lastPeers.webhooks.verified,
        webhooksRejected: peers.webhooks.rejected - lastPeers.webhooks.rejected,
        webhookBacklog: queue.webhooks,
        dispatchBacklog: queue.dispatch,
        dispatches: queue.dispatches - lastDispatches,
        failures: window.failures,
      }
      last5xx = fivexx
      lastPeers = peers
      lastDispatches = queue.dispatches
      rows.push(row)
      say(tableRow(row))
      for (const failure of row.failures) say(`      ! ${failure}`)
    }

    await Promise.all([reads.stop(), writer.stop(), ticker.stop()])
    // What was queued when the load stopped must still reach the receiver.
    const drainStarted = Date.now()
    let queue = await backlogs(world)
    while ((queue.webhooks > 0 || (await world.peerStats()).webhooks.unique < queue.delivered) && Date.now() - drainStarted < 120_000) {
      await new Promise((resolve) => setTimeout(resolve, 1000))
      queue = await backlogs(world)
    }
    const peers = await world.peerStats()
    const drainSeconds = Math.round((Date.now() - drainStarted) / 1000)
    const log = await scanLog(logFile, tenant.secrets)

    const v = verdict(rows, minutes)
    const sum = (f: (r: MinuteRow) => number) => rows.reduce((s, r) => s + f(r), 0)
    const allLatencies = rows.flatMap((r) => r.latencies)
    const errors = {
      requests: sum(errorsOf),
      metrics_unreachable: metricsFailures,
      undelivered_webhooks: queue.undelivered + queue.webhooks,
      webhooks_missing_at_receiver: Math.max(0, queue.delivered - peers.webhooks.unique),
      duplicate_emails: peers.smtp.duplicates,
      duplicate_letters: peers.duplicateLetters,
      refused_provider_callbacks: peers.callbacks.refused,
      secrets_in_log: log.found.length,
      error_log_lines: log.errorLines.length,
      server_crashed: crashed ? 1 : 0,
    }
    const errorCount = Object.values(errors).reduce((a, b) => a + b, 0)

    say(`\nPer minute (${rows.length}):`)
    say(tableHeader())
    for (const row of rows) say(tableRow(row))
    say()
    say(`reads: ${allLatencies.length} answered, p50 ${percentile(allLatencies, 50).toFixed(1)} ms, p99 ${percentile(allLatencies, 99).toFixed(1)} ms over the run; ${sum((r) => r.readErrors)} failed (${sum((r) => r.read5xx)} 5xx), ${sum((r) => r.readDropped)} dropped`)
    for (const [kind, latencies] of Object.entries(readsByKind)) {
      say(`  ${kind.padEnd(40)} ${String(latencies.length).padStart(7)} reads, p50 ${percentile(latencies, 50).toFixed(1).padStart(6)} ms, p99 ${percentile(latencies, 99).toFixed(1).padStart(7)} ms`)
    }
    say(`writes: ${sum((r) => r.writeLines)} lines in bulk, ${sum((r) => r.writeErrors)} failed; engine ticks: ${sum((r) => r.ticks)} (clock now ${state.clock.toISOString().slice(0, 10)}), ${sum((r) => r.tickErrors)} failed`)
    say(`dispatches: ${sum((r) => r.dispatches)} during the run (${queue.failed} failed at the provider, scripted outcomes included); ${peers.smtp.messages} e-mails at SMTP; ${peers.callbacks.attempts} provider callbacks`)
    say(`webhooks: ${peers.webhooks.verified} received and verified (${peers.webhooks.unique} distinct), ${peers.webhooks.rejected} rejected; backlog drained in ${drainSeconds} s, ${queue.webhooks} left`)
    say(`server log: ${log.lines} lines, ${log.errorLines.length} at error level; secrets found: ${log.found.join(', ') || 'none'} (${logFile})`)
    for (const line of log.errorLines.slice(0, 3)) say(`      ! ${line.slice(0, 300)}`)
    say(`memory: RSS floor ${v.rssFirst} → ${v.rssLast} MB after ${v.warmupMinutes} min warm-up (peak ${v.rssMax}), slope ${v.rssSlope} MB/10 min (heap floor ${v.heapSlope} MB/10 min)`)
    say(`latency: reads p99 ${v.p99First} ms in the first ${v.windowMinutes} min after warm-up, ${v.p99Last} ms in the last ${v.windowMinutes}`)
    const verdictText = `${v.flat ? 'flat' : 'NOT flat'}${v.enforced ? '' : ' (indicative: under 10 minutes)'}`
    say(`verdict: ${verdictText}; errors: ${errorCount} ${errorCount ? JSON.stringify(errors) : ''}`)
    await stopAll()
    say(`soak finished in ${((Date.now() - started) / 60_000).toFixed(1)} min`)
    process.stdout.write(
      `${JSON.stringify({
        bench: 'soak',
        metric: `${minutes} min mixed load (reads ${readRate}/s open loop, bulk NDJSON invoices+payments, engine ticks on a test clock, dispatches to simulators and SMTP, signed webhooks): reads p99 of the last ${v.windowMinutes} min`,
        unit: 'ms',
        value: v.p99Last,
        baseline: `reads p99 of the first ${v.windowMinutes} min after ${v.warmupMinutes} min warm-up`,
        baseline_value: v.p99First,
        ratio: v.p99Last ? Math.round((v.p99First / v.p99Last) * 100) / 100 : 0,
        rss_slope_mb_per_10min: v.rssSlope,
        heap_slope_mb_per_10min: v.heapSlope,
        rss_floor_first_mb: v.rssFirst,
        rss_floor_last_mb: v.rssLast,
        rss_peak_mb: v.rssMax,
        reads: allLatencies.length,
        written_lines: sum((r) => r.writeLines),
        ticks: sum((r) => r.ticks),
        dispatches: sum((r) => r.dispatches),
        webhooks: peers.webhooks.verified,
        errors: errorCount,
        flat: v.flat,
        verdict: verdictText,
      })}\n`,
    )
    process.exit(errorCount ? 1 : !v.flat && v.enforced ? 2 : 0)
  } catch (error) {
    await stopAll().catch(() => undefined)
    throw error
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`soak failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`)
  process.exit(1)
})
