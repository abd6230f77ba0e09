import t from 'tap'
import { bearer, buildTestApp, createTenant } from '../helper.js'

const query = (ctx: Awaited<ReturnType<typeof buildTestApp>>, headers: Record<string, string>, q: string, variables = {}) =>
  ctx.inject({ method: 'POST', url: '/graphql', headers, payload: { query: q, variables } })

t.test('the current tenant and its keys, the same as REST', async (t) => {
  const ctx = await buildTestApp(t)
  const { tenantId, key } = await createTenant(ctx, { name: 'Acme SAS', mode: 'sandbox', metadata: { erp: 'x1' } })
  await ctx.inject({ method: 'POST', url: '/v1/api-keys', headers: bearer(key), payload: { name: 'second' } })

  const res = await query(
    ctx,
    bearer(key),
    `{ tenant { id name mode metadata apiKeys(first: 1) { edges { cursor node { id name prefix mode } } pageInfo { hasNextPage endCursor } } } }`,
  )
  t.equal(res.statusCode, 200)
  const body = res.json()
  t.notOk(body.errors)
  t.match(body.data.tenant, { id: tenantId, name: 'Acme SAS', mode: 'sandbox', metadata: { erp: 'x1' } })
  const connection = body.data.tenant.apiKeys
  t.equal(connection.edges.length, 1)
  t.equal(connection.pageInfo.hasNextPage, true)

  const rest = await ctx.inject({ method: 'GET', url: '/v1/api-keys?limit=1', headers: bearer(key) })
  t.equal(connection.edges[0].node.id, rest.json().data[0].id, 'REST and GraphQL list the same key first')

  const next = await query(
    ctx,
    bearer(key),
    `query($after: String) { tenant { apiKeys(first: 5, after: $after) { edges { node { name } } pageInfo { hasNextPage } } } }`,
    { after: connection.pageInfo.endCursor },
  )
  t.same(next.json().data.tenant.apiKeys, { edges: [{ node: { name: 'test' } }], pageInfo: { hasNextPage: false } })
})

t.test('errors carry the same codes as REST', async (t) => {
  const ctx = await buildTestApp(t)
  const { tenantId } = await createTenant(ctx)

  const anonymous = await query(ctx, {}, '{ tenant { id } }')
  t.equal(anonymous.json().errors[0].extensions.code, 'unauthenticated')

  const noTenant = await query(ctx, bearer(ctx.platformKey), '{ tenant { id } }')
  t.match(noTenant.json().errors[0].extensions, { code: 'validation_failed', errors: [{ path: 'headers.relance-tenant' }] })

  const acting = await query(ctx, { ...bearer(ctx.platformKey), 'relance-tenant': tenantId }, '{ tenant { id } }')
  t.same(acting.json().data, { tenant: { id: tenantId } })

  const invalid = await query(ctx, bearer(ctx.platformKey), '{ tenant { nope } }')
  t.equal(invalid.json().errors[0].extensions.code, 'validation_failed')

  const deep = await query(
    ctx,
    { ...bearer(ctx.platformKey), 'relance-tenant': tenantId },
    '{ tenant { apiKeys { edges { node { id } } } } __schema { types { fields { type { ofType { ofType { ofType { ofType { name } } } } } } } } }',
  )
  t.ok(deep.json().errors?.length, 'queries deeper than the limit are refused')
})

t.test('costly queries are refused before they run', async (t) => {
  const ctx = await buildTestApp(t)
  const { key } = await createTenant(ctx)
  const ok = await query(ctx, bearer(key), '{ tenant { apiKeys(first: 100) { edges { node { id name prefix } } } } }')
  t.notOk(ok.json().errors, 'a full page is fine')
  const costly = await query(
    ctx,
    bearer(key),
    '{ debtors(first: 100) { edges { node { id invoices(first: 100) { edges { node { id number } } } } } } }',
  )
  t.match(costly.json().errors[0], { message: /Query too costly/, extensions: { code: 'validation_failed' } })
  t.equal(costly.json().data, null)
})
