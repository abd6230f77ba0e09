import t from 'tap'
import { bearer, buildTestApp, createTenant, systemQuery } from '../helper.js'
import { createDebtor, insertInvoice } from './debtors-fixtures.js'

t.test("another tenant's debtor is a 404 everywhere, exactly like a missing one", async (t) => {
  const ctx = await buildTestApp(t)
  const a = await createTenant(ctx, { name: 'A SAS', mode: 'sandbox' })
  const b = await createTenant(ctx, { name: 'B SAS', mode: 'sandbox' })
  const debtor = await createDebtor(ctx, a.key, { kind: 'business', name: 'Secret Client', country: 'FR', external_ref: 'a-1', segment: 'vip' })
  await insertInvoice(ctx, a.tenantId, debtor.id, { total: 1000, issue: '2026-01-01', due: '2026-01-31' })

  const asB = (method: 'GET' | 'PATCH', url: string, payload?: Record<string, unknown>) =>
    ctx.inject({ method, url, headers: bearer(b.key), ...(payload ? { payload } : {}) })
  const missing = await asB('GET', '/v1/debtors/dbt_01m83wyam72rkkh7t5va87ex39')
  for (const res of [
    await asB('GET', `/v1/debtors/${debtor.id}`),
    await asB('PATCH', `/v1/debtors/${debtor.id}`, { name: 'Hijacked' }),
    await asB('GET', `/v1/debtors/${debtor.id}/statement?as_of=2026-03-01`),
  ]) {
    t.equal(res.statusCode, 404)
    t.equal(res.json().code, 'not_found')
    t.equal(res.json().code, missing.json().code)
    t.notOk(res.headers.etag, 'no ETag leaks either')
  }
  for (const query of ['', '?external_ref=a-1', '?segment=vip', `?starting_after=dbt_zzzzzzzzzzzzzzzzzzzzzzzzzz`]) {
    const list = await asB('GET', `/v1/debtors${query}`)
    t.same(list.json(), { object: 'list', data: [], has_more: false }, `list${query}`)
  }
  const gql = await ctx.inject({
    method: 'POST',
    url: '/graphql',
    headers: bearer(b.key),
    payload: { query: `query($id: ID!) { debtor(id: $id) { id name } debtors { edges { node { id } } } }`, variables: { id: debtor.id } },
  })
  t.equal(gql.json().errors[0].extensions.code, 'not_found')
  const update = await ctx.inject({
    method: 'POST',
    url: '/graphql',
    headers: bearer(b.key),
    payload: { query: `mutation($id: ID!) { updateDebtor(id: $id, input: { name: "Hijacked" }) { id } }`, variables: { id: debtor.id } },
  })
  t.equal(update.json().errors[0].extensions.code, 'not_found')

  const [row] = await systemQuery<{ name: string }>(ctx.database, 'select name from debtors where debtor_id = $1', [debtor.id])
  t.equal(row!.name, 'Secret Client', 'nothing changed')
  const own = await ctx.inject({ method: 'GET', url: `/v1/debtors/${debtor.id}`, headers: bearer(a.key) })
  t.equal(own.statusCode, 200, 'its own tenant still sees it')
})

t.test('row-level security hides other tenants even from a query that forgets to filter', async (t) => {
  const ctx = await buildTestApp(t)
  const a = await createTenant(ctx, { name: 'A SAS', mode: 'sandbox' })
  const b = await createTenant(ctx, { name: 'B SAS', mode: 'sandbox' })
  await createDebtor(ctx, a.key, { kind: 'consumer', name: 'A1', country: 'FR' })
  const { withTenant } = await import('../../src/db/client.js')
  const { debtors } = await import('../../src/modules/debtors/debtors.tables.js')
  const seenByB = await withTenant(ctx.database.db, b.tenantId, (tx) => tx.select().from(debtors))
  t.same(seenByB, [])
  const insertForA = withTenant(ctx.database.db, b.tenantId, (tx) =>
    tx.insert(debtors).values({ tenantId: a.tenantId, debtorId: 'dbt_forged', kind: 'consumer', name: 'x', country: 'FR', language: 'fr', timezone: 'UTC' }),
  )
  await t.rejects(insertForA, 'B cannot write into A')
})

t.test('keys: none, platform without a tenant, platform acting for a tenant', async (t) => {
  const ctx = await buildTestApp(t)
  const a = await createTenant(ctx)
  const debtor = await createDebtor(ctx, a.key)
  const anonymous = await ctx.inject({ method: 'GET', url: `/v1/debtors/${debtor.id}` })
  t.equal(anonymous.statusCode, 401)
  const noTenant = await ctx.inject({ method: 'POST', url: '/v1/debtors', headers: bearer(ctx.platformKey), payload: { kind: 'consumer', name: 'x', country: 'FR' } })
  t.equal(noTenant.statusCode, 400)
  t.match(noTenant.json().errors, [{ path: 'headers.relance-tenant' }])
  const listNoTenant = await ctx.inject({ method: 'GET', url: '/v1/debtors', headers: bearer(ctx.platformKey) })
  t.equal(listNoTenant.statusCode, 400, 'a platform key does not list every tenant’s debtors')
  const acting = await ctx.inject({ method: 'GET', url: `/v1/debtors/${debtor.id}`, headers: { ...bearer(ctx.platformKey), 'relance-tenant': a.tenantId } })
  t.equal(acting.statusCode, 200)
})
