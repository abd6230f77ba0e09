import t from 'tap'
import { bearer, buildTestApp, createTenant, systemQuery } from '../helper.js'
import { countEvents, debtorLine, invoiceLine, ndjson, postBulk, waitForImport } from './bulk-fixtures.js'

// Small thresholds so a test file of a hundred lines exercises chunks and import jobs.
const SMALL = { RELANCE_BULK_CHUNK_SIZE: '10', RELANCE_BULK_SYNC_MAX_LINES: '50' }

async function setup(t: Parameters<typeof buildTestApp>[0]) {
  const ctx = await buildTestApp(t, SMALL)
  const tenant = await createTenant(ctx)
  return { ctx, ...tenant }
}

t.test('mixed NDJSON: valid lines stored, invalid ones reported by line and field', async (t) => {
  const { ctx, tenantId, key } = await setup(t)
  const debtors = await postBulk(ctx, key, 'debtors', ndjson([debtorLine('D-1'), debtorLine('D-2', { siren: '123' }), '', debtorLine('D-3')]))
  t.equal(debtors.statusCode, 200)
  t.match(debtors.json(), { object: 'bulk_result', created: 2, updated: 0, unchanged: 0, rejected: 1, results_include: 'all' })
  t.match(debtors.json().results, [
    { line: 1, external_ref: 'D-1', status: 'created', id: /^dbt_/ },
    { line: 2, external_ref: 'D-2', status: 'rejected', errors: [{ path: 'siren' }] },
    { line: 4, external_ref: 'D-3', status: 'created' },
  ])

  const res = await postBulk(
    ctx,
    key,
    'invoices',
    ndjson([
      invoiceLine('I-1', 'D-1'),
      invoiceLine('I-2', 'D-1', { amount_total: 10.5 }),
      invoiceLine('I-3', 'D-404'),
      { ...invoiceLine('I-4', 'D-3'), external_ref: undefined },
      invoiceLine('I-5', 'D-3', { amount_total: 0, colour: 'red' }),
      invoiceLine('I-6', 'D-3', { amount_total: 0 }),
    ]),
  )
  t.equal(res.statusCode, 200)
  const body = res.json()
  t.match(body, { created: 2, updated: 0, unchanged: 0, rejected: 4 })
  t.match(body.results, [
    { line: 1, status: 'created', id: /^inv_/ },
    { line: 2, status: 'rejected', external_ref: 'I-2', errors: [{ path: 'amount_total' }] },
    { line: 3, status: 'rejected', errors: [{ path: 'debtor_external_ref', message: 'No such debtor' }] },
    { line: 4, status: 'rejected', external_ref: null, errors: [{ path: 'external_ref' }] },
    { line: 5, status: 'rejected', errors: [{ path: 'colour', message: 'Unknown field' }] },
    { line: 6, status: 'created' },
  ])
  const stored = await systemQuery<{ external_ref: string; status: string; amount_paid: string }>(
    ctx.database,
    'select external_ref, status, amount_paid from invoices where tenant_id = $1 order by external_ref',
    [tenantId],
  )
  t.same(stored.map((r) => [r.external_ref, r.status]), [['I-1', 'open'], ['I-6', 'paid']], 'only valid lines are stored')
  const invoice = await ctx.inject({ method: 'GET', url: `/v1/invoices/${body.results[0].id}`, headers: bearer(key) })
  t.match(invoice.json(), { number: 'F-I-1', amount_total: 12_000, amount_net: 12_000, amount_due: 12_000, external_ref: 'I-1' })
  t.match(await countEvents(ctx, tenantId), { 'debtor.created': 2, 'invoice.created': 2 })
})

t.test('an identical re-run changes nothing; a changed field is an update with its event', async (t) => {
  const { ctx, tenantId, key } = await setup(t)
  const debtorFile = ndjson([debtorLine('D-1'), debtorLine('D-2', { metadata: { a: '1', b: '2' } })])
  await postBulk(ctx, key, 'debtors', debtorFile)
  const lines = Array.from({ length: 25 }, (_, i) => invoiceLine(`I-${i}`, i % 2 ? 'D-1' : 'D-2', { metadata: { n: String(i) } }))
  const first = await postBulk(ctx, key, 'invoices', ndjson(lines))
  t.match(first.json(), { created: 25, rejected: 0 }, 'three chunks of ten')
  const before = await countEvents(ctx, tenantId)

  const again = await postBulk(ctx, key, 'invoices', ndjson(lines))
  t.match(again.json(), { created: 0, updated: 0, unchanged: 25 })
  t.same(again.json().results.map((r: { id: string }) => r.id), first.json().results.map((r: { id: string }) => r.id), 'unchanged lines name their object')
  const debtorsAgain = await postBulk(ctx, key, 'debtors', ndjson([debtorLine('D-1'), debtorLine('D-2', { metadata: { b: '2', a: '1' } })]))
  t.match(debtorsAgain.json(), { unchanged: 2 }, 'key order in metadata does not make a change')
  t.same(await countEvents(ctx, tenantId), before, 'no new events')

  lines[3] = { ...lines[3]!, amount_total: 9_000, due_date: '2026-02-28' }
  const changed = await postBulk(ctx, key, 'invoices', ndjson(lines))
  t.match(changed.json(), { created: 0, updated: 1, unchanged: 24 })
  t.match(changed.json().results[3], { line: 4, status: 'updated', id: first.json().results[3].id })
  const after = await countEvents(ctx, tenantId)
  t.equal(after['invoice.updated'], 1)
  const [event] = await systemQuery<{ data: { object: { amount_total: number; due_date: string } } }>(
    ctx.database,
    `select data from events where tenant_id = $1 and type = 'invoice.updated'`,
    [tenantId],
  )
  t.match(event!.data.object, { amount_total: 9_000, due_date: '2026-02-28', status: 'open' })

  const renamed = await postBulk(ctx, key, 'debtors', ndjson([debtorLine('D-1', { name: 'Dupont et Fils' })]))
  t.match(renamed.json().results, [{ status: 'updated' }])
  t.equal((await countEvents(ctx, tenantId))['debtor.updated'], 1)
})

t.test('the same external_ref twice in a file: applied in order', async (t) => {
  const { ctx, key } = await setup(t)
  await postBulk(ctx, key, 'debtors', ndjson([debtorLine('D-1')]))
  const res = await postBulk(ctx, key, 'invoices', ndjson([invoiceLine('I-1', 'D-1'), invoiceLine('I-1', 'D-1', { amount_total: 500 })]))
  t.match(res.json().results, [{ status: 'created' }, { status: 'updated' }])
  const invoice = await ctx.inject({ method: 'GET', url: `/v1/invoices/${res.json().results[0].id}`, headers: bearer(key) })
  t.equal(invoice.json().amount_total, 500)
})

t.test('a JSON array works like NDJSON, line n being element n', async (t) => {
  const { ctx, key } = await setup(t)
  const res = await ctx.inject({
    method: 'POST',
    url: '/v1/debtors/bulk',
    headers: bearer(key),
    payload: [debtorLine('D-1'), debtorLine('D-2', { country: 'XX' })],
  })
  t.equal(res.statusCode, 200)
  t.match(res.json(), { created: 1, rejected: 1, results: [{ line: 1 }, { line: 2, errors: [{ path: 'country' }] }] })
})

t.test('a large file runs as an import job with progress, readable until it completes', async (t) => {
  const { ctx, tenantId, key } = await setup(t)
  await postBulk(ctx, key, 'debtors', ndjson([debtorLine('D-1')]))
  const lines = Array.from({ length: 120 }, (_, i) => (i % 40 === 7 ? invoiceLine(`I-${i}`, 'D-404') : invoiceLine(`I-${i}`, 'D-1')))
  const res = await postBulk(ctx, key, 'invoices', ndjson(lines), { 'idempotency-key': 'import-1' })
  t.equal(res.statusCode, 202, 'above 50 lines: an import job')
  const started = res.json()
  t.match(started, { object: 'import', id: /^imp_/, kind: 'invoices', status: 'running', lines_total: 120 })
  t.equal(res.headers.location, `/v1/imports/${started.id}`)

  const done = await waitForImport(ctx, key, started.id)
  t.match(done, { status: 'succeeded', lines_total: 120, lines_done: 120, created: 117, rejected: 3, updated: 0, unchanged: 0 })
  t.same(done.errors.map((e: { line: number }) => e.line), [8, 48, 88])
  t.match(done.errors[0], { external_ref: 'I-7', errors: [{ path: 'debtor_external_ref' }] })
  t.ok(done.finished_at)
  const [count] = await systemQuery<{ n: number }>(ctx.database, 'select count(*)::int as n from invoices where tenant_id = $1', [tenantId])
  t.equal(count!.n, 117)

  const replay = await postBulk(ctx, key, 'invoices', ndjson(lines), { 'idempotency-key': 'import-1' })
  t.equal(replay.statusCode, 202)
  t.equal(replay.headers['idempotent-replayed'], 'true')
  t.equal(replay.json().id, started.id, 'the stored 202 comes back; no second import')

  const small = await postBulk(ctx, key, 'invoices', ndjson(lines.slice(0, 3)), { prefer: 'respond-async' })
  t.equal(small.statusCode, 202, 'Prefer: respond-async makes even a small file a job')
  t.equal(small.headers['preference-applied'], 'respond-async')
  t.match(await waitForImport(ctx, key, small.json().id), { status: 'succeeded', unchanged: 3 })

  const list = await ctx.inject({ method: 'GET', url: '/v1/imports?limit=1', headers: bearer(key) })
  t.match(list.json(), { object: 'list', has_more: true, data: [{ id: small.json().id }] })
  const next = await ctx.inject({ method: 'GET', url: `/v1/imports?limit=1&starting_after=${small.json().id}`, headers: bearer(key) })
  t.match(next.json(), { has_more: false, data: [{ id: started.id }] })
})

t.test("another tenant's debtors and imports are out of reach", async (t) => {
  const { ctx, key } = await setup(t)
  const other = await createTenant(ctx, { name: 'Other SAS', mode: 'sandbox' })
  await postBulk(ctx, other.key, 'debtors', ndjson([debtorLine('THEIRS')]))
  const res = await postBulk(ctx, key, 'invoices', ndjson([invoiceLine('I-1', 'THEIRS')]))
  t.match(res.json().results, [{ status: 'rejected', errors: [{ path: 'debtor_external_ref', message: 'No such debtor' }] }])
  const theirImport = await postBulk(ctx, other.key, 'debtors', ndjson([debtorLine('THEIRS')]), { prefer: 'respond-async' })
  await waitForImport(ctx, other.key, theirImport.json().id)
  const peek = await ctx.inject({ method: 'GET', url: `/v1/imports/${theirImport.json().id}`, headers: bearer(key) })
  t.equal(peek.statusCode, 404)
})

t.test('payments in bulk: allocated oldest-first, immutable by external_ref', async (t) => {
  const { ctx, tenantId, key } = await setup(t)
  await postBulk(ctx, key, 'debtors', ndjson([debtorLine('D-1')]))
  const invoices = await postBulk(
    ctx,
    key,
    'invoices',
    ndjson([invoiceLine('I-late', 'D-1', { due_date: '2026-03-31' }), invoiceLine('I-old', 'D-1', { due_date: '2026-01-15' })]),
  )
  const [late, old] = invoices.json().results.map((r: { id: string }) => r.id)
  const pay = (ref: string, fields: Record<string, unknown> = {}) => ({
    debtor_external_ref: 'D-1',
    amount: 15_000,
    currency: 'EUR',
    received_on: '2026-02-01',
    external_ref: ref,
    ...fields,
  })
  const file = [pay('P-1'), pay('P-2', { debtor_external_ref: 'D-404' }), pay('P-3', { amount: 1_000, allocations: [{ invoice_id: old, amount: 5_000 }] })]
  const res = await postBulk(ctx, key, 'payments', ndjson(file))
  t.match(res.json(), { created: 1, rejected: 2 })
  t.match(res.json().results, [
    { line: 1, status: 'created', id: /^pay_/ },
    { line: 2, status: 'rejected', errors: [{ path: 'debtor_external_ref' }] },
    { line: 3, status: 'rejected', errors: [{ path: 'allocations' }] },
  ])
  const invoice = (id: string) => ctx.inject({ method: 'GET', url: `/v1/invoices/${id}`, headers: bearer(key) }).then((r) => r.json())
  t.match(await invoice(old), { status: 'paid', amount_paid: 12_000 }, 'the oldest due first')
  t.match(await invoice(late), { status: 'partially_paid', amount_paid: 3_000 })

  const rerun = await postBulk(ctx, key, 'payments', ndjson([pay('P-1'), pay('P-1', { amount: 99 })]))
  t.match(rerun.json().results, [
    { status: 'unchanged', id: res.json().results[0].id },
    { status: 'rejected', errors: [{ path: 'external_ref', message: /cannot be changed/ }] },
  ])
  t.match(await invoice(late), { amount_paid: 3_000 }, 'nothing applied twice')
  t.match(await countEvents(ctx, tenantId), { 'payment.created': 1, 'invoice.paid': 1, 'invoice.partially_paid': 1 })
})

t.test('an import job whose server died is failed with the reason, not left running forever', async (t) => {
  const { ctx, tenantId, key } = await setup(t)
  const { failStalledImports } = await import('../../src/modules/imports/stalled-imports.js')
  // What a crash leaves behind: a running job nobody advances any more.
  await systemQuery(
    ctx.database,
    `insert into imports (tenant_id, import_id, kind, status, lines_total, lines_done, created_at, updated_at)
     values ($1, 'imp_stalled', 'invoices', 'running', 100, 40, now() - interval '1 hour', now() - interval '30 minutes'),
            ($1, 'imp_alive', 'invoices', 'running', 100, 40, now() - interval '1 minute', now())`,
    [tenantId],
  )
  t.equal(await failStalledImports(ctx.database.db, 10), 1, 'only the one without progress for 10 minutes')
  const stalled = await ctx.inject({ method: 'GET', url: '/v1/imports/imp_stalled', headers: bearer(key) })
  t.match(stalled.json(), { status: 'failed', lines_done: 40, errors: [{ line: 0, errors: [{ message: /Interrupted.*Re-submit/ }] }] })
  t.ok(stalled.json().finished_at)
  const alive = await ctx.inject({ method: 'GET', url: '/v1/imports/imp_alive', headers: bearer(key) })
  t.equal(alive.json().status, 'running', 'a job still progressing is left alone')
})
