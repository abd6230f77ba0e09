/**
 * Provider callbacks misbehave (faults injected in the simulators, over real HTTP into Relance's
 * callback routes): each sent twice and held for a random time, so they arrive out of order, the
 * delivery's before the deposit's; or sent the moment the letter exists, before Relance recorded
 * that it sent it. Final statuses, proofs and events must come out the same, once each.
 */
import t from 'tap'
import { runDispatchPump } from '../../src/modules/dispatch/pump.js'
import { startAr24Simulator } from '../../src/sandbox/ar24-simulator.js'
import type { FaultPlanInput } from '../../src/sandbox/faults.js'
import { startPrintMailSimulator } from '../../src/sandbox/print-mail-simulator.js'
import { waitFor } from '../channels/channel-test-kit.js'
import { buildTestApp, createTenant, systemQuery } from '../helper.js'
import { debtorWithInvoice, queueDispatch } from '../dispatch/dispatch-fixtures.js'

type TapTest = Parameters<Parameters<typeof t.test>[0]>[0]

const FINAL = ['delivered', 'refused', 'not_claimed', 'undelivered', 'bounced', 'failed']

/** A sandbox tenant whose registered mail goes to the simulators, which call the app back over HTTP. */
async function world(t: TapTest, faults: FaultPlanInput, latencyMs = 0) {
  const ctx = await buildTestApp(t)
  const base = await ctx.app.listen({ port: 0, host: '127.0.0.1' })
  const ar24 = await startAr24Simulator({ timeScale: 0, latencyMs, callbackUrl: `${base}/v1/channel-callbacks/sandbox-ar24`, retryMsPerMinute: 10, faults })
  const printMail = await startPrintMailSimulator({ timeScale: 0, latencyMs, callbackUrl: `${base}/v1/channel-callbacks/sandbox-print-mail`, retryMsPerMinute: 10, faults })
  t.teardown(() => Promise.all([ar24.close(), printMail.close()]))
  Object.assign(ctx.app.dispatchDeps.sandbox, { ar24Url: ar24.apiUrl, printMailApiUrl: printMail.apiUrl, printMailAuthUrl: printMail.authUrl })
  const { tenantId, key } = await createTenant(ctx, { name: 'Garage Martin SARL', mode: 'sandbox' })
  const expected = new Map<string, string>()
  const queue = async (channel: 'registered_email' | 'registered_letter', outcome: string, contact: { email?: string; addressLine?: string }) => {
    const debt = await debtorWithInvoice(ctx, key, { ...contact, name: `Client ${expected.size}` })
    expected.set(await queueDispatch(ctx, tenantId, { ...debt, channel }), outcome)
  }
  const sims = [ar24, printMail]
  const settled = async () => {
    await waitFor('every dispatch to reach its outcome', async () => {
      const rows = await systemQuery<{ status: string }>(ctx.database, 'select status from dispatches')
      return rows.every((r) => FINAL.includes(r.status))
    }, 30_000)
    await waitFor('every callback to be answered', () => sims.every((s) => s.stats.callbacks.responses.length === s.stats.callbacks.attempts), 30_000)
    // Retries of callbacks refused earlier may still be on their way: let them land.
    await new Promise((resolve) => setTimeout(resolve, 500))
  }
  const check = async (t: TapTest) => {
    const rows = await systemQuery<{ dispatch_id: string; status: string }>(ctx.database, 'select dispatch_id, status from dispatches')
    t.same(Object.fromEntries(rows.map((r) => [r.dispatch_id, r.status])), Object.fromEntries(expected), 'each dispatch reached its outcome')
    const events = await systemQuery<{ type: string; object_id: string; n: number }>(
      ctx.database,
      `select type, object_id, count(*)::int as n from events where type like 'dispatch.%' or type = 'proof.received' group by type, object_id`,
    )
    t.same(events.filter((e) => e.n > 1), [], 'no event twice')
    for (const [id, outcome] of expected) {
      t.equal(events.filter((e) => e.type === `dispatch.${outcome}` && e.object_id === id).length, 1, `${id}: dispatch.${outcome} once`)
    }
    const timeline = await systemQuery<{ n: number }>(ctx.database, 'select count(*)::int as n from dispatch_events group by dispatch_id, raw_status, occurred_at having count(*) > 1')
    t.same(timeline, [], 'each provider step once in the timelines')
    const proofs = await systemQuery<{ dispatch_id: string; kinds: string[] }>(
      ctx.database,
      `select dispatch_id, array_agg(kind order by kind) as kinds from dispatch_proofs group by dispatch_id`,
    )
    const kinds = new Map(proofs.map((p) => [p.dispatch_id, p.kinds]))
    const proofEvents = events.filter((e) => e.type === 'proof.received').length
    t.equal(proofEvents, proofs.reduce((n, p) => n + p.kinds.length, 0), 'one proof.received per stored proof')
    for (const [id, outcome] of expected) {
      const want = { delivered: ['receipt', 'scanned_ar'], refused: ['refusal'], not_claimed: ['negligence'], undelivered: ['undelivered'], bounced: ['undelivered'] }[outcome] ?? []
      const have = kinds.get(id) ?? []
      t.ok(want.some((k) => have.includes(k)), `${id} (${outcome}) has its provider proof: ${have.join(', ')}`)
      // 'content' may be there twice: the letter as Relance sent it, and the provider's archive of it.
      const providerKinds = have.filter((k) => k !== 'content')
      t.equal(new Set(providerKinds).size, providerKinds.length, `${id}: each provider proof once`)
    }
  }
  return { ctx, ar24, printMail, queue, settled, check }
}

t.test('callbacks twice and in random order (delivered before deposited): outcomes, proofs and events once each', async (t) => {
  const w = await world(t, { callbacks: { duplicate: true, max_delay_ms: 400 }, seed: 3 })
  await w.queue('registered_email', 'delivered', { email: 'marie@dupont.test' })
  await w.queue('registered_email', 'refused', { email: 'refuse@client.test' })
  await w.queue('registered_email', 'not_claimed', { email: 'negligence@client.test' })
  await w.queue('registered_letter', 'delivered', { addressLine: '5 rue des Lilas' })
  await w.queue('registered_letter', 'refused', { addressLine: 'refuse 5 rue du Refus' })
  await w.queue('registered_letter', 'undelivered', { addressLine: 'pnd-a23 3 impasse Inconnue' })
  t.match(await runDispatchPump(w.ctx.database.db, w.ctx.app.dispatchDeps), { claimed: 6, sent: 6 })
  // The whole lifecycle at once: every step's callback leaves together, each held at random.
  for (const sim of [w.ar24, w.printMail]) await fetch(`${sim.url}/_sandbox/advance`, { method: 'POST', body: JSON.stringify({ days: 25 }) })
  await w.settled()
  t.ok(w.ar24.stats.faults.duplicatedCallbacks + w.printMail.stats.faults.duplicatedCallbacks >= 6, 'callbacks were sent twice')
  t.equal(w.ar24.stats.callbacks.abandoned + w.printMail.stats.callbacks.abandoned, 0, 'every callback was accepted in the end')
  await w.check(t)
})

t.test('callbacks before Relance recorded the send: refused with 503, retried by the provider, applied once recorded', async (t) => {
  // 40 ms per request and one send at a time: the batch is recorded seconds after the first letter
  // exists, and that letter's whole life (and its callbacks) happens at once.
  const w = await world(t, { callbacks: { early: true } }, 40)
  await w.queue('registered_email', 'delivered', { email: 'marie@dupont.test' })
  await w.queue('registered_email', 'refused', { email: 'refuse@client.test' })
  await w.queue('registered_email', 'bounced', { email: 'bounce@client.test' })
  await w.queue('registered_letter', 'delivered', { addressLine: '5 rue des Lilas' })
  await w.queue('registered_letter', 'refused', { addressLine: 'refuse 5 rue du Refus' })
  t.match(await runDispatchPump(w.ctx.database.db, { ...w.ctx.app.dispatchDeps, concurrency: 1 }), { claimed: 5 })
  await w.settled()
  const refused = [...w.ar24.stats.callbacks.responses, ...w.printMail.stats.callbacks.responses].filter((s) => s === 503).length
  t.ok(refused > 0, `the race happened: ${refused} callbacks came before the record and were told to come back`)
  t.equal(w.ar24.stats.callbacks.abandoned + w.printMail.stats.callbacks.abandoned, 0, 'each was accepted on a retry')
  await w.check(t)
})
