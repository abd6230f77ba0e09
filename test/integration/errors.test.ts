import t from 'tap'
import { buildApp } from '../../src/app.js'
import { loadEnv } from '../../src/config/env.js'
import { openDatabase } from '../../src/db/client.js'
import { bearer, buildTestApp, createTenant } from '../helper.js'

const json = { 'content-type': 'application/json' }

t.test('every failure is problem+json with a code from the closed set', async (t) => {
  const ctx = await buildTestApp(t, { RELANCE_BODY_LIMIT_BYTES: '2048' })
  const auth = bearer(ctx.platformKey)

  const unknownRoute = await ctx.inject({ method: 'GET', url: '/v1/nothing-here', headers: auth })
  t.equal(unknownRoute.statusCode, 404)
  t.match(unknownRoute.json(), { code: 'route_not_found', detail: 'No route GET /v1/nothing-here' })
  t.match(unknownRoute.headers['content-type'], /^application\/problem\+json/)

  const malformed = await ctx.inject({ method: 'POST', url: '/v1/tenants', headers: { ...auth, ...json }, payload: '{"name":' })
  t.equal(malformed.statusCode, 400)
  t.equal(malformed.json().code, 'malformed_json')

  const unknownField = await ctx.inject({ method: 'POST', url: '/v1/tenants', headers: auth, payload: { name: 'A', colour: 'red' } })
  t.equal(unknownField.statusCode, 400)
  t.match(unknownField.json(), { code: 'validation_failed', errors: [{ path: 'body.colour', message: 'Unknown field' }] })

  const mistyped = await ctx.inject({ method: 'POST', url: '/v1/tenants', headers: auth, payload: { name: 42, mode: 'prod' } })
  t.equal(mistyped.statusCode, 400)
  const paths = mistyped.json().errors.map((e: { path: string }) => e.path).sort()
  t.same(paths, ['body.mode', 'body.name'], 'every bad field is named')

  const badMetadata = await ctx.inject({ method: 'POST', url: '/v1/tenants', headers: auth, payload: { name: 'A', metadata: { k: 1 } } })
  t.equal(badMetadata.statusCode, 400)
  t.equal(badMetadata.json().errors[0].path, 'body.metadata.k')

  const badQuery = await ctx.inject({ method: 'GET', url: '/v1/tenants?limit=1000', headers: auth })
  t.equal(badQuery.statusCode, 400)
  t.equal(badQuery.json().errors[0].path, 'querystring.limit')

  const tooLarge = await ctx.inject({ method: 'POST', url: '/v1/tenants', headers: auth, payload: { name: 'x'.repeat(4000) } })
  t.equal(tooLarge.statusCode, 413)
  t.equal(tooLarge.json().code, 'payload_too_large')

  const mediaType = await ctx.inject({ method: 'POST', url: '/v1/tenants', headers: { ...auth, 'content-type': 'text/csv' }, payload: 'a,b' })
  t.equal(mediaType.statusCode, 415)
  t.equal(mediaType.json().code, 'unsupported_media_type')

  const conflict = await ctx.inject({ method: 'POST', url: '/v1/tenants', headers: auth, payload: { name: 'A', external_ref: 'crm-1' } })
  t.equal(conflict.statusCode, 201)
  const duplicate = await ctx.inject({ method: 'POST', url: '/v1/tenants', headers: auth, payload: { name: 'B', external_ref: 'crm-1' } })
  t.equal(duplicate.statusCode, 409)
  t.match(duplicate.json(), { code: 'conflict', errors: [{ path: 'body.external_ref' }] })

  const list = await ctx.inject({ method: 'GET', url: '/v1/tenants', headers: auth })
  t.same(
    list.json().data.map((x: { name: string }) => x.name),
    ['A'],
    'rejected requests stored nothing',
  )
})

t.test('rate limits answer 429 with Retry-After and RateLimit headers, per key', async (t) => {
  const ctx = await buildTestApp(t, { RELANCE_RATE_LIMIT_PER_MINUTE: '3' })
  const { key } = await createTenant(ctx)
  const statuses: number[] = []
  let last
  for (let i = 0; i < 4; i++) {
    last = await ctx.inject({ method: 'GET', url: '/v1/api-keys', headers: bearer(key) })
    statuses.push(last.statusCode)
  }
  t.same(statuses, [200, 200, 200, 429])
  t.equal(last!.json().code, 'rate_limited')
  t.ok(Number(last!.headers['retry-after']) > 0, 'Retry-After is set')
  t.equal(last!.headers['ratelimit-limit'], '3')
  t.equal(last!.headers['ratelimit-remaining'], '0')
  const otherKey = await ctx.inject({ method: 'GET', url: '/v1/tenants', headers: bearer(ctx.platformKey) })
  t.equal(otherKey.statusCode, 200, 'another key has its own budget')
})

t.test('an internal error reveals nothing internal', async (t) => {
  const ctx = await buildTestApp(t)
  const { key } = await createTenant(ctx)
  // Break the schema under the running app: the query fails inside PostgreSQL.
  await ctx.database.pool.query('alter table tenants rename column name to name_gone')
  const res = await ctx.inject({ method: 'GET', url: '/v1/tenants', headers: bearer(key) })
  t.equal(res.statusCode, 500)
  const body = res.json()
  t.equal(body.code, 'internal')
  t.match(body.request_id, /^req_/)
  t.notMatch(res.body, /name_gone|column|select|tenants|stack/i, 'no SQL, table or stack in the body')
})

t.test('an unreachable database is a 503, and /readyz says so', async (t) => {
  const database = openDatabase('postgres://nobody:x@127.0.0.1:9/none', 1)
  const app = await buildApp({ env: loadEnv({ NODE_ENV: 'test', LOG_LEVEL: 'silent' }), database })
  t.teardown(async () => {
    await app.close()
    await database.close()
  })
  const res = await app.inject({ method: 'GET', url: '/v1/tenants', headers: bearer(`rl_test_${'a'.repeat(32)}`) })
  t.equal(res.statusCode, 503)
  t.equal(res.json().code, 'service_unavailable')
  const ready = await app.inject({ method: 'GET', url: '/readyz' })
  t.equal(ready.statusCode, 503)
  t.match(ready.json(), { status: 'not_ready', checks: { database: 'unreachable' } })
  const live = await app.inject({ method: 'GET', url: '/healthz' })
  t.equal(live.statusCode, 200, 'liveness does not depend on the database')
})
