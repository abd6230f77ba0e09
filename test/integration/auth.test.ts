import t from 'tap'
import { bearer, buildTestApp, createTenant, systemQuery } from '../helper.js'

t.test('API keys: missing, malformed, unknown, revoked, expired', async (t) => {
  const ctx = await buildTestApp(t)
  const { key } = await createTenant(ctx)

  const missing = await ctx.inject({ method: 'GET', url: '/v1/api-keys' })
  t.equal(missing.statusCode, 401)
  t.equal(missing.headers['content-type'], 'application/problem+json; charset=utf-8')
  t.match(missing.json(), { code: 'unauthenticated', status: 401, type: 'urn:relance:problem:unauthenticated' })
  t.match(missing.json().request_id, /^req_/)

  const malformed = await ctx.inject({ method: 'GET', url: '/v1/api-keys', headers: { authorization: 'Basic abc' } })
  t.equal(malformed.statusCode, 401)

  const unknown = await ctx.inject({ method: 'GET', url: '/v1/api-keys', headers: bearer(`rl_test_${'x'.repeat(32)}`) })
  t.equal(unknown.statusCode, 401)
  t.match(unknown.json().detail, /unknown, expired or revoked/)

  const ok = await ctx.inject({ method: 'GET', url: '/v1/api-keys', headers: bearer(key) })
  t.equal(ok.statusCode, 200)
  const keys = ok.json()
  t.equal(keys.data.length, 1)
  t.notOk('secret' in keys.data[0], 'the secret is never listed')
  t.equal(keys.data[0].prefix, key.slice(0, 12))

  const revoked = await ctx.inject({ method: 'DELETE', url: `/v1/api-keys/${keys.data[0].id}`, headers: bearer(key) })
  t.equal(revoked.statusCode, 200)
  t.ok(revoked.json().revoked_at)
  const after = await ctx.inject({ method: 'GET', url: '/v1/api-keys', headers: bearer(key) })
  t.equal(after.statusCode, 401, 'a revoked key stops working at once')

  const expired = await ctx.inject({
    method: 'POST',
    url: '/v1/api-keys',
    headers: { ...bearer(ctx.platformKey), 'relance-tenant': keys.data[0].id.replace(/^key_/, 'ten_') },
    payload: { name: 'x' },
  })
  t.equal(expired.statusCode, 404, 'a platform key acting for an unknown tenant gets 404')
})

t.test('an expired key is refused', async (t) => {
  const ctx = await buildTestApp(t)
  const { tenantId } = await createTenant(ctx)
  const created = await ctx.inject({
    method: 'POST',
    url: '/v1/api-keys',
    headers: { ...bearer(ctx.platformKey), 'relance-tenant': tenantId },
    payload: { name: 'short-lived', expires_at: new Date(Date.now() + 1500).toISOString() },
  })
  t.equal(created.statusCode, 201)
  const secret = created.json().secret
  t.equal((await ctx.inject({ method: 'GET', url: '/v1/api-keys', headers: bearer(secret) })).statusCode, 200)
  await new Promise((r) => setTimeout(r, 1600))
  t.equal((await ctx.inject({ method: 'GET', url: '/v1/api-keys', headers: bearer(secret) })).statusCode, 401)
})

t.test('key prefixes follow the tenant mode; platform keys act for a tenant', async (t) => {
  const ctx = await buildTestApp(t)
  const live = await createTenant(ctx, { name: 'Live SA', mode: 'live' })
  const sandbox = await createTenant(ctx, { name: 'Sandbox SA', mode: 'sandbox' })
  t.match(live.key, /^rl_live_[A-Za-z0-9]{32}$/)
  t.match(sandbox.key, /^rl_test_[A-Za-z0-9]{32}$/)

  const noTenant = await ctx.inject({ method: 'GET', url: '/v1/api-keys', headers: bearer(ctx.platformKey) })
  t.equal(noTenant.statusCode, 400)
  t.same(noTenant.json().errors, [{ path: 'headers.relance-tenant', message: 'Required with a platform key' }])

  const acting = await ctx.inject({
    method: 'GET',
    url: '/v1/api-keys',
    headers: { ...bearer(ctx.platformKey), 'relance-tenant': live.tenantId },
  })
  t.equal(acting.statusCode, 200)
  t.equal(acting.json().data.length, 1)

  const tenantKeyCreatesTenant = await ctx.inject({ method: 'POST', url: '/v1/tenants', headers: bearer(live.key), payload: { name: 'x' } })
  t.equal(tenantKeyCreatesTenant.statusCode, 403)
  t.equal(tenantKeyCreatesTenant.json().code, 'forbidden')

  const header = await ctx.inject({
    method: 'GET',
    url: '/v1/api-keys',
    headers: { ...bearer(live.key), 'relance-tenant': sandbox.tenantId },
  })
  t.equal(header.statusCode, 403, 'a tenant key cannot borrow another tenant with the header')
})

t.test("another tenant's objects are 404, never 403", async (t) => {
  const ctx = await buildTestApp(t)
  const a = await createTenant(ctx, { name: 'A', mode: 'sandbox' })
  const b = await createTenant(ctx, { name: 'B', mode: 'sandbox' })
  const aKeys = await ctx.inject({ method: 'GET', url: '/v1/api-keys', headers: bearer(a.key) })
  const aKeyId = aKeys.json().data[0].id

  const read = await ctx.inject({ method: 'GET', url: `/v1/api-keys/${aKeyId}`, headers: bearer(b.key) })
  t.equal(read.statusCode, 404)
  t.equal(read.json().code, 'not_found')
  const revoke = await ctx.inject({ method: 'DELETE', url: `/v1/api-keys/${aKeyId}`, headers: bearer(b.key) })
  t.equal(revoke.statusCode, 404)
  const stillWorks = await ctx.inject({ method: 'GET', url: '/v1/api-keys', headers: bearer(a.key) })
  t.equal(stillWorks.statusCode, 200, "B's attempt did not revoke A's key")

  const tenant = await ctx.inject({ method: 'GET', url: `/v1/tenants/${a.tenantId}`, headers: bearer(b.key) })
  t.equal(tenant.statusCode, 404)
  const list = await ctx.inject({ method: 'GET', url: '/v1/tenants', headers: bearer(b.key) })
  t.same(
    list.json().data.map((x: { id: string }) => x.id),
    [b.tenantId],
    'a tenant key lists only its own tenant',
  )
  const patch = await ctx.inject({ method: 'PATCH', url: `/v1/tenants/${a.tenantId}`, headers: bearer(b.key), payload: { name: 'pwned' } })
  t.equal(patch.statusCode, 404)
})

t.test('a verified key is remembered for a few seconds: a repeated GET skips the key lookup, a revoke is at once', async (t) => {
  const ctx = await buildTestApp(t)
  const { key: admin } = await createTenant(ctx)
  const newKey = async (name: string) => (await ctx.inject({ method: 'POST', url: '/v1/api-keys', headers: bearer(admin), payload: { name } })).json()
  const get = (secret: string) => ctx.inject({ method: 'GET', url: '/v1/debtors', headers: bearer(secret) })

  const cached = await newKey('cached')
  t.equal((await get(cached.secret)).statusCode, 200)
  // Revoked behind the server's back (another replica would do this): the remembered key still
  // passes, which shows the second request did not look it up.
  await systemQuery(ctx.database, 'update api_keys set revoked_at = now() where key_id = $1', [cached.id])
  t.equal((await get(cached.secret)).statusCode, 200, 'served from the remembered key, without a lookup')

  const revoked = await newKey('revoked')
  t.equal((await get(revoked.secret)).statusCode, 200)
  await ctx.inject({ method: 'DELETE', url: `/v1/api-keys/${revoked.id}`, headers: bearer(admin) })
  t.equal((await get(revoked.secret)).statusCode, 401, 'the server that revoked the key refuses it at once')
})
