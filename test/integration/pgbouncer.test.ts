import pg from 'pg'
import pino from 'pino'
import t from 'tap'
import { buildApp } from '../../src/app.js'
import { loadEnv } from '../../src/config/env.js'
import { openDatabase, withSystem } from '../../src/db/client.js'
import { ensureBootstrapKey } from '../../src/modules/api-keys/api-keys.service.js'
import { createDispatchDeps } from '../../src/modules/dispatch/dispatch-deps.js'
import { runDispatchPump } from '../../src/modules/dispatch/pump.js'
import { runEngine } from '../../src/modules/engine/evaluator.js'
import { createScheduler } from '../../src/platform/jobs.js'
import { bearer, createTenant, freshDatabase, type TestApp } from '../helper.js'
import { pgbouncerBinary, startPgBouncer } from './pgbouncer-kit.js'

// A Wednesday, 10:00 in Paris; the invoices fell due on Monday, so each first reminder is due.
const NOW = new Date('2026-03-18T09:00:00Z')
const DEBTORS = 6
const binary = pgbouncerBinary()

/** Named prepared statements live in one server session: PgBouncer < 1.21 in transaction mode loses them. */
function spyNamedStatements(t: { teardown(fn: () => unknown): void }): string[] {
  const proto = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown }
  const original = proto.query
  const named: string[] = []
  proto.query = function (this: unknown, ...args: unknown[]) {
    const config = args[0] as { name?: unknown } | null
    if (config && typeof config === 'object' && typeof config.name === 'string' && config.name) named.push(config.name)
    return original.apply(this, args)
  }
  t.teardown(() => void (proto.query = original))
  return named
}

t.test('behind PgBouncer in transaction mode: API, engine, dispatch and Agenda work, tenants stay apart', { skip: binary ? false : 'pgbouncer is not installed here (apt-get install pgbouncer)' }, async (t) => {
  const fresh = await freshDatabase(t)
  // Two server connections for eight clients: every transaction may land on another client's session.
  const bouncer = await startPgBouncer(t, binary!, fresh.url, 2)
  const database = openDatabase(bouncer.url, 8)
  t.teardown(() => database.close())
  const named = spyNamedStatements(t)
  const env = loadEnv({ NODE_ENV: 'test', LOG_LEVEL: 'silent' })
  const app = await buildApp({ env, database })
  t.teardown(() => app.close())
  const platformKey = (await withSystem(database.db, (tx) => ensureBootstrapKey(tx)))!
  const ctx: TestApp = { app, database, url: bouncer.url, env, platformKey, inject: (o) => app.inject(o) }

  const tenants = await Promise.all(['Garage Martin SARL', 'Boulangerie Leroy'].map((name) => createTenant(ctx, { name, mode: 'sandbox' })))
  const post = async (key: string, url: string, payload: Record<string, unknown>) => {
    const res = await ctx.inject({ method: 'POST', url, headers: bearer(key), payload })
    if (res.statusCode !== 201) throw new Error(`${url}: ${res.statusCode} ${res.body}`)
    return res.json<{ id: string }>()
  }
  // Both tenants write at once, so their transactions interleave on the two server connections.
  await Promise.all(
    tenants.flatMap(({ key }, n) =>
      Array.from({ length: DEBTORS }, async (_, d) => {
        const debtor = await post(key, '/v1/debtors', { kind: 'business', name: `Client ${n}-${d}`, country: 'FR', language: 'fr', contacts: [{ email: `c${n}${d}@client.test` }] })
        await post(key, '/v1/invoices', { debtor_id: debtor.id, number: `F-${d}`, currency: 'EUR', amount_total: 12_000, issue_date: '2026-02-14', due_date: '2026-03-16' })
      }),
    ),
  )
  const lists = await Promise.all(
    Array.from({ length: 10 }, (_, i) => tenants[i % 2]!).map(async ({ key, tenantId }) => {
      const res = await ctx.inject({ method: 'GET', url: '/v1/invoices?limit=100', headers: bearer(key) })
      return { tenantId, numbers: res.json<{ data: { number: string }[] }>().data.map((i) => i.number).sort() }
    }),
  )
  const expected = Array.from({ length: DEBTORS }, (_, d) => `F-${d}`).sort()
  t.ok(lists.every((l) => JSON.stringify(l.numbers) === JSON.stringify(expected)), 'each tenant lists exactly its own invoices, every time (row-level security settings never leak between clients)')

  const pass = await runEngine(database.db, NOW, { wallClockTenants: true })
  t.same(pass, { claimed: 2 * DEBTORS, dispatches: 2 * DEBTORS, steps: 2 * DEBTORS }, 'an engine pass plans every due invoice once')
  const pump = await runDispatchPump(database.db, await createDispatchDeps(env), NOW)
  t.match(pump, { claimed: 2 * DEBTORS, sent: 2 * DEBTORS, failed: 0 }, 'the dispatch pump sends them')
  const dispatches = await ctx.inject({ method: 'GET', url: '/v1/dispatches?limit=100', headers: bearer(tenants[0]!.key) })
  t.same(
    dispatches.json<{ data: { step_key: string; status: string }[] }>().data.map((d) => `${d.step_key} ${d.status}`),
    Array.from({ length: DEBTORS }, () => 'first_reminder delivered'),
    'the API shows the first tenant its own reminders, delivered',
  )

  // Parameterised statements use the unnamed prepared statement: parse, bind, execute in one go.
  const repeated = await Promise.all(Array.from({ length: 40 }, (_, i) => database.pool.query<{ n: number }>('select $1::int + 1 as n', [i])))
  t.ok(repeated.every((r, i) => r.rows[0]!.n === i + 1), 'parameterised queries run through the pooler')
  t.same(named, [], 'Relance sent no named prepared statement (they do not survive transaction pooling)')

  // Agenda through the pooler, polling instead of LISTEN/NOTIFY (RELANCE_JOB_NOTIFICATIONS=false).
  let ran!: () => void
  const probeRan = new Promise<void>((resolve) => (ran = resolve))
  const scheduler = createScheduler(bouncer.url, [{ name: 'pgbouncer.probe', everySeconds: 1, run: async () => ran() }], pino({ level: 'silent' }), {
    name: 'pgbouncer-test',
    lockLifetimeMs: 5_000,
    notifications: false,
  })
  await scheduler.start()
  await probeRan
  await scheduler.stop()
  t.pass('an Agenda job ran with notifications off')

  const admin = new pg.Client({ connectionString: bouncer.adminUrl })
  await admin.connect()
  const pools = (await admin.query<{ database: string; pool_mode: string }>('show pools')).rows
  await admin.end()
  t.match(pools.find((p) => p.database === fresh.name), { pool_mode: 'transaction' }, 'all of it went through PgBouncer in transaction mode')
})
