import t from 'tap'
import { buildTestApp, createTenant } from '../helper.js'
import { api, count, inDays, seedDebtor, seedInvoice } from './hold-plan-fixtures.js'

t.test('each invalid hold names its field, and nothing is stored', async (t) => {
  const ctx = await buildTestApp(t)
  const { tenantId, key } = await createTenant(ctx)
  const client = api(ctx, key)
  const debtorId = await seedDebtor(ctx, tenantId)
  const otherDebtor = await seedDebtor(ctx, tenantId, 'Someone else')
  const invoiceId = await seedInvoice(ctx, tenantId, debtorId)
  const othersInvoice = await seedInvoice(ctx, tenantId, otherDebtor)
  const eventsBefore = await count(ctx, 'events')

  const promise = { kind: 'promise_to_pay', debtor_id: debtorId, promised_amount: 5000, promised_currency: 'EUR', promised_date: inDays(7) }
  const dispute = { kind: 'dispute', debtor_id: debtorId, invoice_id: invoiceId, reason_code: 'quality' }
  const cases: [string, Record<string, unknown>, number, string, string[]][] = [
    ['no kind', { debtor_id: debtorId }, 400, 'validation_failed', ['body.kind']],
    ['unknown kind', { kind: 'vacation', debtor_id: debtorId }, 400, 'validation_failed', ['body.kind']],
    ['no debtor', { kind: 'manual' }, 400, 'validation_failed', ['body.debtor_id']],
    ['unknown field', { kind: 'manual', debtor_id: debtorId, colour: 'red' }, 400, 'validation_failed', ['body.colour']],
    ['dispute without invoice', { ...dispute, invoice_id: undefined }, 400, 'validation_failed', ['body.invoice_id']],
    ['dispute without reason', { ...dispute, reason_code: undefined }, 400, 'validation_failed', ['body.reason_code']],
    ['reason outside the set', { ...dispute, reason_code: 'dislike' }, 400, 'validation_failed', ['body.reason_code']],
    ['dispute with expiry', { ...dispute, expires_on: inDays(3) }, 400, 'validation_failed', ['body.expires_on']],
    ['dispute with a promise', { ...dispute, promised_amount: 100 }, 400, 'validation_failed', ['body.promised_amount']],
    [
      'promise without its terms',
      { kind: 'promise_to_pay', debtor_id: debtorId },
      400,
      'validation_failed',
      ['body.promised_amount', 'body.promised_currency', 'body.promised_date'],
    ],
    ['promise of nothing', { ...promise, promised_amount: 0 }, 400, 'validation_failed', ['body.promised_amount']],
    ['promise in decimals', { ...promise, promised_amount: 49.99 }, 400, 'validation_failed', ['body.promised_amount']],
    ['lower-case currency', { ...promise, promised_currency: 'eur' }, 400, 'validation_failed', ['body.promised_currency']],
    ['unknown currency', { ...promise, promised_currency: 'ABC' }, 400, 'validation_failed', ['body.promised_currency']],
    ['promise in the past', { ...promise, promised_date: inDays(-1) }, 400, 'validation_failed', ['body.promised_date']],
    ['no such date', { ...promise, promised_date: '2031-02-30' }, 400, 'validation_failed', ['body.promised_date']],
    ['promise with expiry', { ...promise, expires_on: inDays(30) }, 400, 'validation_failed', ['body.expires_on']],
    ['manual with a reason code', { kind: 'manual', debtor_id: debtorId, reason_code: 'other' }, 400, 'validation_failed', ['body.reason_code']],
    ['expiry in the past', { kind: 'legal', debtor_id: debtorId, expires_on: inDays(-3) }, 400, 'validation_failed', ['body.expires_on']],
    ['unknown debtor', { kind: 'manual', debtor_id: 'dbt_unknown' }, 404, 'not_found', ['body.debtor_id']],
    ['unknown invoice', { ...dispute, invoice_id: 'inv_unknown' }, 404, 'not_found', ['body.invoice_id']],
    ["another debtor's invoice", { ...dispute, invoice_id: othersInvoice }, 422, 'unprocessable', ['body.invoice_id']],
    ["not the invoice's currency", { ...promise, invoice_id: invoiceId, promised_currency: 'GBP' }, 422, 'unprocessable', ['body.promised_currency']],
  ]
  for (const [name, body, status, code, paths] of cases) {
    const res = await client.post('/v1/holds', body)
    t.equal(res.statusCode, status, `${name}: ${status}`)
    t.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8')
    t.equal(res.json().code, code, `${name}: ${code}`)
    t.same([...new Set(res.json().errors.map((e: { path: string }) => e.path))].sort(), paths, `${name}: ${paths.join(', ')}`)
  }
  t.equal(await count(ctx, 'holds'), 0, 'no hold stored')
  t.equal(await count(ctx, 'events'), eventsBefore, 'no event written')
  const invoice = await client.get(`/v1/holds?invoice_id=${invoiceId}`)
  t.same(invoice.json().data, [])
})

t.test('external_ref is unique per tenant; release and reads of what does not exist', async (t) => {
  const ctx = await buildTestApp(t)
  const { tenantId, key } = await createTenant(ctx)
  const client = api(ctx, key)
  const debtorId = await seedDebtor(ctx, tenantId)

  const first = await client.post('/v1/holds', { kind: 'manual', debtor_id: debtorId, external_ref: 'h-1' })
  t.equal(first.statusCode, 201)
  const second = await client.post('/v1/holds', { kind: 'legal', debtor_id: debtorId, external_ref: 'h-1' })
  t.equal(second.statusCode, 409)
  t.match(second.json(), { code: 'conflict', errors: [{ path: 'body.external_ref' }] })
  t.equal(await count(ctx, 'holds'), 1)

  const missing = await client.get('/v1/holds/hld_nope')
  t.equal(missing.statusCode, 404)
  t.equal(missing.json().code, 'not_found')
  t.equal((await client.post('/v1/holds/hld_nope/release')).statusCode, 404)

  const badBody = await client.post(`/v1/holds/${first.json().id}/release`, { reason: 'ok', why: 'no' })
  t.equal(badBody.statusCode, 400)
  t.match(badBody.json().errors, [{ path: 'body.why' }])
  t.equal((await client.get(`/v1/holds/${first.json().id}`)).json().status, 'active', 'a rejected release changes nothing')

  const bare = await client.post(`/v1/holds/${first.json().id}/release`)
  t.equal(bare.statusCode, 200, 'the release body is optional')
  t.equal(bare.json().end_reason, 'released')

  const badQuery = await client.get('/v1/holds?status=paused')
  t.equal(badQuery.statusCode, 400)
  t.match(badQuery.json().errors, [{ path: 'querystring.status' }])
})
