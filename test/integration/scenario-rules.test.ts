import t from 'tap'
import { withSystem, withTenant } from '../../src/db/client.js'
import { findDebtor } from '../../src/modules/debtors/debtors.repository.js'
import { resolveScenario, resolveScenarios, type ScenarioSubject } from '../../src/modules/scenarios/scenario-resolution.js'
import { loadScenarioVersions, versionKey } from '../../src/modules/scenarios/scenario-versions.service.js'
import { buildTestApp, countStatements, createTenant } from '../helper.js'
import { api, count, createScenario } from './scenario-fixtures.js'

t.test('assignment rules: create, list by priority, page, read, update, delete', async (t) => {
  const ctx = await buildTestApp(t)
  const { key } = await createTenant(ctx)
  const client = api(ctx, key)
  const s = await createScenario(ctx, key, { is_default: true })
  const post = (priority: number, conditions: Record<string, unknown> = {}) =>
    client.post('/v1/scenario-rules', { priority, scenario_id: s.id, conditions })
  const late = await post(50)
  t.equal(late.statusCode, 201)
  t.match(late.json(), { object: 'scenario_rule', id: /^srl_[0-9a-z]{26}$/, priority: 50, scenario_id: s.id, conditions: {} })
  const early = (await post(10, { segments: ['vip'], debtor_kinds: ['business'] })).json()
  const tie = (await post(50, { currency: 'EUR', min_amount: 100, max_amount: 1000 })).json()

  const list = (await client.get('/v1/scenario-rules')).json()
  t.same(list.data.map((r: { id: string }) => r.id), [early.id, late.json().id, tie.id], 'priority, then creation')
  const page1 = (await client.get('/v1/scenario-rules?limit=2')).json()
  t.equal(page1.has_more, true)
  const page2 = (await client.get(`/v1/scenario-rules?limit=2&starting_after=${page1.data[1].id}`)).json()
  t.same(page2.data.map((r: { id: string }) => r.id), [tie.id])

  const read = await client.get(`/v1/scenario-rules/${tie.id}`)
  t.same(read.json(), tie)
  const updated = await client.patch(`/v1/scenario-rules/${tie.id}`, { priority: 1 }, { 'if-match': read.headers.etag as string })
  t.equal(updated.statusCode, 200)
  t.equal((await client.patch(`/v1/scenario-rules/${tie.id}`, { priority: 2 }, { 'if-match': read.headers.etag as string })).statusCode, 412)
  t.equal((await client.get('/v1/scenario-rules')).json().data[0].id, tie.id)

  const deleted = await client.delete(`/v1/scenario-rules/${tie.id}`)
  t.same(deleted.json(), { object: 'scenario_rule', id: tie.id, deleted: true })
  t.equal((await client.get(`/v1/scenario-rules/${tie.id}`)).statusCode, 404)
  t.equal((await client.delete(`/v1/scenario-rules/${tie.id}`)).statusCode, 404)
  t.equal(await count(ctx, 'select count(*) as n from scenario_assignment_rules'), 2)
})

t.test('resolution: invoice override > debtor override > first matching rule > tenant default', async (t) => {
  const ctx = await buildTestApp(t)
  const { tenantId, key } = await createTenant(ctx)
  const client = api(ctx, key)
  const fallback = await createScenario(ctx, key, { name: 'Default', is_default: true })
  const vip = await createScenario(ctx, key, { name: 'VIP' })
  const big = await createScenario(ctx, key, { name: 'Big EUR' })
  const own = await createScenario(ctx, key, { name: "Debtor's own" })
  const invoiceOwn = await createScenario(ctx, key, { name: "Invoice's own" })
  const retired = await createScenario(ctx, key, { name: 'Retired' })
  await client.post(`/v1/scenarios/${retired.id}/archive`)
  await client.post('/v1/scenario-rules', { priority: 20, scenario_id: big.id, conditions: { currency: 'EUR', min_amount: 100_000 } })
  await client.post('/v1/scenario-rules', { priority: 10, scenario_id: vip.id, conditions: { segments: ['vip'], debtor_kinds: ['business'] } })

  // The debtor override comes from the debtor's own scenario_id column, as the engine reads it.
  const debtor = await client.post('/v1/debtors', { kind: 'business', name: 'Own SA', country: 'FR', segment: 'vip', scenario_id: own.id })
  const row = await withTenant(ctx.database.db, tenantId, (tx) => findDebtor(tx, tenantId, debtor.json().id))
  const withOwn = { scenarioId: row!.scenarioId, segment: row!.segment, kind: row!.kind }
  const plain = { scenarioId: null, segment: null, kind: 'business' as const }
  const cases: [string, ScenarioSubject, string, string][] = [
    ['invoice override beats the debtor', { invoiceScenarioId: invoiceOwn.id, debtor: withOwn, amount: 500_000, currency: 'EUR' }, invoiceOwn.id, 'invoice'],
    ['debtor override beats the rules', { debtor: withOwn, amount: 500_000, currency: 'EUR' }, own.id, 'debtor'],
    ['the lower priority rule first', { debtor: { ...plain, segment: 'vip' }, amount: 500_000, currency: 'EUR' }, vip.id, 'rule'],
    ['a consumer in vip misses that rule', { debtor: { ...plain, segment: 'vip', kind: 'consumer' }, amount: 500_000, currency: 'EUR' }, big.id, 'rule'],
    ['amount bound is inclusive', { debtor: plain, amount: 100_000, currency: 'EUR' }, big.id, 'rule'],
    ['below the bound: default', { debtor: plain, amount: 99_999, currency: 'EUR' }, fallback.id, 'default'],
    ['another currency: default', { debtor: plain, amount: 500_000, currency: 'GBP' }, fallback.id, 'default'],
    ['an archived override is passed over', { invoiceScenarioId: retired.id, debtor: { ...plain, scenarioId: retired.id }, amount: 1, currency: 'EUR' }, fallback.id, 'default'],
    ['an unknown override is passed over', { debtor: { ...plain, scenarioId: 'scn_nope', segment: 'vip' }, amount: 1, currency: 'EUR' }, vip.id, 'rule'],
  ]
  const results = await withTenant(ctx.database.db, tenantId, (tx) => resolveScenarios(tx, tenantId, cases.map((c) => c[1])))
  cases.forEach(([what, , scenarioId, source], i) => t.match(results[i], { scenarioId, source, version: 1 }, what))
  t.equal(results[2]!.definition.steps[0]!.channels[0]!.channel, 'email', 'with the parsed definition')

  await client.patch(`/v1/scenarios/${vip.id}`, { definition: { steps: [{ key: 'only', offset_days: 2, channels: [{ channel: 'sms', template: 's' }] }] } })
  const one = await withTenant(ctx.database.db, tenantId, (tx) => resolveScenario(tx, tenantId, cases[2]![1]))
  t.match(one, { scenarioId: vip.id, version: 2, definition: { steps: [{ key: 'only' }] } }, 'new cases start on the current version')

  // Running cases read the version they started on, across tenants, in one statement.
  const refs = [1, 2, 3].map((version) => ({ tenantId, scenarioId: vip.id, version }))
  const loaded = await withSystem(ctx.database.db, (tx) => loadScenarioVersions(tx, [...refs, ...refs]))
  t.same([...loaded.keys()].sort(), [versionKey(refs[0]!), versionKey(refs[1]!)], 'version 3 does not exist')
  t.equal(loaded.get(versionKey(refs[0]!))!.steps[0]!.key, 'first', 'version 1 as it was')
  t.equal(loaded.get(versionKey(refs[1]!))!.steps[0]!.key, 'only')
})

t.test('a tenant without scenarios gets the defaults seeded on first resolution', async (t) => {
  const ctx = await buildTestApp(t)
  const { tenantId } = await createTenant(ctx)
  const subject: ScenarioSubject = { debtor: { scenarioId: null, segment: null, kind: 'consumer' }, amount: 100, currency: 'EUR' }
  const first = await withTenant(ctx.database.db, tenantId, (tx) => resolveScenario(tx, tenantId, subject))
  t.match(first, { source: 'default', version: 1 })
  t.same(first.definition.steps.map((s) => s.offset_days), [-5, 1, 10, 15, 25, 35, 15], "litigation counts from the formal notice")
  const again = await withTenant(ctx.database.db, tenantId, (tx) => resolveScenario(tx, tenantId, subject))
  t.equal(again.scenarioId, first.scenarioId)
  t.equal(await count(ctx, 'select count(*) as n from scenarios where tenant_id = $1', [tenantId]), 2)
  t.equal(await count(ctx, `select count(*) as n from scenarios where tenant_id = $1 and is_default and preset = 'standard_fr'`, [tenantId]), 1)
})

t.test('resolveScenarios is set-based: the same statements for 1 or 200 invoices', async (t) => {
  const ctx = await buildTestApp(t)
  const { tenantId, key } = await createTenant(ctx)
  const s = await createScenario(ctx, key, { is_default: true })
  await api(ctx, key).post('/v1/scenario-rules', { priority: 1, scenario_id: s.id, conditions: { segments: ['x'] } })
  const subjects = (n: number): ScenarioSubject[] =>
    Array.from({ length: n }, (_, i) => ({ debtor: { scenarioId: i % 2 ? s.id : null, segment: `seg${i}`, kind: 'business' }, amount: i, currency: 'EUR' }))
  const run = (n: number) => countStatements(() => withTenant(ctx.database.db, tenantId, (tx) => resolveScenarios(tx, tenantId, subjects(n))))
  t.equal(await run(200), await run(1))
})
