import t from 'tap'
import { runDispatchPump } from '../../src/modules/dispatch/pump.js'
import { startSmtp } from '../channels/smtp-kit.js'
import { bearer, createTenant, systemQuery } from '../helper.js'
import { poster, appWithSimulators } from '../factories.js'

t.test('a test clock plays the ladder end to end: emails over SMTP, a call task, letters and registered mail at the simulators', async (t) => {
  const smtp = await startSmtp(t)
  const { ctx, ar24 } = await appWithSimulators(t)
  const { tenantId, key } = await createTenant(ctx, { name: 'Garage Martin SARL', mode: 'sandbox' })
  const post = poster(ctx, key)
  const connection = await post('/v1/channel-connections', {
    name: 'Our SMTP relay',
    driver: 'email-smtp',
    channels: ['email'],
    credentials: { user: 'relance', pass: 's3cret' },
    settings: { host: '127.0.0.1', port: smtp.port, secure: false },
    sender: { name: 'Garage Martin SARL', email: 'compta@garage-martin.test' },
  })
  t.same(connection.credentials, { user: '••••ance', pass: '••••cret' }, 'credentials are never returned, only their last characters')
  const stored = await systemQuery<{ credentials_sealed: string }>(ctx.database, 'select credentials_sealed from channel_connections')
  t.notMatch(stored[0]!.credentials_sealed, /s3cret/, 'and are encrypted at rest')

  const address = { lines: ['12 rue des Lilas'], postcode: '75011', city: 'Paris', country: 'FR' }
  const business = await post('/v1/debtors', {
    kind: 'business', name: 'Dupont SARL', country: 'FR', language: 'fr',
    contacts: [{ name: 'Marie Dupont', email: 'marie@dupont.test', phone: '+33612345678' }], address,
  })
  const consumer = await post('/v1/debtors', { kind: 'consumer', name: 'Jean Petit', country: 'FR', language: 'fr', contacts: [{ email: 'jean@petit.test' }], address })
  const clock = await post('/v1/test-clocks', { frozen_time: '2026-02-20T09:30:00Z' })
  const invoice = (debtor: string, number: string) => ({ debtor_id: debtor, number, currency: 'EUR', amount_total: 120_000, issue_date: '2026-02-01', due_date: '2026-03-02' })
  await post('/v1/invoices', invoice(business.id, 'F-100'))
  await post('/v1/invoices', invoice(consumer.id, 'F-200'))
  let now = new Date('2026-02-20T09:30:00Z')
  for (let d = 0; d < 50; d++) { // to 2026-04-11: past the formal notice (+35, Easter Monday 6 April moves it)
    now = new Date(now.getTime() + 86_400_000)
    await post(`/v1/test-clocks/${clock.id}/advance`, { frozen_time: now.toISOString() })
  }

  const list = await ctx.inject({ method: 'GET', url: `/v1/dispatches?debtor_id=${business.id}&limit=100`, headers: bearer(key) })
  const dispatches = list.json().data as { id: string; step_key: string; channel: string; status: string; driver: string; content: { subject: string } | null }[]
  const byStep = new Map(dispatches.map((d) => [d.step_key, d]))
  t.same([...byStep.keys()].sort(), ['call', 'courtesy_notice', 'firm_reminder', 'first_reminder', 'formal_notice', 'simple_letter'].sort())
  for (const step of ['courtesy_notice', 'first_reminder', 'firm_reminder']) {
    t.match(byStep.get(step), { channel: 'email', status: 'sent', driver: 'email-smtp' }, `${step} went out over SMTP`)
  }
  t.equal(smtp.received.filter((m) => m.to.includes('marie@dupont.test')).length, 3, 'the SMTP server received three emails for the business')
  t.ok(smtp.received.every((m) => m.user === 'relance'), 'authenticated with the stored credentials')
  t.ok(
    smtp.received.some((m) => m.raw.includes(`Message-ID: <${byStep.get('courtesy_notice')!.id}@garage-martin.test>`)),
    'the email carries the dispatch id in its Message-ID',
  )

  const tasks = await ctx.inject({ method: 'GET', url: '/v1/tasks', headers: bearer(key) })
  const task = tasks.json().data.find((x: { debtor_id: string }) => x.debtor_id === business.id)
  t.ok(task?.script.length > 20, 'the call step became a task carrying its script')
  t.equal(byStep.get('simple_letter')!.driver, 'print-mail')
  t.match(byStep.get('formal_notice'), { channel: 'registered_email', driver: 'ar24', status: 'sent' }, 'the business formal notice went as an AR24 electronic registered letter')
  t.equal(ar24.stats.sendsByRef[byStep.get('formal_notice')!.id], 1, 'AR24 received it once, under our dispatch id')

  const theirs = await ctx.inject({ method: 'GET', url: `/v1/dispatches?debtor_id=${consumer.id}&step_key=formal_notice`, headers: bearer(key) })
  t.match(theirs.json().data, [{ channel: 'registered_letter', driver: 'print-mail', status: 'sent' }], 'a consumer without consent gets a postal LRAR, never an LRE')

  const one = await ctx.inject({ method: 'GET', url: `/v1/dispatches/${byStep.get('formal_notice')!.id}`, headers: bearer(key) })
  t.match(one.json(), { letter_sha256: /^[0-9a-f]{64}$/, timeline: [{ raw_status: String }] }, 'one dispatch shows its timeline and the letter sha256')
  const rerun = await runDispatchPump(ctx.database.db, ctx.app.dispatchDeps, now, { tenantId })
  t.equal(rerun.claimed, 0, 'nothing left to send: each dispatch went once')

  const other = await createTenant(ctx, { name: 'Other' })
  const hidden = await ctx.inject({ method: 'GET', url: `/v1/dispatches/${byStep.get('formal_notice')!.id}`, headers: bearer(other.key) })
  t.equal(hidden.statusCode, 404, "another tenant's dispatch is a 404")
})
