import t from 'tap'
import { bearer, buildTestApp, createTenant } from '../helper.js'

t.test('PATCH honours If-Match with the ETag of the last read', async (t) => {
  const ctx = await buildTestApp(t)
  const { tenantId, key } = await createTenant(ctx)
  const read = await ctx.inject({ method: 'GET', url: `/v1/tenants/${tenantId}`, headers: bearer(key) })
  const etag = read.headers.etag as string
  t.match(etag, /^"[0-9a-f]{32}"$/)

  const first = await ctx.inject({
    method: 'PATCH',
    url: `/v1/tenants/${tenantId}`,
    headers: { ...bearer(key), 'if-match': etag },
    payload: { name: 'Acme Group', metadata: { region: 'idf' } },
  })
  t.equal(first.statusCode, 200)
  t.match(first.json(), { name: 'Acme Group', metadata: { region: 'idf' } })
  t.not(first.headers.etag, etag, 'the ETag changes with the object')

  const stale = await ctx.inject({
    method: 'PATCH',
    url: `/v1/tenants/${tenantId}`,
    headers: { ...bearer(key), 'if-match': etag },
    payload: { name: 'Lost update' },
  })
  t.equal(stale.statusCode, 412)
  t.equal(stale.json().code, 'precondition_failed')
  const after = await ctx.inject({ method: 'GET', url: `/v1/tenants/${tenantId}`, headers: bearer(key) })
  t.equal(after.json().name, 'Acme Group', 'the stale write changed nothing')
  t.equal(after.headers.etag, first.headers.etag)
})

t.test('cursor pagination walks every tenant once, newest first', async (t) => {
  const ctx = await buildTestApp(t)
  const names = Array.from({ length: 7 }, (_, i) => `T${i}`)
  for (const name of names) {
    await ctx.inject({ method: 'POST', url: '/v1/tenants', headers: bearer(ctx.platformKey), payload: { name, mode: 'live' } })
  }
  const seen: string[] = []
  let after: string | undefined
  for (let pages = 0; pages < 10; pages++) {
    const url = `/v1/tenants?limit=3${after ? `&starting_after=${after}` : ''}`
    const page = (await ctx.inject({ method: 'GET', url, headers: bearer(ctx.platformKey) })).json()
    seen.push(...page.data.map((x: { name: string }) => x.name))
    if (!page.has_more) break
    after = page.data.at(-1).id
  }
  t.same(seen, [...names].reverse())
  const filtered = await ctx.inject({ method: 'GET', url: '/v1/tenants?mode=sandbox', headers: bearer(ctx.platformKey) })
  t.same(filtered.json().data, [], 'filters apply')
})
