import t from 'tap'
import { bearer, buildTestApp, createTenant, systemQuery } from '../helper.js'

t.test('a replay returns the stored response and creates nothing new', async (t) => {
  const ctx = await buildTestApp(t)
  const { key } = await createTenant(ctx)
  const headers = { ...bearer(key), 'idempotency-key': 'create-erp-key' }
  const first = await ctx.inject({ method: 'POST', url: '/v1/api-keys', headers, payload: { name: 'erp' } })
  t.equal(first.statusCode, 201)
  const replay = await ctx.inject({ method: 'POST', url: '/v1/api-keys', headers, payload: { name: 'erp' } })
  t.equal(replay.statusCode, 201)
  t.equal(replay.headers['idempotent-replayed'], 'true')
  t.same(replay.json(), first.json(), 'the same body, secret included')
  const list = await ctx.inject({ method: 'GET', url: '/v1/api-keys', headers: bearer(key) })
  t.equal(list.json().data.length, 2, 'the tenant has its first key and one created key, not two')
})

t.test('the same key with another body is a 422; keys are scoped per tenant', async (t) => {
  const ctx = await buildTestApp(t)
  const a = await createTenant(ctx, { name: 'A' })
  const b = await createTenant(ctx, { name: 'B' })
  const send = (key: string, name: string) =>
    ctx.inject({ method: 'POST', url: '/v1/api-keys', headers: { ...bearer(key), 'idempotency-key': 'k1' }, payload: { name } })
  t.equal((await send(a.key, 'one')).statusCode, 201)
  const reused = await send(a.key, 'two')
  t.equal(reused.statusCode, 422)
  t.match(reused.json(), { code: 'idempotency_key_reused', errors: [{ path: 'headers.idempotency-key' }] })
  t.equal((await send(b.key, 'two')).statusCode, 201, 'tenant B may use the same key value')
})

t.test('a key still in flight is a 409', async (t) => {
  const ctx = await buildTestApp(t)
  const { tenantId, key } = await createTenant(ctx)
  // A request that claimed the key and has not finished: exactly what the claim row looks like meanwhile.
  await systemQuery(
    ctx.database,
    `insert into idempotency_keys (tenant_id, key, fingerprint, locked_at, expires_at)
     values ($1, 'busy', 'x', now(), now() + interval '1 day')`,
    [tenantId],
  )
  const res = await ctx.inject({ method: 'POST', url: '/v1/api-keys', headers: { ...bearer(key), 'idempotency-key': 'busy' }, payload: { name: 'x' } })
  t.equal(res.statusCode, 409)
  t.equal(res.json().code, 'idempotency_key_in_use')
})

t.test('concurrent requests with one key: one change, the others wait their turn or replay', async (t) => {
  const ctx = await buildTestApp(t)
  const { key } = await createTenant(ctx)
  const headers = { ...bearer(key), 'idempotency-key': 'race' }
  const results = await Promise.all(
    Array.from({ length: 8 }, () => ctx.inject({ method: 'POST', url: '/v1/api-keys', headers, payload: { name: 'race' } })),
  )
  const codes = results.map((r) => r.statusCode)
  t.ok(codes.every((c) => c === 201 || c === 409), `only 201 or 409: ${codes.join(',')}`)
  const list = await ctx.inject({ method: 'GET', url: '/v1/api-keys', headers: bearer(key) })
  t.equal(list.json().data.filter((k: { name: string }) => k.name === 'race').length, 1, 'exactly one key created')
})

t.test('a failed request releases its key; an over-long key is refused', async (t) => {
  const ctx = await buildTestApp(t)
  const { key } = await createTenant(ctx)
  await ctx.inject({ method: 'POST', url: '/v1/api-keys', headers: bearer(key), payload: { name: 'x', external_ref: 'dup' } })
  const headers = { ...bearer(key), 'idempotency-key': 'retry-me' }
  const failed = await ctx.inject({ method: 'POST', url: '/v1/api-keys', headers, payload: { name: 'y', external_ref: 'dup' } })
  t.equal(failed.statusCode, 409)
  // The key is released in onResponse, which may run just after inject() resolves: look until it is.
  let stored = 1
  for (let i = 0; i < 50 && stored > 0; i++) {
    if (i) await new Promise((resolve) => setTimeout(resolve, 20))
    const rows = await systemQuery<{ n: number }>(ctx.database, `select count(*)::int as n from idempotency_keys where key = 'retry-me'`)
    stored = rows[0]!.n
  }
  t.equal(stored, 0, 'no stored answer for a failed change')

  const tooLong = await ctx.inject({ method: 'POST', url: '/v1/api-keys', headers: { ...bearer(key), 'idempotency-key': 'k'.repeat(256) }, payload: { name: 'z' } })
  t.equal(tooLong.statusCode, 400)
  t.equal(tooLong.json().errors[0].path, 'headers.idempotency-key')
})

t.test('platform-level POSTs are idempotent too', async (t) => {
  const ctx = await buildTestApp(t)
  const headers = { ...bearer(ctx.platformKey), 'idempotency-key': 'tenant-1' }
  const first = await ctx.inject({ method: 'POST', url: '/v1/tenants', headers, payload: { name: 'Once' } })
  const second = await ctx.inject({ method: 'POST', url: '/v1/tenants', headers, payload: { name: 'Once' } })
  t.equal(second.json().id, first.json().id)
  const list = await ctx.inject({ method: 'GET', url: '/v1/tenants', headers: bearer(ctx.platformKey) })
  t.equal(list.json().data.length, 1)
})
