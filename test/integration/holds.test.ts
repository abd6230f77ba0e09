import t from 'tap'
import { expireHolds } from '../../src/modules/holds/holds-expiry.js'
import { buildTestApp, createTenant } from '../helper.js'
import { api, eventsFor, inDays, invoiceStatus, seedDebtor, seedInvoice, seedPayment, today } from './hold-plan-fixtures.js'

t.test('a dispute marks its invoice disputed until released, and the history stays', async (t) => {
  const ctx = await buildTestApp(t)
  const { tenantId, key } = await createTenant(ctx)
  const client = api(ctx, key)
  const debtorId = await seedDebtor(ctx, tenantId)
  const invoiceId = await seedInvoice(ctx, tenantId, debtorId)

  const created = await client.post('/v1/holds', {
    kind: 'dispute',
    debtor_id: debtorId,
    invoice_id: invoiceId,
    reason_code: 'goods_not_received',
    note: 'Pallet never arrived',
    external_ref: 'crm-dispute-1',
    metadata: { ticket: 'T-42' },
  })
  t.equal(created.statusCode, 201)
  const hold = created.json()
  t.match(hold, {
    object: 'hold',
    id: /^hld_[0-9a-z]{26}$/,
    kind: 'dispute',
    status: 'active',
    active: true,
    debtor_id: debtorId,
    invoice_id: invoiceId,
    reason_code: 'goods_not_received',
    note: 'Pallet never arrived',
    promised_amount: null,
    expires_on: null,
    ended_at: null,
    end_reason: null,
    external_ref: 'crm-dispute-1',
    metadata: { ticket: 'T-42' },
  })
  t.equal(await invoiceStatus(ctx, invoiceId), 'disputed', 'the invoice is disputed in the same transaction')
  t.same((await eventsFor(ctx, invoiceId)).map((e) => e.type), ['invoice.disputed'])

  const read = await client.get(`/v1/holds/${hold.id}`)
  t.equal(read.statusCode, 200)
  t.same(read.json(), hold)
  t.match(read.headers.etag, /^"[0-9a-f]{32}"$/)

  const released = await client.post(`/v1/holds/${hold.id}/release`, { reason: 'Delivery proof sent, customer agrees' })
  t.equal(released.statusCode, 200)
  t.match(released.json(), { status: 'released', active: false, end_reason: 'Delivery proof sent, customer agrees' })
  t.ok(Date.parse(released.json().ended_at) >= Date.parse(hold.created_at))
  t.equal(await invoiceStatus(ctx, invoiceId), 'open', 'back to open once the dispute is released')
  t.same((await eventsFor(ctx, invoiceId)).map((e) => e.type), ['invoice.disputed', 'invoice.reopened'])

  const events = await eventsFor(ctx, hold.id)
  t.same(events.map((e) => e.type), ['hold.created', 'hold.released'])
  t.match(events[1]!.data.object, { id: hold.id, status: 'released', end_reason: 'Delivery proof sent, customer agrees' })
  t.equal(events[1]!.tenant_id, tenantId)

  const again = await client.post(`/v1/holds/${hold.id}/release`)
  t.equal(again.statusCode, 422, 'an ended hold cannot be released again')
  t.equal(again.json().code, 'unprocessable')

  const history = await client.get(`/v1/holds?invoice_id=${invoiceId}`)
  t.same(history.json().data.map((h: { id: string; status: string }) => [h.id, h.status]), [[hold.id, 'released']], 'never deleted')
})

t.test('promise to pay, manual and legal holds; listing with filters', async (t) => {
  const ctx = await buildTestApp(t)
  const { tenantId, key } = await createTenant(ctx)
  const client = api(ctx, key)
  const debtorId = await seedDebtor(ctx, tenantId)
  const invoiceId = await seedInvoice(ctx, tenantId, debtorId)

  const promise = await client.post('/v1/holds', {
    kind: 'promise_to_pay',
    debtor_id: debtorId,
    promised_amount: 5000,
    promised_currency: 'EUR',
    promised_date: inDays(10),
  })
  t.equal(promise.statusCode, 201)
  t.match(promise.json(), { kind: 'promise_to_pay', invoice_id: null, promised_amount: 5000, promised_currency: 'EUR', promised_date: inDays(10) })

  const manual = await client.post('/v1/holds', { kind: 'manual', debtor_id: debtorId, invoice_id: invoiceId, expires_on: inDays(3) })
  t.equal(manual.statusCode, 201)
  t.match(manual.json(), { kind: 'manual', invoice_id: invoiceId, expires_on: inDays(3), reason_code: null })
  t.equal(await invoiceStatus(ctx, invoiceId), 'open', 'only disputes change the invoice status')

  const legal = await client.post('/v1/holds', { kind: 'legal', debtor_id: debtorId, note: 'Redressement judiciaire, TC Lyon' })
  t.equal(legal.statusCode, 201)
  t.match(legal.json(), { kind: 'legal', expires_on: null, note: 'Redressement judiciaire, TC Lyon' })

  const all = await client.get('/v1/holds')
  t.same(
    all.json().data.map((h: { id: string }) => h.id),
    [legal.json().id, manual.json().id, promise.json().id],
    'newest first',
  )
  const byKind = await client.get('/v1/holds?kind=manual')
  t.same(byKind.json().data.map((h: { id: string }) => h.id), [manual.json().id])
  const byDebtor = await client.get(`/v1/holds?debtor_id=${debtorId}&status=active&limit=2`)
  t.equal(byDebtor.json().data.length, 2)
  t.equal(byDebtor.json().has_more, true)
  const next = await client.get(`/v1/holds?debtor_id=${debtorId}&limit=2&starting_after=${byDebtor.json().data[1].id}`)
  t.same(next.json().data.map((h: { id: string }) => h.id), [promise.json().id])
  t.same((await client.get('/v1/holds?status=released')).json().data, [])
})

t.test('expireHolds: promises kept or broken, manual holds expired, each with hold.expired', async (t) => {
  const ctx = await buildTestApp(t)
  const { tenantId, key } = await createTenant(ctx)
  const client = api(ctx, key)
  const keeper = await seedDebtor(ctx, tenantId, 'Keeps promises')
  const breaker = await seedDebtor(ctx, tenantId, 'Breaks promises')
  const promise = (debtorId: string) =>
    client.post('/v1/holds', { kind: 'promise_to_pay', debtor_id: debtorId, promised_amount: 5000, promised_currency: 'EUR', promised_date: inDays(10) })
  const kept = (await promise(keeper)).json()
  const broken = (await promise(breaker)).json()
  const manual = (await client.post('/v1/holds', { kind: 'manual', debtor_id: breaker, expires_on: inDays(5) })).json()
  const lasting = (await client.post('/v1/holds', { kind: 'legal', debtor_id: breaker })).json()

  await seedPayment(ctx, tenantId, keeper, { amount: 3000, receivedOn: today })
  await seedPayment(ctx, tenantId, keeper, { amount: 2000, receivedOn: inDays(10) })
  // What does not count: reversed, another currency, after the promised date, before the promise.
  await seedPayment(ctx, tenantId, breaker, { amount: 1200, receivedOn: inDays(2) })
  await seedPayment(ctx, tenantId, breaker, { amount: 9000, receivedOn: inDays(2), reversed: true })
  await seedPayment(ctx, tenantId, breaker, { amount: 9000, receivedOn: inDays(2), currency: 'CHF' })
  await seedPayment(ctx, tenantId, breaker, { amount: 9000, receivedOn: inDays(11) })
  await seedPayment(ctx, tenantId, breaker, { amount: 9000, receivedOn: inDays(-1) })

  t.equal(await expireHolds(ctx.database.db, inDays(5)), 0, 'expires_on is the last day of the hold')
  t.equal(await expireHolds(ctx.database.db, inDays(6)), 1, 'the manual hold ends the day after expires_on')
  t.match((await client.get(`/v1/holds/${manual.id}`)).json(), { status: 'expired', active: false, end_reason: 'expired' })
  t.equal(await expireHolds(ctx.database.db, inDays(10)), 0, 'a promise holds through its promised date')
  t.equal(await expireHolds(ctx.database.db, inDays(11)), 2)
  t.equal(await expireHolds(ctx.database.db, inDays(12)), 0, 'ended holds are not ended twice')

  t.match((await client.get(`/v1/holds/${kept.id}`)).json(), {
    status: 'kept',
    active: false,
    end_reason: `promise_kept: paid 5000 of 5000 by ${inDays(10)}`,
  })
  const brokenNow = (await client.get(`/v1/holds/${broken.id}`)).json()
  t.match(brokenNow, { status: 'broken', active: false, end_reason: `promise_broken: paid 1200 of 5000 by ${inDays(10)}` })
  t.ok(brokenNow.ended_at)
  t.equal((await client.get(`/v1/holds/${lasting.id}`)).json().status, 'active', 'a legal hold without expiry lasts')

  for (const [hold, status] of [[kept, 'kept'], [broken, 'broken'], [manual, 'expired']] as const) {
    const events = await eventsFor(ctx, hold.id)
    t.same(events.map((e) => e.type), ['hold.created', 'hold.expired'], `${status}: created then expired`)
    t.match(events[1]!.data.object, { id: hold.id, status, active: false }, 'the event carries the hold as it ended')
  }
  t.same((await client.get('/v1/holds?status=broken')).json().data.map((h: { id: string }) => h.id), [broken.id])
})

t.test('GraphQL: create, read, list and release holds through the same service', async (t) => {
  const ctx = await buildTestApp(t)
  const { tenantId, key } = await createTenant(ctx)
  const client = api(ctx, key)
  const debtorId = await seedDebtor(ctx, tenantId)
  const invoiceId = await seedInvoice(ctx, tenantId, debtorId)

  const created = await client.graphql(
    `mutation($input: CreateHoldInput!) { createHold(input: $input) { id kind status active invoiceId reasonCode metadata } }`,
    { input: { kind: 'dispute', debtorId, invoiceId, reasonCode: 'duplicate', metadata: { crmId: 'x' } } },
  )
  t.notOk(created.json().errors)
  const hold = created.json().data.createHold
  t.match(hold, { kind: 'dispute', status: 'active', active: true, invoiceId, reasonCode: 'duplicate', metadata: { crmId: 'x' } })
  t.equal(await invoiceStatus(ctx, invoiceId), 'disputed')

  const rest = await client.get(`/v1/holds/${hold.id}`)
  t.equal(rest.json().kind, 'dispute', 'REST sees what GraphQL created')

  const list = await client.graphql(`{ holds(first: 5, status: active) { edges { cursor node { id } } pageInfo { hasNextPage } } }`)
  t.same(list.json().data.holds, { edges: [{ cursor: hold.id, node: { id: hold.id } }], pageInfo: { hasNextPage: false } })

  const released = await client.graphql(`mutation($id: ID!) { releaseHold(id: $id, reason: "settled") { status endReason endedAt } }`, {
    id: hold.id,
  })
  t.match(released.json().data.releaseHold, { status: 'released', endReason: 'settled', endedAt: /Z$/ })
  t.equal(await invoiceStatus(ctx, invoiceId), 'open')

  const read = await client.graphql(`query($id: ID!) { hold(id: $id) { status } }`, { id: hold.id })
  t.same(read.json().data, { hold: { status: 'released' } })

  const invalid = await client.graphql(`mutation($input: CreateHoldInput!) { createHold(input: $input) { id } }`, {
    input: { kind: 'promise_to_pay', debtorId, promisedAmount: 10.5, promisedCurrency: 'EUR', promisedDate: inDays(1) },
  })
  t.match(invalid.json().errors[0].extensions, { code: 'validation_failed', errors: [{ path: 'input.promisedAmount' }] })

  const foreign = await client.graphql(`mutation($input: CreateHoldInput!) { createHold(input: $input) { id } }`, {
    input: { kind: 'manual', debtorId: 'dbt_nope' },
  })
  t.match(foreign.json().errors[0].extensions, { code: 'not_found', errors: [{ path: 'input.debtorId' }] })
})
