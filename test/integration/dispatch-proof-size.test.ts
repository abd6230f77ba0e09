import t from 'tap'
import { runDispatchPump } from '../../src/modules/dispatch/pump.js'
import { runEngine } from '../../src/modules/engine/evaluator.js'
import { startSmtp } from '../channels/smtp-kit.js'
import { bearer, buildTestApp, createTenant, systemQuery } from '../helper.js'

// A Wednesday, 10:00 in Paris; the invoices fell due on Monday.
const NOW = new Date('2026-03-18T09:00:00Z')

t.test('an email listing many invoices is recorded as sent with its proof (the .eml is larger than an index entry)', async (t) => {
  const smtp = await startSmtp(t)
  const ctx = await buildTestApp(t)
  const { key } = await createTenant(ctx, { name: 'Garage Martin SARL', mode: 'live' })
  const post = async (url: string, payload: Record<string, unknown>) => {
    const res = await ctx.inject({ method: 'POST', url, headers: bearer(key), payload })
    if (res.statusCode !== 201) throw new Error(`${url}: ${res.body}`)
    return res.json<{ id: string }>()
  }
  await post('/v1/channel-connections', {
    name: 'SMTP', driver: 'email-smtp', channels: ['email'], mode: 'live',
    credentials: { user: 'relance', pass: 's3cret' }, settings: { host: '127.0.0.1', port: smtp.port, secure: false },
    sender: { name: 'Garage Martin SARL', email: 'compta@garage-martin.test' },
  })
  const debtor = await post('/v1/debtors', { kind: 'business', name: 'Dupont SARL', country: 'FR', language: 'fr', contacts: [{ email: 'marie@dupont.test' }] })
  for (let i = 0; i < 8; i++) {
    await post('/v1/invoices', { debtor_id: debtor.id, number: `F-${i}`, currency: 'EUR', amount_total: 12_000 + i, issue_date: '2026-02-14', due_date: '2026-03-16' })
  }
  await runEngine(ctx.database.db, NOW, { wallClockTenants: true })
  const pump = await runDispatchPump(ctx.database.db, ctx.app.dispatchDeps, NOW)
  t.match(pump, { claimed: 1, sent: 1, failed: 0 }, 'the reminder went out and was recorded as sent')
  t.equal(smtp.received.length, 1, 'the SMTP server received it once')
  const [proof] = await systemQuery<{ size: number; kind: string }>(ctx.database, 'select size, kind from dispatch_proofs')
  t.equal(proof?.kind, 'content', 'the message is kept as the proof of content')
  t.ok(proof!.size > 2704, `larger than a btree entry may be (${proof!.size} bytes)`)
})
