import { fork, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import t from 'tap'
import type { EngineRun } from '../../src/modules/engine/evaluator.js'
import { bearer, buildTestApp, createTenant, systemQuery, type TestApp } from '../helper.js'
import { ndjson, postBulk } from '../integration/bulk-fixtures.js'

// A Wednesday, 10:00 in Paris (inside the default send window); every invoice fell due on Monday,
// so each one's first reminder is due now.
const NOW = '2026-03-18T09:00:00Z'
const TENANTS = 3
const DEBTORS = 30
const INVOICES_PER_DEBTOR = 4
// Small chunks, not a multiple of a debtor's invoices: the workers interleave many times and split
// debtors between them, which is where a duplicate would come from.
const CHUNK = 7

async function seedTenant(ctx: TestApp, n: number): Promise<string> {
  const { tenantId, key } = await createTenant(ctx, { name: `Creditor ${n}`, mode: 'live' })
  const debtors = Array.from({ length: DEBTORS }, (_, d) => ({ kind: 'business', name: `Client ${d}`, country: 'FR', external_ref: `D-${d}` }))
  const invoices = debtors.flatMap((d, k) =>
    Array.from({ length: INVOICES_PER_DEBTOR }, (_, i) => ({
      debtor_external_ref: d.external_ref,
      number: `F-${k}-${i}`,
      currency: 'EUR',
      amount_total: 10_000 + i,
      issue_date: '2026-02-14',
      due_date: '2026-03-16',
      external_ref: `INV-${k}-${i}`,
    })),
  )
  for (const [kind, lines] of [['debtors', debtors], ['invoices', invoices]] as const) {
    const res = await postBulk(ctx, key, kind, ndjson(lines))
    if (res.statusCode !== 200 || res.json().created !== lines.length) throw new Error(`${kind}: ${res.statusCode} ${res.body}`)
  }
  const check = await ctx.inject({ method: 'GET', url: '/v1/invoices?limit=1', headers: bearer(key) })
  if (check.statusCode !== 200) throw new Error(check.body)
  return tenantId
}

function startWorker(url: string): { child: ChildProcess; ready: Promise<void>; done: Promise<EngineRun> } {
  const child = fork(fileURLToPath(new URL('./engine-worker.ts', import.meta.url)), [url, NOW, String(CHUNK)], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  })
  const ready = new Promise<void>((resolve, reject) => {
    child.once('message', () => resolve())
    child.once('exit', (code) => reject(new Error(`worker exited early with ${code}`)))
  })
  const done = new Promise<EngineRun>((resolve, reject) => {
    child.on('message', (m: { type: string; total?: EngineRun }) => m.type === 'done' && resolve(m.total!))
    child.once('exit', (code) => code !== 0 && reject(new Error(`worker exited with ${code}`)))
  })
  return { child, ready, done }
}

t.test('two worker processes evaluating the same due invoices at once send each step once', async (t) => {
  const ctx = await buildTestApp(t)
  for (let n = 0; n < TENANTS; n++) await seedTenant(ctx, n)
  const invoices = TENANTS * DEBTORS * INVOICES_PER_DEBTOR

  const workers = [startWorker(ctx.url), startWorker(ctx.url)]
  t.teardown(() => workers.forEach((w) => w.child.connected && w.child.kill()))
  await Promise.all(workers.map((w) => w.ready))
  for (const w of workers) w.child.send('go')
  const [a, b] = await Promise.all(workers.map((w) => w.done))

  t.ok(a!.claimed > 0 && b!.claimed > 0, `both workers planned invoices (${a!.claimed} and ${b!.claimed})`)
  t.equal(a!.steps + b!.steps, invoices, 'the two workers together planned each due step once')

  const perStep = await systemQuery<{ n: number }>(
    ctx.database,
    `select count(*)::int as n from dispatch_items group by tenant_id, invoice_id, step_key`,
  )
  t.equal(perStep.length, invoices, 'every due invoice got its step')
  t.ok(perStep.every((r) => r.n === 1), 'no invoice step is in two dispatches')

  const messages = await systemQuery<{ tenant_id: string; debtor_id: string; step_key: string; n: number; items: number; listed: number }>(
    ctx.database,
    `select d.tenant_id, d.debtor_id, d.step_key, count(distinct d.dispatch_id)::int as n, count(i.invoice_id)::int as items,
            max(jsonb_array_length(d.details->'invoice_ids'))::int as listed
     from dispatches d join dispatch_items i on i.tenant_id = d.tenant_id and i.dispatch_id = d.dispatch_id
     group by d.tenant_id, d.debtor_id, d.step_key`,
  )
  t.equal(messages.length, TENANTS * DEBTORS, 'every debtor got a message')
  t.ok(messages.every((m) => m.step_key === 'first_reminder' && m.n === 1), 'one first reminder per debtor, never two')
  t.ok(
    messages.every((m) => m.items === INVOICES_PER_DEBTOR && m.listed === INVOICES_PER_DEBTOR),
    'each message covers all of its debtor\'s invoices',
  )
  t.equal(a!.dispatches + b!.dispatches, TENANTS * DEBTORS, 'the workers report as many new dispatches as exist')

  const [events] = await systemQuery<{ n: number; objects: number }>(
    ctx.database,
    `select count(*)::int as n, count(distinct object_id)::int as objects from events where type = 'dunning.step_due'`,
  )
  t.same(events, { n: TENANTS * DEBTORS, objects: TENANTS * DEBTORS }, 'one dunning.step_due event per message')

  const [state] = await systemQuery<{ due: number; advanced: number }>(
    ctx.database,
    `select count(*) filter (where next_action_at <= $1)::int as due, count(*) filter (where dunning_step = 1)::int as advanced from invoices`,
    [NOW],
  )
  t.same(state, { due: 0, advanced: invoices }, 'every invoice moved past its first reminder and nothing is left due')
})
