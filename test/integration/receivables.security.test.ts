import t from 'tap'
import { insertDebtor, postInvoice } from '../factories.js'
import { bearer, buildTestApp, createTenant } from '../helper.js'

t.test("tenant B can neither see nor touch nor reference tenant A's receivables", async (t) => {
  const ctx = await buildTestApp(t)
  const a = await createTenant(ctx, { name: 'A' })
  const b = await createTenant(ctx, { name: 'B' })
  const aDebtor = await insertDebtor(ctx, a.tenantId, { externalRef: 'shared-ref' })
  const bDebtor = await insertDebtor(ctx, b.tenantId)
  const aInvoice = await postInvoice(ctx, a.key, { debtor_id: aDebtor, number: 'A-1', amount_total: 1_000 })
  const aPayment = (
    await ctx.inject({ method: 'POST', url: '/v1/payments', headers: bearer(a.key), payload: { debtor_id: aDebtor, amount: 500, currency: 'EUR', received_on: '2026-01-02' } })
  ).json()
  const B = bearer(b.key)

  const attempts = [
    ctx.inject({ method: 'GET', url: `/v1/invoices/${aInvoice.id}`, headers: B }),
    ctx.inject({ method: 'PATCH', url: `/v1/invoices/${aInvoice.id}`, headers: B, payload: { number: 'x' } }),
    ctx.inject({ method: 'POST', url: `/v1/invoices/${aInvoice.id}/cancel`, headers: B, payload: {} }),
    ctx.inject({ method: 'GET', url: `/v1/invoices/${aInvoice.id}/document`, headers: B }),
    ctx.inject({ method: 'GET', url: `/v1/payments/${aPayment.id}`, headers: B }),
    ctx.inject({ method: 'POST', url: `/v1/payments/${aPayment.id}/reverse`, headers: B, payload: { reason: 'bounced' } }),
    ctx.inject({ method: 'POST', url: '/v1/invoices', headers: B, payload: { debtor_id: aDebtor, number: 'x', currency: 'EUR', amount_total: 1, issue_date: '2026-01-01', due_date: '2026-01-02' } }),
    ctx.inject({ method: 'POST', url: '/v1/invoices', headers: B, payload: { debtor_external_ref: 'shared-ref', number: 'x', currency: 'EUR', amount_total: 1, issue_date: '2026-01-01', due_date: '2026-01-02' } }),
    ctx.inject({ method: 'POST', url: '/v1/payments', headers: B, payload: { debtor_id: bDebtor, amount: 1, currency: 'EUR', received_on: '2026-01-02', allocations: [{ invoice_id: aInvoice.id, amount: 1 }] } }),
  ]
  for (const res of await Promise.all(attempts)) {
    t.equal(res.statusCode, 404, `${res.json().detail}`)
  }
  const lists = await Promise.all(
    ['/v1/invoices', '/v1/payments', '/v1/credit-notes'].map((url) => ctx.inject({ method: 'GET', url, headers: B })),
  )
  for (const list of lists) t.same(list.json().data, [], 'lists show nothing of A')
  const still = await ctx.inject({ method: 'GET', url: `/v1/invoices/${aInvoice.id}`, headers: bearer(a.key) })
  t.match(still.json(), { number: 'A-1', status: 'partially_paid', amount_paid: 500 }, "A's invoice is untouched")
})
