import t from 'tap'
import { bearer, createTenant, systemQuery } from '../helper.js'
import { invoiceBody, sandbox } from './engine-fixtures.js'

/** The debtor's timeline resolves its scenario, seeding the shipped defaults on first use. */
async function defaultScenarioOf(s: Awaited<ReturnType<typeof sandbox>>): Promise<{ id: string }> {
  await s.ctx.inject({ method: 'GET', url: `/v1/debtors/${s.debtor.id}/timeline`, headers: bearer(s.key) })
  const list = await s.ctx.inject({ method: 'GET', url: '/v1/scenarios?is_default=true', headers: bearer(s.key) })
  return list.json().data[0]
}

t.test('a scenario preview shows its ladder and what it would send, as of a chosen day, sending nothing', async (t) => {
  const s = await sandbox(t)
  const invoice = await s.post('/v1/invoices', invoiceBody(s.debtor.id, 'V-1'))
  const scenario = await defaultScenarioOf(s)
  const res = await s.ctx.inject({
    method: 'GET',
    url: `/v1/scenarios/${scenario.id}/preview?as_of=2026-03-05T10:00:00Z&days=60`,
    headers: bearer(s.key),
  })
  t.equal(res.statusCode, 200, res.body)
  const body = res.json()
  t.equal(body.as_of, '2026-03-05T10:00:00.000Z')
  t.same(
    body.sample.map((e: { step_key: string }) => e.step_key),
    ['courtesy_notice', 'first_reminder', 'firm_reminder', 'call', 'simple_letter', 'formal_notice', 'litigation'],
    'the sample walks the whole ladder',
  )
  t.equal(body.sample.find((e: { step_key: string }) => e.step_key === 'formal_notice').channel, 'registered_email')
  const mine = body.entries.filter((e: { invoice_id: string }) => e.invoice_id === invoice.id)
  t.equal(mine[0].step_key, 'first_reminder', 'already overdue: the before-due notice is skipped, the first reminder comes first')
  t.equal(mine[0].due, true, 'already due as of 2026-03-05')
  t.equal(mine[0].debtor_id, s.debtor.id)
  t.equal((await s.sent()).length, 0, 'nothing was sent or queued')

  const gql = await s.ctx.inject({
    method: 'POST',
    url: '/graphql',
    headers: bearer(s.key),
    payload: { query: `{ scenarioPreview(scenarioId: "${scenario.id}", asOf: "2026-03-05T10:00:00Z", days: 60) { scenarioVersion sample { stepKey } entries { invoiceId stepKey due } } }` },
  })
  t.equal(gql.statusCode, 200)
  t.same(gql.json().data.scenarioPreview.entries, body.entries.map((e: { invoice_id: string; step_key: string; due: boolean }) => ({ invoiceId: e.invoice_id, stepKey: e.step_key, due: e.due })), 'GraphQL answers the same')
})

t.test('preview errors: bad as_of names the field; another tenant scenario is a 404', async (t) => {
  const s = await sandbox(t)
  await s.post('/v1/invoices', invoiceBody(s.debtor.id, 'V-2'))
  const id = (await defaultScenarioOf(s)).id
  const bad = await s.ctx.inject({ method: 'GET', url: `/v1/scenarios/${id}/preview?as_of=yesterday`, headers: bearer(s.key) })
  t.equal(bad.statusCode, 400)
  t.match(bad.json().errors, [{ path: 'querystring.as_of' }])
  const other = await createTenant(s.ctx, { name: 'Other' })
  const hidden = await s.ctx.inject({ method: 'GET', url: `/v1/scenarios/${id}/preview`, headers: bearer(other.key) })
  t.equal(hidden.statusCode, 404)
})

t.test('an invoice override runs its own scenario; moving it explicitly re-plans the case on the new one', async (t) => {
  const s = await sandbox(t)
  const gentle = await s.post('/v1/scenarios', {
    name: 'Gentle',
    language: 'fr',
    definition: { steps: [{ key: 'nudge', offset_days: 2, channels: [{ channel: 'email', template: 'reminder_first' }] }] },
  })
  const invoice = await s.post('/v1/invoices', { ...invoiceBody(s.debtor.id, 'O-1'), scenario_id: gentle.id })
  t.equal(invoice.scenario_id, gentle.id, 'the override is on the invoice')
  const other = await s.post('/v1/invoices', invoiceBody(s.debtor.id, 'O-2'))
  await s.advanceDays(14) // to 2026-03-06
  const sent = await s.sent()
  t.ok(sent.some((d) => d.step_key === 'nudge' && d.invoice_ids.includes(invoice.id)), 'the overridden invoice got its own step')
  t.notOk(sent.some((d) => d.step_key === 'nudge' && d.invoice_ids.includes(other.id)), 'the other invoice keeps the default')
  const moved = await s.ctx.inject({ method: 'PATCH', url: `/v1/invoices/${other.id}`, headers: bearer(s.key), payload: { scenario_id: gentle.id } })
  t.equal(moved.statusCode, 200, moved.body)
  const rows = await systemQuery<{ dunning_scenario_id: string }>(s.ctx.database, 'select dunning_scenario_id from invoices where invoice_id = $1', [other.id])
  t.equal(rows[0]!.dunning_scenario_id, null, 'the pinned version is dropped until the next pass')
  await s.advanceDays(1)
  const after = await systemQuery<{ dunning_scenario_id: string }>(s.ctx.database, 'select dunning_scenario_id from invoices where invoice_id = $1', [other.id])
  t.equal(after[0]!.dunning_scenario_id, gentle.id, 'the next pass runs it on the scenario it was moved to')
})
