import t from 'tap'
import { buildTestApp, createTenant } from '../helper.js'
import { api, count, inDays, seedDebtor, seedInvoice } from './hold-plan-fixtures.js'

t.test('each invalid payment plan names its field, and nothing is stored', async (t) => {
  const ctx = await buildTestApp(t)
  const { tenantId, key } = await createTenant(ctx)
  const client = api(ctx, key)
  const debtorId = await seedDebtor(ctx, tenantId)
  const otherDebtor = await seedDebtor(ctx, tenantId, 'Someone else')
  const invoice = await seedInvoice(ctx, tenantId, debtorId, { total: 5_000, paid: 1_000 })
  const second = await seedInvoice(ctx, tenantId, debtorId, { total: 2_000 })
  const inFrancs = await seedInvoice(ctx, tenantId, debtorId, { total: 2_000, currency: 'CHF' })
  const paid = await seedInvoice(ctx, tenantId, debtorId, { total: 2_000, paid: 2_000, status: 'paid' })
  const others = await seedInvoice(ctx, tenantId, otherDebtor, { total: 2_000 })
  const eventsBefore = await count(ctx, 'events')

  const valid = { debtor_id: debtorId, invoice_ids: [invoice], instalments: [{ due_date: inDays(5), amount: 4_000 }] }
  const two = (a: string, b: string) => [
    { due_date: a, amount: 2_000 },
    { due_date: b, amount: 2_000 },
  ]
  const cases: [string, Record<string, unknown>, number, string, string[]][] = [
    ['no invoices', { ...valid, invoice_ids: [] }, 400, 'validation_failed', ['body.invoice_ids']],
    ['101 invoices', { ...valid, invoice_ids: Array.from({ length: 101 }, (_, i) => `inv_${i}`) }, 400, 'validation_failed', ['body.invoice_ids']],
    ['an invoice twice', { ...valid, invoice_ids: [invoice, invoice] }, 400, 'validation_failed', ['body.invoice_ids']],
    ['no instalments', { ...valid, instalments: [] }, 400, 'validation_failed', ['body.instalments']],
    [
      '61 instalments',
      { ...valid, instalments: Array.from({ length: 61 }, (_, i) => ({ due_date: inDays(i + 1), amount: 1 })) },
      400,
      'validation_failed',
      ['body.instalments'],
    ],
    ['dates not increasing', { ...valid, instalments: two(inDays(9), inDays(9)) }, 400, 'validation_failed', ['body.instalments.1.due_date']],
    ['dates backwards', { ...valid, instalments: two(inDays(9), inDays(3)) }, 400, 'validation_failed', ['body.instalments.1.due_date']],
    ['first date in the past', { ...valid, instalments: two(inDays(-1), inDays(3)) }, 400, 'validation_failed', ['body.instalments.0.due_date']],
    ['zero instalment', { ...valid, instalments: [{ due_date: inDays(5), amount: 0 }] }, 400, 'validation_failed', ['body.instalments.0.amount']],
    ['decimal amount', { ...valid, instalments: [{ due_date: inDays(5), amount: 40.5 }] }, 400, 'validation_failed', ['body.instalments.0.amount']],
    ['unknown field', { ...valid, interest: 2 }, 400, 'validation_failed', ['body.interest']],
    ['unknown debtor', { ...valid, debtor_id: 'dbt_unknown' }, 404, 'not_found', ['body.debtor_id']],
    ['unknown invoice', { ...valid, invoice_ids: [invoice, 'inv_unknown'] }, 404, 'not_found', ['body.invoice_ids.1']],
    ["another debtor's invoice", { ...valid, invoice_ids: [invoice, others] }, 422, 'unprocessable', ['body.invoice_ids.1']],
    ['two currencies', { ...valid, invoice_ids: [invoice, inFrancs] }, 422, 'unprocessable', ['body.invoice_ids.1']],
    ['nothing due', { ...valid, invoice_ids: [paid] }, 422, 'unprocessable', ['body.invoice_ids.0']],
    ['instalments short of the amount due', { ...valid, instalments: [{ due_date: inDays(5), amount: 3_999 }] }, 422, 'unprocessable', ['body.instalments']],
    ['instalments above the amount due', { ...valid, invoice_ids: [second] }, 422, 'unprocessable', ['body.instalments']],
  ]
  for (const [name, body, status, code, paths] of cases) {
    const res = await client.post('/v1/payment-plans', body)
    t.equal(res.statusCode, status, `${name}: ${status}`)
    t.equal(res.json().code, code, `${name}: ${code}`)
    t.same([...new Set(res.json().errors.map((e: { path: string }) => e.path))].sort(), paths, `${name}: ${paths.join(', ')}`)
  }
  const mismatch = await client.post('/v1/payment-plans', { ...valid, instalments: [{ due_date: inDays(5), amount: 3_999 }] })
  t.match(mismatch.json().detail, /add up to 3999; the invoices have 4000 due/)

  t.equal(await count(ctx, 'payment_plans'), 0, 'no plan stored')
  t.equal(await count(ctx, 'payment_plan_instalments'), 0, 'no instalment stored')
  t.equal(await count(ctx, 'events'), eventsBefore, 'no event written')
  t.equal((await client.post('/v1/payment-plans', valid)).statusCode, 201, 'the valid plan goes through')
})

t.test('external_ref is unique; reads and cancel of what does not exist', async (t) => {
  const ctx = await buildTestApp(t)
  const { tenantId, key } = await createTenant(ctx)
  const client = api(ctx, key)
  const debtorId = await seedDebtor(ctx, tenantId)
  const one = await seedInvoice(ctx, tenantId, debtorId, { total: 1_000 })
  const two = await seedInvoice(ctx, tenantId, debtorId, { total: 1_000 })
  const plan = (invoiceId: string) => ({
    debtor_id: debtorId,
    invoice_ids: [invoiceId],
    instalments: [{ due_date: inDays(5), amount: 1_000 }],
    external_ref: 'agreement-7',
  })
  t.equal((await client.post('/v1/payment-plans', plan(one))).statusCode, 201)
  const duplicate = await client.post('/v1/payment-plans', plan(two))
  t.equal(duplicate.statusCode, 409)
  t.match(duplicate.json(), { code: 'conflict', errors: [{ path: 'body.external_ref' }] })
  t.equal(await count(ctx, 'payment_plans'), 1)

  t.equal((await client.get('/v1/payment-plans/pln_nope')).statusCode, 404)
  t.equal((await client.post('/v1/payment-plans/pln_nope/cancel')).statusCode, 404)
  const badQuery = await client.get('/v1/payment-plans?status=late')
  t.equal(badQuery.statusCode, 400)
  t.match(badQuery.json().errors, [{ path: 'querystring.status' }])
})
