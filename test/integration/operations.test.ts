import { readFile } from 'node:fs/promises'
import { validate } from '@readme/openapi-parser'
import t from 'tap'
import pino from 'pino'
import { generateOpenApi } from '../../src/platform/openapi-document.js'
import { createWorker } from '../../src/platform/worker.js'
import { buildTestApp, freshDatabase } from '../helper.js'

t.test('/healthz and /readyz', async (t) => {
  const ctx = await buildTestApp(t)
  const live = await ctx.inject({ method: 'GET', url: '/healthz' })
  t.equal(live.statusCode, 200)
  t.same(live.json(), { status: 'ok' })

  const ready = await ctx.inject({ method: 'GET', url: '/readyz' })
  t.equal(ready.statusCode, 200)
  const body = ready.json()
  t.equal(body.status, 'ready')
  t.equal(body.checks.database, 'ok')
  t.equal(body.checks.migrations.applied, body.checks.migrations.expected)
  t.ok(body.checks.migrations.expected >= 1)
  t.equal(body.checks.heartbeat.last_run_at, null, 'no worker has run yet')
})

t.test('a database without migrations is not ready', async (t) => {
  const { database } = await freshDatabase(t)
  await database.pool.query('drop schema drizzle cascade')
  const { buildApp } = await import('../../src/app.js')
  const { loadEnv } = await import('../../src/config/env.js')
  const app = await buildApp({ env: loadEnv({ LOG_LEVEL: 'silent' }), database })
  t.teardown(() => app.close())
  const ready = await app.inject({ method: 'GET', url: '/readyz' })
  t.equal(ready.statusCode, 503)
  t.match(ready.json(), { status: 'not_ready', checks: { database: 'ok', migrations: { applied: 0 } } })
})

t.test('the worker heartbeat shows in /readyz and the job counts in /metrics', async (t) => {
  const ctx = await buildTestApp(t, { RELANCE_HEARTBEAT_SECONDS: '1', RELANCE_JOB_LOCK_SECONDS: '2' })
  const worker = createWorker(ctx.env, ctx.database.pool.options.connectionString!, ctx.database, pino({ level: 'silent' }))
  await worker.start()
  let last: string | null = null
  for (let i = 0; i < 50 && !last; i++) {
    await new Promise((r) => setTimeout(r, 200))
    last = (await ctx.inject({ method: 'GET', url: '/readyz' })).json().checks.heartbeat.last_run_at
  }
  t.ok(last, 'heartbeat ran')
  t.ok(Date.now() - Date.parse(last!) < 30_000, 'and recently')

  await ctx.inject({ method: 'GET', url: '/healthz' })
  const metrics = await ctx.inject({ method: 'GET', url: '/metrics' })
  t.equal(metrics.statusCode, 200)
  t.match(metrics.body, /relance_http_request_duration_seconds_bucket\{.*route="\/healthz".*status_code="200"/)
  t.match(metrics.body, /relance_db_pool_connections\{state="total"\} \d+/)
  t.match(metrics.body, /relance_jobs\{name="system.heartbeat",state="scheduled"\} 1/)
  // Stopped here, not in a teardown: teardowns drop the database first.
  await worker.stop()
})

t.test('the OpenAPI document is valid OpenAPI 3.1 and matches the committed file', async (t) => {
  const generated = await generateOpenApi()
  const committed = await readFile(new URL('../../openapi/openapi.json', import.meta.url), 'utf8')
  t.equal(generated, committed, 'openapi/openapi.json is up to date (npm run openapi)')
  const document = JSON.parse(generated)
  const result = await validate(structuredClone(document))
  t.ok(result.valid, `valid OpenAPI: ${JSON.stringify(result.valid ? [] : result.errors).slice(0, 500)}`)
  t.equal(document.openapi, '3.1.0')
  t.ok(document.paths['/v1/tenants'].post, 'routes are in it')
  t.notOk(document.paths['/graphql'], 'GraphQL routes are not')
})

t.test('/docs and /openapi.json are served', async (t) => {
  const ctx = await buildTestApp(t)
  const docs = await ctx.inject({ method: 'GET', url: '/docs/' })
  t.equal(docs.statusCode, 200)
  t.match(docs.body, /swagger-ui/i)
  const spec = await ctx.inject({ method: 'GET', url: '/openapi.json' })
  t.equal(spec.statusCode, 200)
  t.equal(spec.json().info.title, 'Relance API')
})
