import t from 'tap'
import { defaultScenario } from '../../src/modules/engine/default-scenarios.js'
import { runEngine } from '../../src/modules/engine/evaluator.js'
import { bearer, systemQuery } from '../helper.js'
import { invoiceBody, sandbox } from './engine-fixtures.js'

t.test('an unpaid invoice walks every default step, each once, on business days in the window', async (t) => {
  const s = await sandbox(t)
  await s.post('/v1/invoices', invoiceBody(s.debtor.id, 'F-1'))
  const timeline = await s.ctx.inject({ method: 'GET', url: `/v1/debtors/${s.debtor.id}/timeline?days=90`, headers: bearer(s.key) })
  t.equal(timeline.statusCode, 200)
  const planned = timeline.json().entries as { step_key: string; at: string }[]
  await s.advanceDays(64)
  const sent = await s.sent()
  const day = (d: Date | string) => new Date(d).toLocaleDateString('en-CA', { timeZone: 'Europe/Paris' })
  t.same(
    planned.map((p) => [p.step_key, day(p.at)]),
    sent.map((d) => [d.step_key, day(d.scheduled_at)]),
    'the dry-run timeline announced exactly the steps and days that then went out',
  )
  const ladder = defaultScenario('fr').definition.steps.map((step) => step.key)
  t.same(
    sent.map((d) => d.step_key),
    ladder,
    'every step of the default scenario, in order',
  )
  t.equal(new Set(sent.map((d) => d.step_key)).size, sent.length, 'no step twice')
  const formal = sent.find((d) => d.channel.startsWith('registered'))
  t.equal(formal?.channel, 'registered_email', 'a business gets its formal notice as an electronic registered letter')
  for (const d of sent) {
    const local = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Paris', weekday: 'short', hour: '2-digit', hour12: false }).formatToParts(d.scheduled_at)
    const weekday = local.find((p) => p.type === 'weekday')!.value
    const hour = Number(local.find((p) => p.type === 'hour')!.value)
    t.notOk(['Sat', 'Sun'].includes(weekday), `${d.step_key} not on a weekend`)
    t.ok(hour >= 9 && hour < 18, `${d.step_key} inside 09:00-18:00 Paris (${hour}h)`)
  }
  const again = await runEngine(s.ctx.database.db, s.now(), { tenantId: s.tenantId })
  t.equal(again.dispatches, 0, 'an immediate re-run creates nothing')
  const events = await systemQuery<{ n: number }>(s.ctx.database, `select count(*)::int as n from events where tenant_id = $1 and type = 'dunning.step_due'`, [s.tenantId])
  t.equal(events[0]!.n, ladder.length, 'one dunning.step_due event per dispatch')
})

t.test('a payment midway stops the rest and sends the thank-you once', async (t) => {
  const s = await sandbox(t)
  const invoice = await s.post('/v1/invoices', invoiceBody(s.debtor.id, 'F-2'))
  await s.advanceDays(14)
  const before = (await s.sent()).length
  t.ok(before >= 2, 'some reminders went out')
  await s.post('/v1/payments', { debtor_id: s.debtor.id, amount: 120_000, currency: 'EUR', received_on: '2026-03-06' })
  await s.advanceDays(50)
  const sent = await s.sent()
  t.equal(sent.length, before + 1, 'nothing but the thank-you after the payment')
  t.match(sent.at(-1), { step_key: 'thank_you', invoice_ids: [invoice.id] })
})

t.test('a dispute pauses the scenario and its release resumes it', async (t) => {
  const s = await sandbox(t)
  const invoice = await s.post('/v1/invoices', invoiceBody(s.debtor.id, 'F-3'))
  await s.advanceDays(12)
  const before = await s.sent()
  const hold = await s.post('/v1/holds', { kind: 'dispute', debtor_id: s.debtor.id, invoice_id: invoice.id, reason_code: 'amount_incorrect' })
  await s.advanceDays(20)
  t.equal((await s.sent()).length, before.length, 'nothing while disputed')
  await s.post(`/v1/holds/${hold.id}/release`, { reason: 'resolved' })
  await s.advanceDays(5)
  const after = await s.sent()
  t.ok(after.length > before.length, 'the scenario resumed')
  t.notOk(
    after.slice(before.length).some((d) => before.some((b) => b.step_key === d.step_key)),
    'it resumed where it stood, without repeating a step',
  )
})

t.test('invoices of one debtor at the same step share one message', async (t) => {
  const s = await sandbox(t)
  const a = await s.post('/v1/invoices', invoiceBody(s.debtor.id, 'G-1'))
  const b = await s.post('/v1/invoices', invoiceBody(s.debtor.id, 'G-2'))
  await s.advanceDays(6)
  const sent = await s.sent()
  t.equal(sent.length, 1)
  t.same(sent[0]!.invoice_ids, [a.id, b.id].sort())
})


t.test('two engines running at once never create a duplicate', async (t) => {
  const s = await sandbox(t, '2026-03-03T09:30:00Z')
  const debtors = []
  for (let i = 0; i < 20; i++) {
    debtors.push(await s.post('/v1/debtors', { kind: 'consumer', name: `C${i}`, country: 'FR' }))
  }
  for (const [i, d] of debtors.entries()) {
    for (let n = 0; n < 5; n++) await s.post('/v1/invoices', invoiceBody(d.id, `D${i}-${n}`))
  }
  const { openDatabase } = await import('../../src/db/client.js')
  const second = openDatabase(s.ctx.database.pool.options.connectionString!, 4)
  t.teardown(() => second.close())
  const now = new Date('2026-03-03T09:30:00Z')
  const [a, b] = await Promise.all([
    runEngine(s.ctx.database.db, now, { tenantId: s.tenantId }, 7),
    runEngine(second.db, now, { tenantId: s.tenantId }, 7),
  ])
  t.equal(a.claimed + b.claimed, 100, 'every invoice claimed once between them')
  const sent = await s.sent()
  t.equal(sent.length, 20, 'one message per debtor')
  t.equal(sent.reduce((n, d) => n + d.invoice_ids.length, 0), 100, 'each invoice in exactly one message')
})
