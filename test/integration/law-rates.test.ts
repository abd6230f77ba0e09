import t from 'tap'
import { insertDebtor, postInvoice } from '../factories.js'
import { bearer, buildTestApp, createTenant } from '../helper.js'

t.test('rate tables: seeded, readable by any key, extended by a platform key only', async (t) => {
  const ctx = await buildTestApp(t)
  const { key } = await createTenant(ctx)
  const list = await ctx.inject({ method: 'GET', url: '/v1/law/rates?series=ecb_main_refinancing', headers: bearer(key) })
  t.equal(list.statusCode, 200, list.body)
  t.match(list.json().data.at(-1), { series: 'ecb_main_refinancing', valid_from: '2025-06-11', rate: '2.15' })
  const legal = (await ctx.inject({ method: 'GET', url: '/v1/law/rates', headers: bearer(key) })).json().data
  t.match(legal.find((r: { series: string; valid_from: string }) => r.series === 'fr_legal_interest_professional_creditor' && r.valid_from === '2025-07-01'), { rate: '2.76' })
  t.match(legal.find((r: { series: string; valid_from: string }) => r.series === 'fr_legal_interest_individual_creditor' && r.valid_from === '2025-07-01'), { rate: '6.65' })

  const half = { series: 'fr_legal_interest_professional_creditor', valid_from: '2026-01-01', rate: '2.5', source: 'test value' }
  const byTenant = await ctx.inject({ method: 'POST', url: '/v1/law/rates', headers: bearer(key), payload: half })
  t.equal(byTenant.statusCode, 403, 'a tenant key cannot change rates every tenant uses')
  const added = await ctx.inject({ method: 'POST', url: '/v1/law/rates', headers: bearer(ctx.platformKey), payload: half })
  t.equal(added.statusCode, 201, added.body)
  t.match(added.json(), { object: 'law_rate', valid_from: '2026-01-01', rate: '2.5', source: 'test value' })
  const again = await ctx.inject({ method: 'POST', url: '/v1/law/rates', headers: bearer(ctx.platformKey), payload: half })
  t.equal(again.statusCode, 409, 'a published rate is never replaced')
  const midHalf = await ctx.inject({ method: 'POST', url: '/v1/law/rates', headers: bearer(ctx.platformKey), payload: { ...half, valid_from: '2026-03-01' } })
  t.equal(midHalf.statusCode, 400)
  t.match(midHalf.json().errors, [{ path: 'body.valid_from' }])
  const badRate = await ctx.inject({ method: 'POST', url: '/v1/law/rates', headers: bearer(ctx.platformKey), payload: { ...half, valid_from: '2026-07-01', rate: '2,5' } })
  t.match(badRate.json().errors, [{ path: 'body.rate' }])
})

t.test('penalties across two half-years take the rate added through the API', async (t) => {
  const ctx = await buildTestApp(t)
  const { tenantId, key } = await createTenant(ctx)
  const business = await insertDebtor(ctx, tenantId, { kind: 'business' })
  const invoice = await postInvoice(ctx, key, { debtor_id: business, number: 'F-1', amount_total: 100_000, issue_date: '2025-11-20', due_date: '2025-12-20' })
  const penalty = (asOf: string) => ctx.inject({ method: 'GET', url: `/v1/law/penalties?invoice_id=${invoice.id}&as_of=${asOf}`, headers: bearer(key) })

  // Before: the table stops at 2.15 % (11 June 2025), so 12.15 % in both halves:
  // 100 000 × 12.15 % × 20 / 365 = 665.75 → 666
  t.match((await penalty('2026-01-09')).json(), { basis: 'ecb_plus_10', amount: 666, days_late: 20 })

  const ecb = { series: 'ecb_main_refinancing', valid_from: '2025-12-17', rate: '1.9', source: 'test value' }
  t.equal((await ctx.inject({ method: 'POST', url: '/v1/law/rates', headers: bearer(ctx.platformKey), payload: ecb })).statusCode, 201)

  const res = await penalty('2026-01-09')
  t.equal(res.statusCode, 200, res.body)
  // H2 2025 reads the rate in force on 1 July (2.15 + 10); H1 2026 the one on 1 January (1.9 + 10).
  // 100 000 × 12.15 % × 11 / 365 = 366.16; 100 000 × 11.9 % × 9 / 365 = 293.42; total 659.59 → 660,
  // shared 366 + 294 (the cent left goes to the larger remainder, .42).
  t.match(res.json(), {
    object: 'late_penalty', invoice_id: invoice.id, debtor_kind: 'business', as_of: '2026-01-09', amount_due: 100_000,
    accrues_from: '2025-12-21', amount: 660, rate: '11.9', indemnity: { applicable: true, amount: 4000, currency: 'EUR' },
  })
  t.same(res.json().periods, [
    { from: '2025-12-21', to: '2025-12-31', days: 11, rate: '12.15', amount: 366 },
    { from: '2026-01-01', to: '2026-01-09', days: 9, rate: '11.9', amount: 294 },
  ])
})

t.test('a consumer never owes the €40 indemnity; errors name their field or hide other tenants', async (t) => {
  const ctx = await buildTestApp(t)
  const { tenantId, key } = await createTenant(ctx)
  const consumer = await insertDebtor(ctx, tenantId, { kind: 'consumer', name: 'Jean Dupont' })
  const invoice = await postInvoice(ctx, key, { debtor_id: consumer, number: 'C-1', amount_total: 50_000, issue_date: '2025-05-15', due_date: '2025-06-15' })
  const res = await ctx.inject({ method: 'GET', url: `/v1/law/penalties?invoice_id=${invoice.id}&as_of=2025-09-30`, headers: bearer(key) })
  t.equal(res.statusCode, 200, res.body)
  t.match(res.json(), { debtor_kind: 'consumer', basis: 'legal_interest', days_late: 107, accrues_from: null, amount: 0, formal_notice_date: null })
  t.same(res.json().indemnity, { applicable: false, amount: 0, currency: 'EUR' })

  const bad = await ctx.inject({ method: 'GET', url: `/v1/law/penalties?invoice_id=${invoice.id}&as_of=30-09-2025`, headers: bearer(key) })
  t.equal(bad.statusCode, 400)
  t.match(bad.json().errors, [{ path: 'querystring.as_of' }])
  const other = await createTenant(ctx, { name: 'Other SAS', mode: 'sandbox' })
  const hidden = await ctx.inject({ method: 'GET', url: `/v1/law/penalties?invoice_id=${invoice.id}`, headers: bearer(other.key) })
  t.equal(hidden.statusCode, 404)
})
