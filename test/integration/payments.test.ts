import t from 'tap'
import { eventsOf, getInvoice, insertDebtor, postInvoice } from '../factories.js'
import { bearer, buildTestApp, createTenant } from '../helper.js'

async function setup(t: Parameters<typeof buildTestApp>[0]) {
  const ctx = await buildTestApp(t)
  const { tenantId, key } = await createTenant(ctx)
  const debtorId = await insertDebtor(ctx, tenantId)
  const pay = (body: Record<string, unknown>) =>
    ctx.inject({ method: 'POST', url: '/v1/payments', headers: bearer(key), payload: { debtor_id: debtorId, currency: 'EUR', received_on: '2026-02-10', ...body } })
  return { ctx, tenantId, key, debtorId, pay }
}

t.test('oldest-first allocation, partial payment, overpayment kept as unapplied credit', async (t) => {
  const { ctx, tenantId, key, debtorId, pay } = await setup(t)
  const later = await postInvoice(ctx, key, { debtor_id: debtorId, number: 'F-2', amount_total: 50_000, due_date: '2026-02-28' })
  const older = await postInvoice(ctx, key, { debtor_id: debtorId, number: 'F-1', amount_total: 30_000, due_date: '2026-01-31' })
  const other = await postInvoice(ctx, key, { debtor_id: debtorId, number: 'F-GBP', amount_total: 10_000, currency: 'GBP' })

  const first = await pay({ amount: 40_000 })
  t.equal(first.statusCode, 201)
  t.match(first.json(), { amount: 40_000, amount_applied: 40_000, amount_unapplied: 0 })
  t.same(
    first.json().allocations.map((a: { invoice_id: string; amount: number }) => [a.invoice_id, a.amount]),
    [
      [older.id, 30_000],
      [later.id, 10_000],
    ],
    'the oldest due invoice is paid first',
  )
  t.match(await getInvoice(ctx, key, older.id), { status: 'paid', amount_paid: 30_000, amount_due: 0 })
  t.match(await getInvoice(ctx, key, later.id), { status: 'partially_paid', amount_paid: 10_000, amount_due: 40_000 })
  t.match(await getInvoice(ctx, key, other.id), { status: 'open', amount_paid: 0 }, 'another currency is never touched')

  const over = await pay({ amount: 45_000 })
  t.match(over.json(), { amount_applied: 40_000, amount_unapplied: 5_000 }, 'overpayment stays as unapplied credit')
  t.match(await getInvoice(ctx, key, later.id), { status: 'paid', amount_due: 0 })

  const types = (await eventsOf(ctx, tenantId)).map((e) => e.type)
  t.same(
    types.filter((x) => x.startsWith('invoice.paid') || x.startsWith('invoice.partially')),
    ['invoice.paid', 'invoice.partially_paid', 'invoice.paid'],
  )
  t.equal(types.filter((x) => x === 'payment.created').length, 2)
})

t.test('explicit allocation and its errors', async (t) => {
  const { ctx, key, debtorId, pay } = await setup(t)
  const a = await postInvoice(ctx, key, { debtor_id: debtorId, number: 'A', amount_total: 10_000 })
  const b = await postInvoice(ctx, key, { debtor_id: debtorId, number: 'B', amount_total: 10_000, due_date: '2026-01-15' })
  const usd = await postInvoice(ctx, key, { debtor_id: debtorId, number: 'U', amount_total: 10_000, currency: 'USD' })

  const explicit = await pay({ amount: 6_000, allocations: [{ invoice_id: a.id, amount: 6_000 }] })
  t.equal(explicit.statusCode, 201)
  t.match(await getInvoice(ctx, key, a.id), { amount_paid: 6_000, status: 'partially_paid' })
  t.match(await getInvoice(ctx, key, b.id), { amount_paid: 0 }, 'the older invoice was not chosen')

  const tooMuch = await pay({ amount: 9_000, allocations: [{ invoice_id: a.id, amount: 9_000 }] })
  t.equal(tooMuch.statusCode, 422)
  t.match(tooMuch.json().errors, [{ path: 'body.allocations.0.amount', message: /4000 left to pay/ }])

  const overSum = await pay({ amount: 1_000, allocations: [{ invoice_id: b.id, amount: 2_000 }] })
  t.equal(overSum.statusCode, 422)
  t.match(overSum.json().errors, [{ path: 'body.allocations' }])

  const mixed = await pay({ amount: 1_000, allocations: [{ invoice_id: usd.id, amount: 1_000 }] })
  t.equal(mixed.statusCode, 422)
  t.match(mixed.json().errors[0].message, /USD, not EUR/)

  const unknown = await pay({ amount: 1_000, allocations: [{ invoice_id: 'inv_nope', amount: 1_000 }] })
  t.equal(unknown.statusCode, 404)
  t.equal(unknown.json().errors[0].path, 'body.allocations.0.invoice_id')

  const float = await pay({ amount: 10.5 })
  t.equal(float.statusCode, 400)
  t.equal(float.json().errors[0].path, 'body.amount')

  const badCurrency = await pay({ amount: 100, currency: 'EUX' })
  t.equal(badCurrency.statusCode, 400)
  t.equal(badCurrency.json().errors[0].path, 'body.currency')

  t.match(await getInvoice(ctx, key, a.id), { amount_paid: 6_000 }, 'rejected payments changed nothing')
  const list = await ctx.inject({ method: 'GET', url: '/v1/payments', headers: bearer(key) })
  t.equal(list.json().data.length, 1, 'and stored nothing')
})

t.test('a reversed payment reopens what it paid; unapplied credit can be applied later', async (t) => {
  const { ctx, tenantId, key, debtorId, pay } = await setup(t)
  const credit = (await pay({ amount: 20_000 })).json()
  t.match(credit, { amount_applied: 0, amount_unapplied: 20_000 }, 'nothing to pay yet: all unapplied')

  const invoice = await postInvoice(ctx, key, { debtor_id: debtorId, number: 'R-1', amount_total: 15_000 })
  const applied = await ctx.inject({ method: 'POST', url: `/v1/payments/${credit.id}/allocate`, headers: bearer(key), payload: {} })
  t.equal(applied.statusCode, 200)
  t.match(applied.json(), { amount_applied: 15_000, amount_unapplied: 5_000 })
  t.match(await getInvoice(ctx, key, invoice.id), { status: 'paid' })

  const reversed = await ctx.inject({ method: 'POST', url: `/v1/payments/${credit.id}/reverse`, headers: bearer(key), payload: { reason: 'bounced' } })
  t.equal(reversed.statusCode, 200)
  t.match(reversed.json(), { reversal_reason: 'bounced', amount_applied: 0, amount_unapplied: 0 })
  t.ok(reversed.json().allocations.every((a: { reversed_at: string | null }) => a.reversed_at), 'allocations are kept, marked reversed')
  t.match(await getInvoice(ctx, key, invoice.id), { status: 'open', amount_paid: 0, amount_due: 15_000, paid_at: null })
  const types = (await eventsOf(ctx, tenantId)).map((e) => e.type)
  t.ok(types.includes('invoice.reopened'))
  t.ok(types.includes('payment.reversed'))

  const twice = await ctx.inject({ method: 'POST', url: `/v1/payments/${credit.id}/reverse`, headers: bearer(key), payload: { reason: 'bounced' } })
  t.equal(twice.statusCode, 422)
})

t.test('credit notes reduce what is owed; amounts in several currencies never mix', async (t) => {
  const { ctx, key, debtorId, pay } = await setup(t)
  const invoice = await postInvoice(ctx, key, { debtor_id: debtorId, number: 'C-1', amount_total: 12_000 })
  const cn = await ctx.inject({
    method: 'POST',
    url: '/v1/credit-notes',
    headers: bearer(key),
    payload: { debtor_id: debtorId, number: 'AV-1', amount: 2_000, currency: 'EUR', issue_date: '2026-01-10' },
  })
  t.equal(cn.statusCode, 201)
  t.match(cn.json(), { amount_applied: 2_000, allocations: [{ invoice_id: invoice.id, amount: 2_000 }] })
  t.match(await getInvoice(ctx, key, invoice.id), { status: 'partially_paid', amount_credited: 2_000, amount_due: 10_000 })
  await pay({ amount: 10_000 })
  t.match(await getInvoice(ctx, key, invoice.id), { status: 'paid', amount_paid: 10_000, amount_credited: 2_000, amount_due: 0 })
})

t.test('a payment moves the payment plan over its invoices in the same transaction', async (t) => {
  const { ctx, tenantId, key, debtorId, pay } = await setup(t)
  const invoice = await postInvoice(ctx, key, { debtor_id: debtorId, number: 'PL-1', amount_total: 30_000, due_date: '2099-01-31' })
  const plan = await ctx.inject({
    method: 'POST',
    url: '/v1/payment-plans',
    headers: bearer(key),
    payload: {
      debtor_id: debtorId,
      invoice_ids: [invoice.id],
      instalments: [
        { due_date: '2099-02-01', amount: 10_000 },
        { due_date: '2099-03-01', amount: 20_000 },
      ],
    },
  })
  t.equal(plan.statusCode, 201, plan.body)
  await pay({ amount: 12_000 })
  const partly = (await ctx.inject({ method: 'GET', url: `/v1/payment-plans/${plan.json().id}`, headers: bearer(key) })).json()
  t.match(partly, { status: 'active', instalments: [{ amount_paid: 10_000, status: 'paid' }, { amount_paid: 2_000, status: 'pending' }] })
  await pay({ amount: 18_000 })
  const done = (await ctx.inject({ method: 'GET', url: `/v1/payment-plans/${plan.json().id}`, headers: bearer(key) })).json()
  t.equal(done.status, 'completed', 'completed as soon as the last instalment is covered, not at the next job run')
  t.ok((await eventsOf(ctx, tenantId)).some((e) => e.type === 'payment_plan.completed'))
})
