/**
 * The providers misbehave (faults injected in the AR24 and print-mail simulators, in their real
 * error formats: AR24's maintenance body or its web server's 5xx page, Maileva's JSON 5xx):
 * transient failures are retried with backoff and end sent; an answer lost after the provider
 * acted is looked up, never sent twice; the circuit opens and closes; a provider that never
 * recovers fails the dispatch after six attempts, once, with its outcome fed back.
 */
import t from 'tap'
import { CircuitBreaker } from '../../src/modules/dispatch/circuit-breaker.js'
import { runDispatchPump } from '../../src/modules/dispatch/pump.js'
import { startAr24Simulator, type Ar24Simulator } from '../../src/sandbox/ar24-simulator.js'
import type { FaultPlanInput, FaultRule } from '../../src/sandbox/faults.js'
import { startPrintMailSimulator, type PrintMailSimulator } from '../../src/sandbox/print-mail-simulator.js'
import { buildTestApp, createTenant, systemQuery, type TestApp } from '../helper.js'
import { ADDRESS, debtorWithInvoice, poster, queueDispatch } from '../dispatch/dispatch-fixtures.js'

type TapTest = Parameters<Parameters<typeof t.test>[0]>[0]

const SECOND = 1000
const later = (from: Date, ms: number) => new Date(from.getTime() + ms)

interface World {
  ctx: TestApp
  tenantId: string
  key: string
  ar24: Ar24Simulator
  printMail: PrintMailSimulator
  queue(channel: 'registered_email' | 'registered_letter', n: number): Promise<string[]>
  rows(): Promise<{ dispatch_id: string; status: string; attempts: number; scheduled_at: Date; failure_code: string | null; provider_ref: string | null }[]>
}

/** A live tenant whose AR24 and print-mail connections point at simulators with these faults. */
async function world(t: TapTest, faults: { ar24?: FaultPlanInput; printMail?: FaultPlanInput } = {}, timeoutMs = 1_500): Promise<World> {
  const ar24 = await startAr24Simulator({ timeScale: 0, faults: faults.ar24 })
  const printMail = await startPrintMailSimulator({ timeScale: 0, faults: faults.printMail })
  t.teardown(() => Promise.all([ar24.close(), printMail.close()]))
  const ctx = await buildTestApp(t)
  const { tenantId, key } = await createTenant(ctx, { name: 'Garage Martin SARL', mode: 'live' })
  const sender = { name: 'Garage Martin SARL', email: 'compta@garage-martin.test', postal_address: { ...ADDRESS, lines: ['3 rue du Port'] } }
  const post = poster(ctx, key)
  await post('/v1/channel-connections', { name: 'AR24', driver: 'ar24', channels: ['registered_email'], mode: 'live', credentials: ar24.credentials, settings: { base_url: ar24.apiUrl, timeout_ms: timeoutMs }, sender })
  await post('/v1/channel-connections', {
    name: 'Print-mail', driver: 'print-mail', channels: ['registered_letter'], mode: 'live', credentials: printMail.credentials,
    settings: { api_url: printMail.apiUrl, auth_url: printMail.authUrl, timeout_ms: timeoutMs }, sender,
  })
  let n = 0
  return {
    ctx, tenantId, key, ar24, printMail,
    async queue(channel, count) {
      const ids: string[] = []
      for (let i = 0; i < count; i++, n++) {
        const debt = await debtorWithInvoice(ctx, key, { name: `Client ${n}`, email: `client${n}@example.test`, addressLine: `${n + 1} rue des Lilas` })
        ids.push(await queueDispatch(ctx, tenantId, { ...debt, channel }))
      }
      return ids
    },
    rows: () => systemQuery(ctx.database, 'select dispatch_id, status, attempts, scheduled_at, failure_code, provider_ref from dispatches order by dispatch_id'),
  }
}

const pump = (w: World, now: Date, extra: Record<string, unknown> = {}) =>
  runDispatchPump(w.ctx.database.db, { ...w.ctx.app.dispatchDeps, concurrency: 1, breaker: new CircuitBreaker(), ...extra }, now)

const eventsOf = (w: World, type: string) => systemQuery<{ object_id: string }>(w.ctx.database, 'select object_id from events where type = $1', [type])

t.test('maintenance, a 502 page, a hang and a reset before AR24 acted: retried after 30 s, sent once, slow answers are fine', async (t) => {
  const once = (kind: FaultRule['kind'], extra = {}) => ({ kind, match: '^POST /api/mail$', times: 1, ...extra })
  const w = await world(t, {
    ar24: {
      rules: [once('maintenance'), once('http_error', { status: 502 }), once('hang', { delay_ms: 20_000 }), once('reset'), { kind: 'slow', delay_ms: 300 }],
    },
  })
  const ids = await w.queue('registered_email', 4)
  const now = new Date()
  t.match(await pump(w, now), { claimed: 4, requeued: 4, sent: 0, failed: 0 }, 'each of the four met a fault, and went back to the queue')
  const requeued = await w.rows()
  t.same(requeued.map((r) => [r.status, Number(r.attempts)]), Array(4).fill(['queued', 1]), 'queued again, one attempt spent')
  t.ok(requeued.every((r) => new Date(r.scheduled_at).getTime() === now.getTime() + 30 * SECOND), 'first backoff: 30 s')
  t.same(requeued.map((r) => r.failure_code).sort(), ['maintenance', 'transient', 'transient', 'transient'], "the provider's code when it gave one")
  t.match(w.ar24.stats.faults.injected, { maintenance: 1, http_error: 1, hang: 1, reset: 1 }, 'one of each fault was injected')
  t.same(w.ar24.stats.sendsByRef, {}, 'AR24 created no mail')

  t.match(await pump(w, later(now, 10 * SECOND)), { claimed: 0 }, 'nothing before the backoff ends')
  t.match(await pump(w, later(now, 31 * SECOND)), { claimed: 4, sent: 4 }, 'after it, every one goes (through slow answers)')
  t.ok(w.ar24.stats.faults.injected.slow! >= 4, 'answers were slow')
  t.same(Object.keys(w.ar24.stats.sendsByRef).sort(), [...ids].sort())
  t.ok(Object.values(w.ar24.stats.sendsByRef).every((c) => c === 1), 'each LRE once')
  t.ok((await w.rows()).every((r) => r.status === 'sent' && r.provider_ref && r.failure_code === null), 'all sent, with their AR24 ids')
  t.equal((await eventsOf(w, 'dispatch.sent')).length, 4, 'one dispatch.sent each')
})

t.test('the answer lost after the provider acted (reset, hang, 5xx after the fact): looked up on retry, never sent twice', async (t) => {
  const after = (kind: FaultRule['kind'], match: string, extra = {}) => ({ kind, match, when: 'after' as const, times: 1, ...extra })
  const w = await world(t, {
    ar24: { rules: [after('reset', '^POST /api/mail$'), after('hang', '^POST /api/mail$', { delay_ms: 20_000 }), after('http_error', '^POST /api/mail$', { status: 504 })] },
    printMail: {
      rules: [
        after('http_error', '/submit$', { status: 500 }),
        after('reset', '/submit$'),
        // The sending is created but its answer is lost: a draft nobody submits, never printed.
        after('hang', '^POST /registered_mail/v2/sendings$', { delay_ms: 20_000 }),
      ],
    },
  }, 1_000)
  const lre = await w.queue('registered_email', 3)
  const lrar = await w.queue('registered_letter', 3)
  const now = new Date()
  t.match(await pump(w, now), { claimed: 6, requeued: 6, sent: 0 }, 'all six answers were lost')
  t.same(Object.values(w.ar24.stats.sendsByRef), [1, 1, 1], 'yet AR24 created the three mails')
  t.same(Object.values(w.printMail.stats.sendsByRef), [1, 1], 'and print-mail took two letters for printing')

  t.match(await pump(w, later(now, 31 * SECOND)), { claimed: 6, sent: 6 })
  t.same(Object.keys(w.ar24.stats.sendsByRef).sort(), [...lre].sort())
  t.ok(Object.values(w.ar24.stats.sendsByRef).every((c) => c === 1), 'no LRE twice: the retry found each mail by custom_ref')
  t.same(Object.keys(w.printMail.stats.sendsByRef).sort(), [...lrar].sort())
  t.ok(Object.values(w.printMail.stats.sendsByRef).every((c) => c === 1), 'no letter printed twice: found by custom_id, the draft sent afresh')
  const rows = await w.rows()
  t.ok(rows.every((r) => r.status === 'sent' && r.provider_ref), 'all six sent, with the provider reference of the one that exists')
  t.equal(new Set(rows.map((r) => r.provider_ref)).size, 6)
  t.equal((await eventsOf(w, 'dispatch.sent')).length, 6, 'one dispatch.sent each')
})

t.test('five 503s in a row open the print-mail circuit; no call while open; a failed probe reopens it, a good one closes it', async (t) => {
  const w = await world(t, { printMail: { rules: [{ kind: 'http_error', status: 503, match: '^POST /registered_mail/v2/sendings$', times: 6 }] } })
  await w.queue('registered_letter', 8)
  const breaker = new CircuitBreaker({ threshold: 5, openMs: 300 })
  let now = new Date()
  t.match(await pump(w, now, { breaker }), { claimed: 8, requeued: 8 })
  t.equal(w.printMail.stats.faults.injected.http_error, 5, 'five 503s, then the provider was left alone')
  const open = await w.rows()
  t.equal(open.filter((r) => r.failure_code === 'circuit_open').length, 3, 'three waited without a call')
  t.ok(open.filter((r) => r.failure_code === 'circuit_open').every((r) => Number(r.attempts) === 0), 'and kept their attempts')
  t.equal(open.filter((r) => r.failure_code === 'service_unavailable').length, 5, "Maileva's own error code on the five that failed")

  const calls = w.printMail.stats.faults.requests
  now = later(now, 3_600 * SECOND)
  t.match(await pump(w, now, { breaker }), { claimed: 8, requeued: 8 }, 'still open: all back in the queue')
  t.equal(w.printMail.stats.faults.requests, calls, 'not one request reached the provider while the circuit was open')

  await new Promise((resolve) => setTimeout(resolve, 350))
  now = later(now, 3_600 * SECOND)
  t.match(await pump(w, now, { breaker }), { claimed: 8, requeued: 8 }, 'half-open: one probe, a sixth 503, open again')
  t.equal(w.printMail.stats.faults.injected.http_error, 6)

  await new Promise((resolve) => setTimeout(resolve, 350))
  now = later(now, 3_600 * SECOND)
  t.match(await pump(w, now, { breaker }), { claimed: 8, sent: 8 }, 'the next probe succeeds, the circuit closes, all eight go')
  t.ok(Object.values(w.printMail.stats.sendsByRef).every((c) => c === 1) && Object.keys(w.printMail.stats.sendsByRef).length === 8, 'each letter once')
})

t.test('a provider that never recovers: backoff 30 s doubling, the sixth failure fails the dispatch once, outcome fed back', async (t) => {
  const w = await world(t, { ar24: { rules: [{ kind: 'http_error', status: 503 }] } })
  const [id] = await w.queue('registered_email', 1)
  const breaker = new CircuitBreaker({ threshold: 100 })
  let now = new Date()
  const waits: number[] = []
  for (let attempt = 1; attempt <= 5; attempt++) {
    t.match(await pump(w, now, { breaker }), { claimed: 1, requeued: 1 }, `attempt ${attempt} failed, requeued`)
    const [row] = await w.rows()
    waits.push((new Date(row!.scheduled_at).getTime() - now.getTime()) / SECOND)
    now = new Date(row!.scheduled_at)
  }
  t.same(waits, [30, 60, 120, 240, 480], 'the waits double from 30 s')
  t.match(await pump(w, now, { breaker }), { claimed: 1, failed: 1 }, 'the sixth attempt fails it')
  const [row] = await w.rows()
  t.match(row, { dispatch_id: id, status: 'failed', failure_code: 'transient' })
  t.equal(Number(row!.attempts), 6)
  t.same((await eventsOf(w, 'dispatch.failed')).map((e) => e.object_id), [id], 'dispatch.failed once')
  const [invoice] = await systemQuery<{ dunning_outcome: string }>(w.ctx.database, 'select dunning_outcome from invoices')
  t.equal(invoice?.dunning_outcome, 'not_delivered', 'the engine is told it was not delivered (a scenario may fall back to the post)')
  t.match(await pump(w, later(now, 86_400 * SECOND), { breaker }), { claimed: 0 }, 'and it is never tried again')
  t.same(w.ar24.stats.sendsByRef, {})
})
