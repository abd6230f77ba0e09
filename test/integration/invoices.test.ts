import t from 'tap'
import { eventsOf, getInvoice, insertDebtor, postInvoice } from '../factories.js'
import { bearer, buildTestApp, createTenant } from '../helper.js'

t.test('create, read, filter and update invoices', async (t) => {
  const ctx = await buildTestApp(t)
  const { tenantId, key } = await createTenant(ctx)
  const debtorId = await insertDebtor(ctx, tenantId, { externalRef: 'cust-1' })

  const created = await ctx.inject({
    method: 'POST',
    url: '/v1/invoices',
    headers: bearer(key),
    payload: {
      debtor_external_ref: 'cust-1',
      number: 'FA-2026-001',
      currency: 'EUR',
      amount_total: 120_000,
      amount_tax: 20_000,
      issue_date: '2026-01-05',
      due_date: '2026-02-04',
      payment_link: 'https://pay.example.com/FA-2026-001',
      external_ref: 'erp-1',
      metadata: { project: 'alpha' },
    },
  })
  t.equal(created.statusCode, 201)
  const invoice = created.json()
  t.match(invoice, {
    object: 'invoice',
    debtor_id: debtorId,
    amount_net: 100_000,
    amount_due: 120_000,
    status: 'open',
    issue_date: '2026-01-05',
    due_date: '2026-02-04',
    warnings: [],
  })
  t.match(invoice.id, /^inv_/)
  t.same((await eventsOf(ctx, tenantId)).map((e) => e.type), ['invoice.created'])

  await postInvoice(ctx, key, { debtor_id: debtorId, number: 'FA-2', amount_total: 5_000, currency: 'GBP', due_date: '2099-01-01' })
  const gbp = await ctx.inject({ method: 'GET', url: '/v1/invoices?currency=GBP', headers: bearer(key) })
  t.same(gbp.json().data.map((x: { number: string }) => x.number), ['FA-2'])
  const overdue = await ctx.inject({ method: 'GET', url: '/v1/invoices?overdue=true', headers: bearer(key) })
  t.same(overdue.json().data.map((x: { number: string }) => x.number), ['FA-2026-001'])
  const byStatus = await ctx.inject({ method: 'GET', url: '/v1/invoices?status=paid,cancelled', headers: bearer(key) })
  t.same(byStatus.json().data, [])
  const dueBefore = await ctx.inject({ method: 'GET', url: `/v1/invoices?due_before=2026-03-01&debtor_id=${debtorId}`, headers: bearer(key) })
  t.equal(dueBefore.json().data.length, 1)

  const read = await ctx.inject({ method: 'GET', url: `/v1/invoices/${invoice.id}`, headers: bearer(key) })
  const patched = await ctx.inject({
    method: 'PATCH',
    url: `/v1/invoices/${invoice.id}`,
    headers: { ...bearer(key), 'if-match': read.headers.etag as string },
    payload: { amount_total: 150_000, amount_tax: 25_000 },
  })
  t.equal(patched.statusCode, 200)
  t.match(patched.json(), { amount_total: 150_000, amount_net: 125_000, amount_due: 150_000 })
  const stale = await ctx.inject({
    method: 'PATCH',
    url: `/v1/invoices/${invoice.id}`,
    headers: { ...bearer(key), 'if-match': read.headers.etag as string },
    payload: { number: 'X' },
  })
  t.equal(stale.statusCode, 412)
})

t.test('payment terms beyond the legal limits are warnings, not rejections', async (t) => {
  const ctx = await buildTestApp(t)
  const { tenantId, key } = await createTenant(ctx)
  const business = await insertDebtor(ctx, tenantId, { kind: 'business' })
  const consumer = await insertDebtor(ctx, tenantId, { kind: 'consumer' })
  const publicBody = await insertDebtor(ctx, tenantId, { kind: 'public_body' })
  const long = { issue_date: '2026-01-10', due_date: '2026-04-30', amount_total: 1_000 }
  const b2b = await postInvoice(ctx, key, { debtor_id: business, number: 'L1', ...long })
  t.match(b2b, { status: 'open', warnings: [{ code: 'payment_terms_exceed_limit' }], prescription_date: '2031-04-30' })
  const b2c = await postInvoice(ctx, key, { debtor_id: consumer, number: 'L2', ...long })
  t.same((b2c as unknown as { warnings: unknown[] }).warnings, [], 'no B2B limit for consumers')
  t.equal((b2c as unknown as { prescription_date: string }).prescription_date, '2028-04-30', 'two years against a consumer')
  const eom = await postInvoice(ctx, key, { debtor_id: business, number: 'L3', amount_total: 1_000, issue_date: '2026-01-10', due_date: '2026-03-17' })
  t.same((eom as unknown as { warnings: unknown[] }).warnings, [], '45 days end of month is allowed')
  const pub = await postInvoice(ctx, key, { debtor_id: publicBody, number: 'L4', amount_total: 1_000, issue_date: '2026-01-10', due_date: '2026-02-20' })
  t.match(pub, { warnings: [{ message: /30 days/ }] })
})

t.test('cancel and write off; the status is never set by hand', async (t) => {
  const ctx = await buildTestApp(t)
  const { tenantId, key } = await createTenant(ctx)
  const debtorId = await insertDebtor(ctx, tenantId)
  const a = await postInvoice(ctx, key, { debtor_id: debtorId, number: 'A', amount_total: 1_000 })
  const b = await postInvoice(ctx, key, { debtor_id: debtorId, number: 'B', amount_total: 1_000 })
  const cancel = await ctx.inject({ method: 'POST', url: `/v1/invoices/${a.id}/cancel`, headers: bearer(key), payload: {} })
  t.match(cancel.json(), { status: 'cancelled' })
  t.equal((await ctx.inject({ method: 'POST', url: `/v1/invoices/${a.id}/cancel`, headers: bearer(key), payload: {} })).statusCode, 422)
  const writeOff = await ctx.inject({ method: 'POST', url: `/v1/invoices/${b.id}/write-off`, headers: bearer(key), payload: {} })
  t.match(writeOff.json(), { status: 'written_off' })
  const setStatus = await ctx.inject({ method: 'PATCH', url: `/v1/invoices/${b.id}`, headers: bearer(key), payload: { status: 'paid' } })
  t.equal(setStatus.statusCode, 400)
  t.equal(setStatus.json().errors[0].path, 'body.status')
  const types = (await eventsOf(ctx, tenantId)).map((e) => e.type)
  t.ok(types.includes('invoice.cancelled') && types.includes('invoice.written_off'))

  await ctx.inject({ method: 'POST', url: '/v1/payments', headers: bearer(key), payload: { debtor_id: debtorId, amount: 100, currency: 'EUR', received_on: '2026-01-02' } })
  const c = await postInvoice(ctx, key, { debtor_id: debtorId, number: 'C', amount_total: 1_000 })
  await ctx.inject({ method: 'POST', url: '/v1/payments', headers: bearer(key), payload: { debtor_id: debtorId, amount: 100, currency: 'EUR', received_on: '2026-01-02' } })
  const paidPart = await ctx.inject({ method: 'POST', url: `/v1/invoices/${c.id}/cancel`, headers: bearer(key), payload: {} })
  t.equal(paidPart.statusCode, 422, 'a partly paid invoice needs a credit note, not a cancellation')
  const lower = await ctx.inject({ method: 'PATCH', url: `/v1/invoices/${c.id}`, headers: bearer(key), payload: { amount_total: 50 } })
  t.equal(lower.statusCode, 422)
  t.equal(lower.json().errors[0].path, 'body.amount_total')
})

t.test('the invoice PDF is stored with its sha256', async (t) => {
  const ctx = await buildTestApp(t)
  const { tenantId, key } = await createTenant(ctx)
  const debtorId = await insertDebtor(ctx, tenantId)
  const invoice = await postInvoice(ctx, key, { debtor_id: debtorId, number: 'P', amount_total: 1_000 })
  const pdf = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n')
  const upload = await ctx.inject({
    method: 'PUT',
    url: `/v1/invoices/${invoice.id}/document?filename=P.pdf`,
    headers: { ...bearer(key), 'content-type': 'application/pdf' },
    payload: pdf,
  })
  t.equal(upload.statusCode, 200)
  const { createHash } = await import('node:crypto')
  const sha = createHash('sha256').update(pdf).digest('hex')
  t.match(upload.json().document, { sha256: sha, filename: 'P.pdf', size: pdf.length })
  const download = await ctx.inject({ method: 'GET', url: `/v1/invoices/${invoice.id}/document`, headers: bearer(key) })
  t.equal(download.headers['content-type'], 'application/pdf')
  t.same(download.rawPayload, pdf)
  const notPdf = await ctx.inject({
    method: 'PUT',
    url: `/v1/invoices/${invoice.id}/document`,
    headers: { ...bearer(key), 'content-type': 'application/pdf' },
    payload: Buffer.from('hello'),
  })
  t.equal(notPdf.statusCode, 400)
  t.match((await getInvoice(ctx, key, invoice.id)).document, { sha256: sha }, 'the stored PDF was kept')
})
