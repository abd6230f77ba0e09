import t from 'tap'
import { newId } from '../../src/shared/ids.js'
import { postInvoice } from '../factories.js'
import { bearer, buildTestApp, systemQuery, type TestApp } from '../helper.js'
import { createDebtor } from './debtors-fixtures.js'
import { reportTenant, type ReportTenant } from './report-fixtures.js'

async function post(ctx: TestApp, r: ReportTenant, url: string, payload: Record<string, unknown>) {
  const res = await ctx.inject({ method: 'POST', url, headers: bearer(r.key), payload })
  if (res.statusCode !== 201) throw new Error(`${url}: ${res.body}`)
  return res.json<{ id: string }>()
}

/** An invoice settled on a given day, for a lateness history. */
async function paidInvoice(ctx: TestApp, r: ReportTenant, debtorId: string, number: string, due: string, paidOn: string, amount = 20_000) {
  const inv = await postInvoice(ctx, r.key, { debtor_id: debtorId, number, amount_total: amount, issue_date: due, due_date: due })
  await post(ctx, r, '/v1/payments', { debtor_id: debtorId, amount, currency: 'EUR', received_on: paidOn, allocations: [{ invoice_id: inv.id, amount }] })
  return inv.id
}

t.test('forecast: due dates shifted by observed lateness, a plan instalment and a promise', async (t) => {
  const ctx = await buildTestApp(t)
  const r = await reportTenant(ctx)
  // Wholesale paid 10 and 20 days late before: it averages 15 days late.
  await paidInvoice(ctx, r, r.wholesale, 'F-8', '2025-10-31', '2025-11-10')
  await paidInvoice(ctx, r, r.wholesale, 'F-9', '2025-11-30', '2025-12-20')
  const plan = await post(ctx, r, '/v1/payment-plans', {
    debtor_id: r.retail,
    invoice_ids: [r.inv.i2],
    instalments: [{ due_date: '2026-04-10', amount: 15_000 }, { due_date: '2026-05-10', amount: 15_000 }],
  })
  const promise = await post(ctx, r, '/v1/holds', {
    kind: 'promise_to_pay', debtor_id: r.wholesale, invoice_id: r.inv.i3, promised_amount: 80_000, promised_currency: 'EUR', promised_date: '2026-04-20',
  })

  const res = await r.get('/v1/reports/forecast')
  t.equal(res.statusCode, 200, res.body)
  const report = res.json()
  t.equal(report.as_of, '2026-03-31')
  t.equal(report.weeks.length, 13)
  t.match(report.weeks[0], { week: 1, from: '2026-03-31', to: '2026-04-06' })
  const lines = report.weeks.flatMap((w: { week: number; lines: object[] }) => w.lines.map((l) => ({ week: w.week, ...l })))
  t.match(lines, [
    // Week 1: what is already late. F-6 (retail, no history: +0), F-4 and F-5 (wholesale: +15) and F-7 in GBP.
    { week: 1, basis: 'invoice_due_date', source_id: r.inv.i4, amount: 40_000, scheduled_on: '2025-12-31', adjustment_days: 15, expected_on: '2026-03-31' },
    { week: 1, basis: 'invoice_due_date', source_id: r.inv.i5, amount: 10_000, adjustment_days: 15 },
    { week: 1, basis: 'invoice_due_date', source_id: r.inv.i6, amount: 60_000, adjustment_days: 0 },
    { week: 1, basis: 'invoice_due_date', source_id: r.inv.i7, currency: 'GBP', amount: 5_000, expected_on: '2026-04-04' },
    { week: 2, basis: 'payment_plan_instalment', source_id: `${plan.id}#1`, amount: 15_000, expected_on: '2026-04-10' },
    { week: 3, basis: 'invoice_due_date', source_id: r.inv.i1, amount: 100_000, expected_on: '2026-04-15' },
    { week: 3, basis: 'promise_to_pay', source_id: promise.id, amount: 80_000, expected_on: '2026-04-20' },
    { week: 6, basis: 'payment_plan_instalment', source_id: `${plan.id}#2`, amount: 15_000, expected_on: '2026-05-10' },
  ])
  t.equal(lines.length, 8, 'F-2 stands in the plan and F-3 in the promise: not counted twice')
  // 40 000 + 10 000 + 60 000 in EUR, 5 000 in GBP
  t.same(report.weeks[0].totals, [{ currency: 'EUR', amount: 110_000 }, { currency: 'GBP', amount: 5_000 }])
  t.same(report.weeks[2].totals, [{ currency: 'EUR', amount: 180_000 }])
})

async function dispatch(ctx: TestApp, r: ReportTenant, d: { debtor: string; step: string; channel: string; sent: string; cost?: number; invoices: string[] }) {
  const id = newId('dispatch')
  await systemQuery(
    ctx.database,
    `insert into dispatches (tenant_id, dispatch_id, debtor_id, step_key, channel, template, language, scenario_id, scenario_version,
       status, scheduled_at, sent_at, cost_amount, cost_currency)
     values ($1, $2, $3, $4, $5, $4, 'fr', 'scn_test', 1, 'delivered', $6, $6, $7, case when $7::int is null then null else 'EUR' end)`,
    [r.tenantId, id, d.debtor, d.step, d.channel, `${d.sent}T10:00:00Z`, d.cost ?? null],
  )
  for (const invoice of d.invoices) {
    await systemQuery(ctx.database, `insert into dispatch_items (tenant_id, dispatch_id, invoice_id, case_id, step_key) values ($1, $2, $3, $4, $5)`, [
      r.tenantId, id, invoice, `case_${id}_${invoice}`, d.step,
    ])
  }
  return id
}

t.test('effectiveness: share of debts paid within 14 days of each step, cost per recovered euro', async (t) => {
  const ctx = await buildTestApp(t)
  const r = await reportTenant(ctx)
  const pay = (invoice: string, amount: number, on: string) =>
    post(ctx, r, '/v1/payments', { debtor_id: r.wholesale, amount, currency: 'EUR', received_on: on, allocations: [{ invoice_id: invoice, amount }] })
  await pay(r.inv.i3, 80_000, '2026-02-10')
  await pay(r.inv.i4, 40_000, '2026-03-01')
  const w = r.wholesale
  await dispatch(ctx, r, { debtor: w, step: 'reminder_1', channel: 'email', sent: '2026-02-01', cost: 200, invoices: [r.inv.i3, r.inv.i4] })
  await dispatch(ctx, r, { debtor: w, step: 'reminder_1', channel: 'email', sent: '2026-02-05', cost: 200, invoices: [r.inv.i5] })
  await dispatch(ctx, r, { debtor: w, step: 'reminder_1', channel: 'email', sent: '2026-03-05', invoices: [r.inv.i3] })
  await dispatch(ctx, r, { debtor: w, step: 'formal_notice', channel: 'registered_letter', sent: '2026-02-25', cost: 600, invoices: [r.inv.i4] })

  const res = await r.get('/v1/reports/effectiveness')
  t.equal(res.statusCode, 200, res.body)
  const report = res.json()
  t.match(report, { as_of: '2026-03-31', period_start: '2026-01-01', within_days: 14 })
  t.same(report.steps, [
    // F-4 sent 25 Feb, paid 1 Mar (4 days): paid. 600 / 40 000 = 0.015 (1.5 cents per euro).
    { step_key: 'formal_notice', channel: 'registered_letter', dispatches: 1, debts: 1, debts_paid: 1, paid_share: 1,
      recovered: [{ currency: 'EUR', amount: 40_000 }], cost: [{ currency: 'EUR', amount: 600 }], cost_per_recovered_unit: [{ currency: 'EUR', ratio: 0.015 }] },
    // 1 Feb: F-3 paid 10 Feb (9 days) yes, F-4 paid 1 Mar (28 days) no; 5 Feb: F-5 never; 5 Mar: F-3 already paid, not a debt.
    // 1 paid of 3 debts; 80 000 recovered in the windows; cost 200 + 200 = 400 → 400 / 80 000 = 0.005.
    { step_key: 'reminder_1', channel: 'email', dispatches: 3, debts: 3, debts_paid: 1, paid_share: 0.3333,
      recovered: [{ currency: 'EUR', amount: 80_000 }], cost: [{ currency: 'EUR', amount: 400 }], cost_per_recovered_unit: [{ currency: 'EUR', ratio: 0.005 }] },
  ])
  const later = (await r.get('/v1/reports/effectiveness?within_days=30')).json()
  t.match(later.steps[1], { step_key: 'reminder_1', debts_paid: 2, recovered: [{ currency: 'EUR', amount: 120_000 }] }, 'F-4 within 30 days')
})

t.test('at-risk: rising lateness, a broken promise, a refused registered letter', async (t) => {
  const ctx = await buildTestApp(t)
  const r = await reportTenant(ctx)
  const risky = (await createDebtor(ctx, r.key, { kind: 'business', name: 'Risque SAS', country: 'FR', segment: 'retail' })).id
  // Before: due 15 Nov, paid 20 Nov (5 days late). Lately: due 15 Feb, still open on 31 March (44 days).
  await paidInvoice(ctx, r, risky, 'R-1', '2025-11-15', '2025-11-20')
  await postInvoice(ctx, r.key, { debtor_id: risky, number: 'R-2', amount_total: 9_000, issue_date: '2026-01-15', due_date: '2026-02-15' })
  await systemQuery(
    ctx.database,
    `insert into holds (tenant_id, hold_id, kind, debtor_id, status, promised_amount, promised_currency, promised_date, ended_at, end_reason)
     values ($1, $2, 'promise_to_pay', $3, 'broken', 9000, 'EUR', '2026-02-28', '2026-03-01T06:00:00Z', 'promise_broken')`,
    [r.tenantId, newId('hold'), risky],
  )
  const letter = await dispatch(ctx, r, { debtor: r.wholesale, step: 'formal_notice', channel: 'registered_letter', sent: '2026-03-02', invoices: [r.inv.i3] })
  await systemQuery(
    ctx.database,
    `insert into dispatch_events (tenant_id, event_id, dispatch_id, status, raw_status, occurred_at) values ($1, $2, $3, 'refused', 'REFUSED', '2026-03-10T08:00:00Z')`,
    [r.tenantId, newId('dispatchEvent'), letter],
  )

  const report = (await r.get('/v1/reports/at-risk')).json()
  t.same(report.debtors.map((d: { debtor_id: string }) => d.debtor_id).sort(), [risky, r.wholesale].sort(), 'retail shows no sign')
  const byId = Object.fromEntries(report.debtors.map((d: { debtor_id: string }) => [d.debtor_id, d]))
  t.match(byId[risky], { reasons: ['lateness_rising', 'broken_promises'], recent_avg_days_late: 44, prior_avg_days_late: 5, broken_promises: 1 })
  t.match(byId[r.wholesale], { reasons: ['registered_letters_refused'], registered_letters_refused: 1 })
  const retailOnly = (await r.get('/v1/reports/at-risk?segment=retail')).json()
  t.same(retailOnly.debtors.map((d: { debtor_id: string }) => d.debtor_id), [risky])
})
