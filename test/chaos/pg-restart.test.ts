/**
 * PostgreSQL stops and comes back while clients write and read: requests during the outage get a
 * 503 problem+json at once, /readyz says not_ready, Relance recovers by itself (same process, same
 * pool) and every debtor or invoice it acknowledged (201) is there afterwards.
 * Runs its own embedded PostgreSQL so stopping it disturbs no other test file.
 */
import { chmod, mkdtemp, rm } from 'node:fs/promises'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify'
import t from 'tap'
import { buildApp } from '../../src/app.js'
import { loadEnv } from '../../src/config/env.js'
import { openDatabase, withSystem, type Database } from '../../src/db/client.js'
import { runMigrations } from '../../src/db/migrate.js'
import { ensureBootstrapKey } from '../../src/modules/api-keys/api-keys.service.js'
import { ensureDatabase, startEmbeddedPostgres, type EmbeddedServer } from '../../src/platform/embedded-postgres.js'
import { bearer } from '../helper.js'

t.setTimeout(Number(process.env.CHAOS_TIMEOUT_MS ?? 180_000))

const freePort = () =>
  new Promise<number>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
  })
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

interface Outcome { phase: 'before' | 'outage' | 'after'; kind: string; status: number; ms: number; code?: string; id?: string; type: string }

t.test('a PostgreSQL restart under load: 503 problems during the outage, recovery without restart, nothing acknowledged lost', async (t) => {
  const dir = await mkdtemp(path.join(tmpdir(), 'relance-chaos-'))
  await chmod(dir, 0o755) // the postgres system user must reach its data directory
  const port = await freePort()
  let server: EmbeddedServer = await startEmbeddedPostgres({ dir, port })
  const opened: { app?: FastifyInstance; database?: Database } = {}
  t.teardown(async () => {
    const step = async (what: string, fn: () => Promise<unknown>) => {
      const started = Date.now()
      await fn()
      if (process.env.CHAOS_DEBUG) process.stderr.write(`${what} ${Date.now() - started} ms\n`)
    }
    await step('app.close', async () => opened.app?.close())
    await step('pool.end', async () => opened.database?.close())
    await step('server.stop', () => server.stop().catch(() => undefined))
    await rm(dir, { recursive: true, force: true })
  })
  await ensureDatabase(server.adminUrl(), 'relance')
  const database = (opened.database = openDatabase(server.appUrl('relance'), 10))
  await runMigrations(database.pool)
  const app = (opened.app = await buildApp({ env: loadEnv({ NODE_ENV: 'test', LOG_LEVEL: 'silent', RELANCE_RATE_LIMIT_PER_MINUTE: '1000000' }), database }))
  const platformKey = (await withSystem(database.db, (tx) => ensureBootstrapKey(tx)))!
  const tenant = await app.inject({ method: 'POST', url: '/v1/tenants', headers: bearer(platformKey), payload: { name: 'Acme', mode: 'sandbox' } })
  const keyRes = await app.inject({ method: 'POST', url: '/v1/api-keys', headers: { ...bearer(platformKey), 'relance-tenant': tenant.json().id }, payload: { name: 'load' } })
  const key = keyRes.json().secret as string
  const debtor = await app.inject({ method: 'POST', url: '/v1/debtors', headers: bearer(key), payload: { kind: 'business', name: 'Seed', country: 'FR' } })
  const debtorId = debtor.json().id as string

  let phase: Outcome['phase'] = 'before'
  let running = true
  const outcomes: Outcome[] = []
  const requests: Record<string, (n: number) => InjectOptions> = {
    createDebtor: (n) => ({ method: 'POST', url: '/v1/debtors', headers: bearer(key), payload: { kind: 'business', name: `Load ${n}`, country: 'FR', external_ref: `load-${n}` } }),
    createInvoice: (n) => ({ method: 'POST', url: '/v1/invoices', headers: bearer(key), payload: { debtor_id: debtorId, number: `L-${n}`, currency: 'EUR', amount_total: 1000 + n, issue_date: '2026-03-01', due_date: '2026-03-31' } }),
    listDebtors: () => ({ method: 'GET', url: '/v1/debtors?limit=5', headers: bearer(key) }),
    graphql: () => ({ method: 'POST', url: '/graphql', headers: bearer(key), payload: { query: '{ debtors(first: 3) { edges { node { id } } } }' } }),
  }
  let counter = 0
  const client = async () => {
    while (running) {
      const n = counter++
      const kind = Object.keys(requests)[n % 4]!
      const started = Date.now()
      const res: LightMyRequestResponse = await app.inject(requests[kind]!(n))
      const body = res.headers['content-type']?.toString().includes('json') ? res.json() : {}
      const gqlCode = body.errors?.[0]?.extensions?.code as string | undefined
      outcomes.push({ phase, kind, status: res.statusCode, ms: Date.now() - started, code: body.code ?? gqlCode, id: body.id, type: String(res.headers['content-type']) })
      await sleep(5)
    }
  }
  const clients = Array.from({ length: 6 }, client)

  await sleep(1_500)
  phase = 'outage'
  await server.stop()
  await sleep(2_500)
  const readyDuring = await app.inject({ method: 'GET', url: '/readyz' })
  server = await startEmbeddedPostgres({ dir, port })
  phase = 'after'
  let readyAfter: LightMyRequestResponse | null = null
  for (let i = 0; i < 100 && readyAfter?.statusCode !== 200; i++) {
    readyAfter = await app.inject({ method: 'GET', url: '/readyz' })
    if (readyAfter.statusCode !== 200) await sleep(100)
  }
  await sleep(1_500)
  running = false
  await Promise.all(clients)

  const during = outcomes.filter((o) => o.phase === 'outage')
  const unexpected = outcomes.filter((o) => (o.status >= 300 && !(o.status === 503 && o.code === 'service_unavailable')) || (o.kind === 'graphql' && o.code && o.code !== 'service_unavailable'))
  const refused = during.filter((o) => o.status === 503 || o.code === 'service_unavailable')
  t.comment(`${outcomes.length} requests: ${outcomes.filter((o) => o.status < 300 && !o.code).length} succeeded, ${refused.length} answered 503 during the outage (slowest ${Math.max(0, ...refused.map((o) => o.ms))} ms)`)
  t.same(unexpected.map((o) => `${o.phase} ${o.kind} ${o.status} ${o.code}`), [], 'every failure is a 503 service_unavailable')
  t.ok(refused.length > 0, 'requests during the outage were refused with 503')
  t.ok(refused.every((o) => o.type.startsWith('application/problem+json') || o.kind === 'graphql'), 'as problem+json (GraphQL: an error coded service_unavailable)')
  t.equal(readyDuring.statusCode, 503, '/readyz says not ready while the database is down')
  t.match(readyDuring.json(), { status: 'not_ready', checks: { database: 'unreachable' } })
  t.equal(readyAfter?.statusCode, 200, '/readyz is ready again without restarting Relance')
  t.ok(outcomes.some((o) => o.phase === 'after' && o.status === 201), 'writes succeed again after the restart')

  // Every connection checked out during the outage came back: the pool keeps its full capacity.
  const pool = database.pool
  for (let i = 0; i < 50 && pool.totalCount !== pool.idleCount; i++) await sleep(100)
  t.equal(pool.totalCount - pool.idleCount, 0, `no connection leaked by the outage (total ${pool.totalCount}, idle ${pool.idleCount}, waiting ${pool.waitingCount})`)

  const acknowledged = outcomes.filter((o) => o.status === 201 && o.id)
  const missing: string[] = []
  for (const o of acknowledged) {
    const url = o.kind === 'createDebtor' ? `/v1/debtors/${o.id}` : `/v1/invoices/${o.id}`
    if ((await app.inject({ method: 'GET', url, headers: bearer(key) })).statusCode !== 200) missing.push(o.id!)
  }
  t.same(missing, [], `all ${acknowledged.length} acknowledged creations are there after the restart`)
})
