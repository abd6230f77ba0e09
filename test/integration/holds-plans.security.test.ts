import t from 'tap'
import { expireHolds } from '../../src/modules/holds/holds-expiry.js'
import { checkPaymentPlans } from '../../src/modules/payment-plans/plan-progress.service.js'
import { bearer, buildTestApp, createTenant, type TestApp } from '../helper.js'
import { api, count, eventsFor, inDays, invoiceStatus, seedDebtor, seedInvoice } from './hold-plan-fixtures.js'

async function tenantWithData(ctx: TestApp, name: string) {
  const { tenantId, key } = await createTenant(ctx, { name, mode: 'sandbox' })
  const client = api(ctx, key)
  const debtorId = await seedDebtor(ctx, tenantId)
  const invoiceId = await seedInvoice(ctx, tenantId, debtorId, { total: 2_000 })
  const spare = await seedInvoice(ctx, tenantId, debtorId, { total: 2_000 })
  const hold = (
    await client.post('/v1/holds', { kind: 'dispute', debtor_id: debtorId, invoice_id: invoiceId, reason_code: 'duplicate' })
  ).json()
  const plan = (
    await client.post('/v1/payment-plans', {
      debtor_id: debtorId,
      invoice_ids: [spare],
      instalments: [{ due_date: inDays(3), amount: 2_000 }],
    })
  ).json()
  return { tenantId, key, client, debtorId, invoiceId, spare, hold, plan }
}

t.test("another tenant's holds, plans, debtors and invoices are 404, in paths and in bodies", async (t) => {
  const ctx = await buildTestApp(t)
  const a = await tenantWithData(ctx, 'A')
  const b = await tenantWithData(ctx, 'B')
  const holdsBefore = await count(ctx, 'holds')
  const plansBefore = await count(ctx, 'payment_plans')

  const notFound = async (name: string, res: Awaited<ReturnType<typeof b.client.get>>, path?: string) => {
    t.equal(res.statusCode, 404, `${name}: 404`)
    t.equal(res.json().code, 'not_found', name)
    if (path) t.same(res.json().errors.map((e: { path: string }) => e.path), [path], `${name}: names ${path}`)
  }
  await notFound("B reads A's hold", await b.client.get(`/v1/holds/${a.hold.id}`))
  await notFound("B releases A's hold", await b.client.post(`/v1/holds/${a.hold.id}/release`))
  await notFound("B reads A's plan", await b.client.get(`/v1/payment-plans/${a.plan.id}`))
  await notFound("B cancels A's plan", await b.client.post(`/v1/payment-plans/${a.plan.id}/cancel`))
  await notFound(
    "B holds A's debtor",
    await b.client.post('/v1/holds', { kind: 'legal', debtor_id: a.debtorId }),
    'body.debtor_id',
  )
  await notFound(
    "B disputes A's invoice",
    await b.client.post('/v1/holds', { kind: 'dispute', debtor_id: b.debtorId, invoice_id: a.invoiceId, reason_code: 'other' }),
    'body.invoice_id',
  )
  await notFound(
    "B plans A's debtor",
    await b.client.post('/v1/payment-plans', { debtor_id: a.debtorId, invoice_ids: [a.spare], instalments: [{ due_date: inDays(3), amount: 2_000 }] }),
    'body.debtor_id',
  )
  await notFound(
    "B plans A's invoice",
    await b.client.post('/v1/payment-plans', { debtor_id: b.debtorId, invoice_ids: [a.invoiceId], instalments: [{ due_date: inDays(3), amount: 2_000 }] }),
    'body.invoice_ids.0',
  )

  t.same((await b.client.get('/v1/holds')).json().data.map((h: { id: string }) => h.id), [b.hold.id], 'B lists its own holds only')
  t.same((await b.client.get(`/v1/holds?debtor_id=${a.debtorId}`)).json().data, [], "filtering on A's debtor finds nothing")
  t.same((await b.client.get('/v1/payment-plans')).json().data.map((p: { id: string }) => p.id), [b.plan.id])

  const graphql = await b.client.graphql(`query($id: ID!) { hold(id: $id) { id } }`, { id: a.hold.id })
  t.equal(graphql.json().errors[0].extensions.code, 'not_found')
  const release = await b.client.graphql(`mutation($id: ID!) { releaseHold(id: $id) { id } }`, { id: a.hold.id })
  t.equal(release.json().errors[0].extensions.code, 'not_found')
  const cancel = await b.client.graphql(`mutation($id: ID!) { cancelPaymentPlan(id: $id) { id } }`, { id: a.plan.id })
  t.equal(cancel.json().errors[0].extensions.code, 'not_found')

  t.equal(await count(ctx, 'holds'), holdsBefore, 'nothing created')
  t.equal(await count(ctx, 'payment_plans'), plansBefore)
  t.match((await a.client.get(`/v1/holds/${a.hold.id}`)).json(), { status: 'active' }, "A's hold untouched")
  t.match((await a.client.get(`/v1/payment-plans/${a.plan.id}`)).json(), { status: 'active' }, "A's plan untouched")
  t.equal(await invoiceStatus(ctx, a.invoiceId), 'disputed')
})

t.test('keys: none is 401, a platform key must name its tenant, and may act for one', async (t) => {
  const ctx = await buildTestApp(t)
  const a = await tenantWithData(ctx, 'A')
  t.equal((await ctx.inject({ method: 'GET', url: '/v1/holds' })).statusCode, 401)
  t.equal((await ctx.inject({ method: 'POST', url: '/v1/payment-plans', payload: {} })).statusCode, 401)
  const anonymous = await ctx.inject({ method: 'POST', url: '/graphql', payload: { query: '{ holds { edges { cursor } } }' } })
  t.equal(anonymous.json().errors[0].extensions.code, 'unauthenticated')

  const platform = await ctx.inject({ method: 'GET', url: '/v1/holds', headers: bearer(ctx.platformKey) })
  t.equal(platform.statusCode, 400)
  t.match(platform.json().errors, [{ path: 'headers.relance-tenant' }])
  const acting = await ctx.inject({
    method: 'GET',
    url: `/v1/payment-plans/${a.plan.id}`,
    headers: { ...bearer(ctx.platformKey), 'relance-tenant': a.tenantId },
  })
  t.equal(acting.statusCode, 200)
})

t.test('the cross-tenant jobs write each event to its own tenant', async (t) => {
  const ctx = await buildTestApp(t)
  const a = await tenantWithData(ctx, 'A')
  const b = await tenantWithData(ctx, 'B')
  const aHold = (await a.client.post('/v1/holds', { kind: 'manual', debtor_id: a.debtorId, expires_on: inDays(1) })).json()
  const bHold = (await b.client.post('/v1/holds', { kind: 'manual', debtor_id: b.debtorId, expires_on: inDays(1) })).json()

  t.equal(await expireHolds(ctx.database.db, inDays(2)), 2)
  t.same((await eventsFor(ctx, aHold.id)).map((e) => [e.tenant_id, e.type]), [[a.tenantId, 'hold.created'], [a.tenantId, 'hold.expired']])
  t.same((await eventsFor(ctx, bHold.id)).map((e) => [e.tenant_id, e.type]), [[b.tenantId, 'hold.created'], [b.tenantId, 'hold.expired']])

  t.same(await checkPaymentPlans(ctx.database.db, inDays(4)), { completed: 0, breached: 2 })
  for (const tenant of [a, b]) {
    const events = await eventsFor(ctx, tenant.plan.id)
    t.same(events.map((e) => [e.tenant_id, e.type]), [[tenant.tenantId, 'payment_plan.created'], [tenant.tenantId, 'payment_plan.breached']])
  }
  t.equal((await a.client.get(`/v1/holds/${bHold.id}`)).statusCode, 404, 'and reads stay scoped afterwards')
})
