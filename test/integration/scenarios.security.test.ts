import t from 'tap'
import { withTenant } from '../../src/db/client.js'
import { resolveScenario } from '../../src/modules/scenarios/scenario-resolution.js'
import { scenarios } from '../../src/modules/scenarios/scenarios.tables.js'
import { buildTestApp, createTenant, systemQuery } from '../helper.js'
import { api, createScenario } from './scenario-fixtures.js'

t.test("another tenant's scenario or rule is a 404 everywhere, exactly like a missing one", async (t) => {
  const ctx = await buildTestApp(t)
  const a = await createTenant(ctx, { name: 'A SAS', mode: 'sandbox' })
  const b = await createTenant(ctx, { name: 'B SAS', mode: 'sandbox' })
  const secret = await createScenario(ctx, a.key, { name: 'Secret', is_default: true, external_ref: 'a-1' })
  const asA = api(ctx, a.key)
  const rule = (await asA.post('/v1/scenario-rules', { priority: 1, scenario_id: secret.id })).json()
  const asB = api(ctx, b.key)
  const own = await createScenario(ctx, b.key, { name: 'Mine', is_default: true })
  const ownRule = (await asB.post('/v1/scenario-rules', { priority: 1, scenario_id: own.id })).json()

  const attempts = [
    await asB.get(`/v1/scenarios/${secret.id}`),
    await asB.patch(`/v1/scenarios/${secret.id}`, { name: 'Hijacked', is_default: true }),
    await asB.post(`/v1/scenarios/${secret.id}/archive`),
    await asB.get(`/v1/scenarios/${secret.id}/versions`),
    await asB.get(`/v1/scenarios/${secret.id}/versions/1`),
    await asB.get(`/v1/scenario-rules/${rule.id}`),
    await asB.patch(`/v1/scenario-rules/${rule.id}`, { priority: 99 }),
    await asB.delete(`/v1/scenario-rules/${rule.id}`),
  ]
  for (const [n, res] of attempts.entries()) {
    t.equal(res.statusCode, 404, `attempt ${n}`)
    t.equal(res.json().code, 'not_found')
    t.notOk(res.headers.etag, 'no ETag leaks either')
  }

  // Naming another tenant's scenario in a body is a 404 naming the field, and writes nothing.
  const steal = await asB.post('/v1/scenario-rules', { priority: 0, scenario_id: secret.id })
  t.equal(steal.statusCode, 404)
  t.match(steal.json().errors, [{ path: 'body.scenario_id', message: 'No such scenario' }])
  const redirect = await asB.patch(`/v1/scenario-rules/${ownRule.id}`, { scenario_id: secret.id })
  t.equal(redirect.statusCode, 404)
  t.match(redirect.json().errors, [{ path: 'body.scenario_id' }])
  t.equal((await asB.get(`/v1/scenario-rules/${ownRule.id}`)).json().scenario_id, own.id)

  for (const query of ['', '?is_default=true', '?starting_after=scn_zzzzzzzzzzzzzzzzzzzzzzzzzz']) {
    t.same((await asB.get(`/v1/scenarios${query}`)).json().data.map((s: { id: string }) => s.id), [own.id], `list${query}`)
  }
  t.same((await asB.get('/v1/scenarios?external_ref=a-1')).json().data, [])
  t.same((await asB.get(`/v1/scenario-rules?scenario_id=${secret.id}`)).json().data, [])
  t.same((await asB.get(`/v1/scenario-rules?starting_after=${rule.id}`)).json().data, [], "another tenant's rule is no cursor")

  const gql = await asB.gql(`query($id: ID!) { scenario(id: $id) { id } }`, { id: secret.id })
  t.equal(gql.json().errors[0].extensions.code, 'not_found')
  const update = await asB.gql(`mutation($id: ID!) { updateScenario(id: $id, input: { name: "x" }) { id } }`, { id: secret.id })
  t.equal(update.json().errors[0].extensions.code, 'not_found')
  const archive = await asB.gql(`mutation($id: ID!) { archiveScenario(id: $id) { id } }`, { id: secret.id })
  t.equal(archive.json().errors[0].extensions.code, 'not_found')

  // A debtor (or invoice) of B naming A's scenario does not run it: B's own default runs.
  const resolved = await withTenant(ctx.database.db, b.tenantId, (tx) =>
    resolveScenario(tx, b.tenantId, {
      invoiceScenarioId: secret.id,
      debtor: { scenarioId: secret.id, segment: null, kind: 'business' },
      amount: 1,
      currency: 'EUR',
    }),
  )
  t.match(resolved, { scenarioId: own.id, source: 'rule' })

  const [row] = await systemQuery<{ name: string; is_default: boolean; archived_at: Date | null }>(
    ctx.database,
    'select name, is_default, archived_at from scenarios where scenario_id = $1',
    [secret.id],
  )
  t.same(row, { name: 'Secret', is_default: true, archived_at: null }, 'nothing changed')
  t.equal((await asA.get(`/v1/scenario-rules/${rule.id}`)).json().priority, 1)
})

t.test('row-level security hides other tenants’ scenarios even from a query that forgets to filter', async (t) => {
  const ctx = await buildTestApp(t)
  const a = await createTenant(ctx, { name: 'A SAS', mode: 'sandbox' })
  const b = await createTenant(ctx, { name: 'B SAS', mode: 'sandbox' })
  await createScenario(ctx, a.key, { is_default: true })
  t.same(await withTenant(ctx.database.db, b.tenantId, (tx) => tx.select().from(scenarios)), [])
  const forged = withTenant(ctx.database.db, b.tenantId, (tx) =>
    tx.insert(scenarios).values({ tenantId: a.tenantId, scenarioId: 'scn_forged', name: 'x', language: 'fr' }),
  )
  await t.rejects(forged, 'cannot write a row for another tenant')
  for (const table of ['scenario_versions', 'scenario_assignment_rules']) {
    const seen = await withTenant(ctx.database.db, b.tenantId, (tx) => tx.execute(`select * from ${table}`))
    t.same(seen.rows, [], table)
  }
})
