import t from 'tap'
import { bearer, buildTestApp, createTenant } from '../helper.js'
import { createDebtor } from './debtors-fixtures.js'
import { reportTenant } from './report-fixtures.js'

t.test('aging as of the tenant day: every bucket, per currency, by debtor and segment', async (t) => {
  const ctx = await buildTestApp(t)
  const r = await reportTenant(ctx)
  const res = await r.get('/v1/reports/aging?group_by=segment')
  t.equal(res.statusCode, 200, res.body)
  const report = res.json()
  t.equal(report.as_of, '2026-03-31', "the tenant's test clock day")
  // Days past due on 31 March, EUR:
  //   F-1 due 15 Apr             → not yet due  100 000
  //   F-2 due 10 Mar, 21 days    → 1–30          50 000 − 20 000 paid 20 Mar = 30 000
  //   F-6 due 15 Mar, 16 days    → 1–30          60 000 (paid 5 Apr: later than as_of)
  //   F-3 due 31 Jan, 59 days    → 31–60         80 000
  //   F-4 due 31 Dec, 90 days    → 61–90         40 000
  //   F-5 due 1 Dec, 120 days    → over 90       10 000
  // total 100 000 + 90 000 + 80 000 + 40 000 + 10 000 = 320 000; GBP F-7 due 20 Mar, 11 days → 1–30 5 000
  t.same(report.totals, [
    { currency: 'EUR', invoices: 6, amount_due: 320_000, not_yet_due: 100_000, days_1_30: 90_000, days_31_60: 80_000, days_61_90: 40_000, over_90: 10_000 },
    { currency: 'GBP', invoices: 1, amount_due: 5_000, not_yet_due: 0, days_1_30: 5_000, days_31_60: 0, days_61_90: 0, over_90: 0 },
  ])
  t.match(report.groups, [
    { key: 'retail', currency: 'EUR', amount_due: 190_000, not_yet_due: 100_000, days_1_30: 90_000 },
    { key: 'wholesale', currency: 'EUR', amount_due: 130_000, days_31_60: 80_000, days_61_90: 40_000, over_90: 10_000 },
    { key: 'wholesale', currency: 'GBP', amount_due: 5_000 },
  ])

  const byDebtor = (await r.get(`/v1/reports/aging?group_by=debtor&debtor_id=${r.retail}&currency=EUR`)).json()
  t.same(byDebtor.totals.map((x: { amount_due: number }) => x.amount_due), [190_000])
  t.match(byDebtor.groups, [{ key: r.retail, name: 'Boulangerie Leroy SARL', amount_due: 190_000 }])

  // Ten days later the 5 April payment has settled F-6; a report as of 31 March still shows it owed.
  const later = (await r.get('/v1/reports/aging?as_of=2026-04-10&currency=EUR')).json()
  t.equal(later.totals[0].amount_due, 260_000, '320 000 − 60 000')
  const past = (await r.get('/v1/reports/aging?as_of=2026-03-31&currency=EUR')).json()
  t.equal(past.totals[0].amount_due, 320_000, 'the later payment is ignored as of 31 March')
  const beforeFirstPayment = (await r.get('/v1/reports/aging?as_of=2026-03-19&currency=EUR')).json()
  // 19 March: F-2 unpaid (50 000, 9 days), F-6 (60 000, 4 days); F-1 issued 1 March not yet due
  t.match(beforeFirstPayment.totals[0], { amount_due: 340_000, days_1_30: 110_000 })
})

t.test('DSO by the standard and countback methods, with their inputs', async (t) => {
  const ctx = await buildTestApp(t)
  const r = await reportTenant(ctx)
  const report = (await r.get('/v1/reports/dso?currency=EUR')).json()
  t.equal(report.period_days, 90)
  const eur = report.currencies[0]
  t.equal(eur.receivables, 320_000, 'as in the aging report')
  // Standard: sales 1 Jan–31 Mar = F-3 80 000 + F-2 50 000 + F-6 60 000 + F-1 100 000 = 290 000;
  // 320 000 / 290 000 × 90 = 99.31 → 99.3
  t.same(eur.standard, { period_start: '2026-01-01', sales_in_period: 290_000, dso: 99.3 })
  // Countback: March sales 100 000 (31 days), February 110 000 (28 days), January 80 000 (31 days)
  // absorb 290 000; the 30 000 left is 30/40 of December's 40 000 → 0.75 × 31 = 23.25.
  // 31 + 28 + 31 + 23.25 = 113.25 → 113.3
  t.equal(eur.countback.dso, 113.3)
  t.equal(eur.countback.complete, true)
  t.same(eur.countback.months, [
    { from: '2026-03-01', to: '2026-03-31', days: 31, sales: 100_000, absorbed: 100_000 },
    { from: '2026-02-01', to: '2026-02-28', days: 28, sales: 110_000, absorbed: 110_000 },
    { from: '2026-01-01', to: '2026-01-31', days: 31, sales: 80_000, absorbed: 80_000 },
    { from: '2025-12-01', to: '2025-12-31', days: 31, sales: 40_000, absorbed: 30_000 },
  ])
})

t.test('filters: another tenant\'s debtor is a 404, a bad as_of a 400 naming the field', async (t) => {
  const ctx = await buildTestApp(t)
  const r = await reportTenant(ctx)
  const other = await createTenant(ctx, { name: 'Other SAS', mode: 'sandbox' })
  const theirs = await createDebtor(ctx, other.key, { kind: 'business', name: 'Theirs SA', country: 'FR' })
  for (const path of ['aging', 'dso', 'forecast', 'effectiveness', 'at-risk']) {
    const res = await r.get(`/v1/reports/${path}?debtor_id=${theirs.id}`)
    t.equal(res.statusCode, 404, `${path}: ${res.body}`)
    const bad = await r.get(`/v1/reports/${path}?as_of=2026-02-30`)
    t.equal(bad.statusCode, 400)
    t.match(bad.json().errors, [{ path: 'querystring.as_of' }])
  }
})

t.test('GraphQL reads the same reports through the same services', async (t) => {
  const ctx = await buildTestApp(t)
  const r = await reportTenant(ctx)
  const gql = async (query: string) =>
    (await ctx.inject({ method: 'POST', url: '/graphql', headers: bearer(r.key), payload: { query } })).json()
  const aging = await gql(`{ agingReport(currency: "EUR", asOf: "2026-03-31") { asOf totals { currency amountDue notYetDue days1To30 over90 } } }`)
  t.same(aging.data.agingReport, { asOf: '2026-03-31', totals: [{ currency: 'EUR', amountDue: 320_000, notYetDue: 100_000, days1To30: 90_000, over90: 10_000 }] })
  const dso = await gql(`{ dsoReport(currency: "EUR") { currencies { receivables standard { dso } countback { dso } } } }`)
  t.same(dso.data.dsoReport.currencies, [{ receivables: 320_000, standard: { dso: 99.3 }, countback: { dso: 113.3 } }])
  const penalty = await gql(`{ latePenalty(invoiceId: "${r.inv.i3}", asOf: "2026-03-31") { basis daysLate indemnity { amount } periods { days rate } } lawRates(series: "ecb_main_refinancing") { validFrom } }`)
  t.match(penalty.data.latePenalty, { basis: 'ecb_plus_10', daysLate: 59, indemnity: { amount: 4000 }, periods: [{ days: 59, rate: '12.15' }] })
  t.ok(penalty.data.lawRates.length > 10)
  const bad = await gql(`{ agingReport(asOf: "2026-02-30") { asOf } }`)
  t.equal(bad.errors[0].extensions.code, 'validation_failed')
  const theirs = await gql(`{ forecastReport(debtorId: "dbt_nope") { asOf } }`)
  t.equal(theirs.errors[0].extensions.code, 'not_found')
})
