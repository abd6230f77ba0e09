import t from 'tap'
import { checkPaymentPlans } from '../../src/modules/payment-plans/plan-progress.service.js'
import { expireHolds } from '../../src/modules/holds/holds-expiry.js'
import { systemQuery } from '../helper.js'
import { invoiceBody, sandbox } from './engine-fixtures.js'

t.test('a promise is confirmed, pauses the ladder, and when broken on the clock the scenario resumes', async (t) => {
  const s = await sandbox(t)
  const invoice = await s.post('/v1/invoices', invoiceBody(s.debtor.id, 'P-1'))
  await s.advanceDays(12) // to 2026-03-04: the courtesy notice (-5) and the first reminder (+1)
  const before = await s.sent()
  t.same(before.map((d) => d.step_key), ['courtesy_notice', 'first_reminder'])

  const promise = await s.post('/v1/holds', {
    kind: 'promise_to_pay',
    debtor_id: s.debtor.id,
    invoice_id: invoice.id,
    promised_amount: 120_000,
    promised_currency: 'EUR',
    promised_date: '2026-03-20',
  })
  const confirmed = await s.sent()
  t.equal(confirmed.length, before.length + 1, 'the promise is confirmed to the debtor at once')
  t.match(confirmed.at(-1), { step_key: `promise_confirmed:${promise.id}`, channel: 'email', invoice_ids: [invoice.id] })

  // The firm reminder (+10) and the call (+15) fall inside the promise: nothing until it is broken.
  await s.advanceDays(16) // to 2026-03-20, the promised date itself
  t.equal((await s.sent()).length, confirmed.length, 'nothing while the promise stands')
  const holdWhile = await s.ctx.inject({ method: 'GET', url: `/v1/holds/${promise.id}`, headers: { authorization: `Bearer ${s.key}` } })
  t.equal(holdWhile.json().status, 'active', 'the promise is still pending before its date')

  // The wall-clock job must leave a tenant on a test clock alone, even long after the date.
  t.equal(await expireHolds(s.ctx.database.db, '2030-01-01'), 0, 'the wall-clock expiry skips tenants on a test clock')

  await s.advanceDays(10) // past 2026-03-20 without payment, and past the minimum gap after the notice
  const hold = await s.ctx.inject({ method: 'GET', url: `/v1/holds/${promise.id}`, headers: { authorization: `Bearer ${s.key}` } })
  t.equal(hold.json().status, 'broken', "advancing the tenant's clock past the date breaks the promise")
  const after = await s.sent()
  const fresh = after.slice(confirmed.length).map((d) => d.step_key)
  t.equal(fresh[0], `promise_broken:${promise.id}`, 'the debtor is told the promise was broken')
  t.equal(fresh[1], 'firm_reminder', 'the ladder resumes with the step it had reached')
  t.notOk(fresh.some((k) => before.some((b) => b.step_key === k)), 'no earlier step is repeated')
})

t.test('a missed instalment breaches the plan on the clock, notifies once, and resumes the ladder', async (t) => {
  const s = await sandbox(t)
  const invoice = await s.post('/v1/invoices', invoiceBody(s.debtor.id, 'Q-1'))
  await s.advanceDays(3)
  const plan = await s.post('/v1/payment-plans', {
    debtor_id: s.debtor.id,
    invoice_ids: [invoice.id],
    instalments: [
      { due_date: '2026-03-05', amount: 60_000 },
      { due_date: '2026-04-05', amount: 60_000 },
    ],
  })
  const before = await s.sent()
  t.equal(await checkPaymentPlans(s.ctx.database.db, '2030-01-01').then((r) => r.breached), 0, 'the wall-clock job skips the tenant')
  await s.advanceDays(14) // past 2026-03-05 unpaid
  const status = await systemQuery<{ status: string }>(s.ctx.database, `select status from payment_plans where plan_id = $1`, [plan.id])
  t.equal(status[0]!.status, 'breached')
  const after = await s.sent()
  const keys = after.slice(before.length).map((d) => d.step_key)
  t.equal(keys.filter((k) => k === `instalment_missed:${plan.id}`).length, 1, 'one missed-instalment notice')
  t.ok(keys.some((k) => !k.includes(':')), 'the ladder resumed after the breach')
  await s.advanceDays(1)
  const again = (await s.sent()).map((d) => d.step_key)
  t.equal(again.filter((k) => k === `instalment_missed:${plan.id}`).length, 1, 'never twice')
})

t.test('invoice.prescription_approaching goes out once, 90 days before a debt is time-barred, on the tenant clock', async (t) => {
  const s = await sandbox(t, '2026-08-01T09:30:00Z')
  const consumer = await s.post('/v1/debtors', { kind: 'consumer', name: 'Jean Martin', country: 'FR' })
  const old = { currency: 'EUR', amount_total: 50_000, issue_date: '2024-11-01', due_date: '2024-12-01' }
  const owed = await s.post('/v1/invoices', { ...old, debtor_id: consumer.id, number: 'OLD-1' })
  await s.post('/v1/invoices', { ...old, debtor_id: s.debtor.id, number: 'OLD-B2B' })
  t.equal(owed.prescription_date, '2026-12-01', 'two years against a consumer')
  const alerts = () =>
    systemQuery<{ object_id: string; prescription_date: string }>(
      s.ctx.database,
      `select object_id, data->'object'->>'prescription_date' as prescription_date from events
       where tenant_id = $1 and type = 'invoice.prescription_approaching'`,
      [s.tenantId],
    )
  await s.advanceDays(1) // 2026-08-02: 121 days left
  t.same(await alerts(), [], 'not yet: more than 90 days left')
  const { alertPrescriptions } = await import('../../src/modules/invoices/prescription-alerts.js')
  t.equal(await alertPrescriptions(s.ctx.database.db, '2026-11-30', 90), 0, 'the wall-clock job leaves a tenant on a test clock alone')
  await s.advanceDays(32) // 2026-09-03: 89 days left
  t.same(await alerts(), [{ object_id: owed.id, prescription_date: '2026-12-01' }], 'announced with the invoice; the B2B debt has years left')
  await s.advanceDays(3)
  t.equal((await alerts()).length, 1, 'once')
})

t.test('a promise kept on the test clock is judged kept: payments count from the tenant day of the promise', async (t) => {
  const s = await sandbox(t)
  const invoice = await s.post('/v1/invoices', invoiceBody(s.debtor.id, 'K-1'))
  await s.advanceDays(12) // 2026-03-04
  const promise = await s.post('/v1/holds', {
    kind: 'promise_to_pay',
    debtor_id: s.debtor.id,
    invoice_id: invoice.id,
    promised_amount: 120_000,
    promised_currency: 'EUR',
    promised_date: '2026-03-10',
  })
  await s.advanceDays(3)
  await s.post('/v1/payments', { debtor_id: s.debtor.id, amount: 120_000, currency: 'EUR', received_on: '2026-03-07' })
  await s.advanceDays(5) // past 2026-03-10
  const hold = await s.ctx.inject({ method: 'GET', url: `/v1/holds/${promise.id}`, headers: { authorization: `Bearer ${s.key}` } })
  t.match(hold.json(), { status: 'kept', end_reason: /^promise_kept: paid 120000 of 120000/ })
  const keys = (await s.sent()).map((d) => d.step_key)
  t.notOk(keys.some((k) => k.startsWith('promise_broken')), 'no broken-promise notice')
  t.ok(keys.includes('thank_you'), 'the debt was chased and is paid: thanked')
})
