import t from 'tap'
import { buildTestApp, createTenant, systemQuery } from '../helper.js'
import { api, count, createScenario, definition, scenarioBody } from './scenario-fixtures.js'

t.test('create, read and list a scenario; the first one brings the shipped defaults with it', async (t) => {
  const ctx = await buildTestApp(t)
  const { tenantId, key } = await createTenant(ctx)
  const client = api(ctx, key)

  const created = await client.post('/v1/scenarios', scenarioBody({ external_ref: 'erp-gentle', metadata: { team: 'b2b' } }))
  t.equal(created.statusCode, 201)
  const scenario = created.json()
  t.match(scenario, {
    object: 'scenario',
    id: /^scn_[0-9a-z]{26}$/,
    name: 'Gentle',
    language: 'fr',
    version: 1,
    is_default: false,
    preset: null,
    archived_at: null,
    external_ref: 'erp-gentle',
    metadata: { team: 'b2b' },
  })
  t.same(scenario.definition.steps[0], {
    key: 'first',
    anchor: 'due_date',
    offset_days: 3,
    channels: [{ channel: 'email', template: 'reminder' }],
    conditions: {},
    business_days_only: true,
  }, 'stored with every default spelled out')
  t.match(scenario.definition.send_policy, { window_start: '09:00', window_end: '18:00', weekdays: [1, 2, 3, 4, 5] })

  const read = await client.get(`/v1/scenarios/${scenario.id}`)
  t.equal(read.statusCode, 200)
  t.same(read.json(), scenario)
  t.match(read.headers.etag, /^"[0-9a-f]{32}"$/)

  const list = (await client.get('/v1/scenarios')).json()
  t.same(list.data.map((s: { preset: string | null }) => s.preset), [null, 'standard_en', 'standard_fr'], 'newest first')
  const french = list.data.find((s: { preset: string }) => s.preset === 'standard_fr')
  t.equal(french.is_default, true, "the tenant's own scenario does not silently become everyone's")
  t.same((await client.get('/v1/scenarios?is_default=true')).json().data.map((s: { id: string }) => s.id), [french.id])
  t.same((await client.get('/v1/scenarios?external_ref=erp-gentle')).json().data.map((s: { id: string }) => s.id), [scenario.id])
  t.same((await client.get('/v1/scenarios?language=en')).json().data.map((s: { preset: string }) => s.preset), ['standard_en'])
  const firstPage = (await client.get('/v1/scenarios?limit=2')).json()
  t.equal(firstPage.has_more, true)
  const rest = (await client.get(`/v1/scenarios?limit=2&starting_after=${firstPage.data[1].id}`)).json()
  t.same(rest.data.map((s: { id: string }) => s.id), [french.id])
  t.equal(await count(ctx, 'select count(*) as n from scenarios where tenant_id = $1', [tenantId]), 3)
})

t.test('editing the definition adds a version; the old one stays readable and unchanged', async (t) => {
  const ctx = await buildTestApp(t)
  const { tenantId, key } = await createTenant(ctx)
  const client = api(ctx, key)
  const scenario = await createScenario(ctx, key, { is_default: true })
  const v1 = (await client.get(`/v1/scenarios/${scenario.id}/versions/1`)).json()

  const etag = (await client.get(`/v1/scenarios/${scenario.id}`)).headers.etag as string
  const edited = await client.patch(`/v1/scenarios/${scenario.id}`, { definition: definition([5, 20], 'firm') }, { 'if-match': etag })
  t.equal(edited.statusCode, 200)
  t.match(edited.json(), { version: 2, definition: { steps: [{ offset_days: 5 }, { offset_days: 20 }] } })
  t.not(edited.headers.etag, etag)

  const stale = await client.patch(`/v1/scenarios/${scenario.id}`, { name: 'Too late' }, { 'if-match': etag })
  t.equal(stale.statusCode, 412)
  t.equal(stale.json().code, 'precondition_failed')
  const fresh = await client.patch(`/v1/scenarios/${scenario.id}`, { name: 'Firm', metadata: { a: 'b' } }, {
    'if-match': edited.headers.etag as string,
  })
  t.equal(fresh.statusCode, 200, 'the ETag of a PATCH answer is the one a GET gives')
  t.match(fresh.json(), { name: 'Firm', version: 2, metadata: { a: 'b' } }, 'name and metadata add no version')
  t.equal(fresh.headers.etag, (await client.get(`/v1/scenarios/${scenario.id}`)).headers.etag)

  const same = await client.patch(`/v1/scenarios/${scenario.id}`, { definition: definition([5, 20], 'firm') })
  t.equal(same.json().version, 2, 'an identical definition adds no version')

  const old = await client.get(`/v1/scenarios/${scenario.id}/versions/1`)
  t.equal(old.statusCode, 200)
  t.same(old.json(), v1, 'version 1 is as it was')
  t.match(old.json(), { object: 'scenario_version', scenario_id: scenario.id, version: 1, definition: { steps: [{ offset_days: 3 }] } })
  const versions = (await client.get(`/v1/scenarios/${scenario.id}/versions`)).json()
  t.same(versions.data.map((v: { version: number }) => v.version), [2, 1])
  const page = (await client.get(`/v1/scenarios/${scenario.id}/versions?limit=1&starting_after=2`)).json()
  t.same([page.data.map((v: { version: number }) => v.version), page.has_more], [[1], false])
  t.equal((await client.get(`/v1/scenarios/${scenario.id}/versions/3`)).statusCode, 404)
  t.equal(await count(ctx, 'select count(*) as n from scenario_versions where tenant_id = $1', [tenantId]), 2)
})

t.test('exactly one default per tenant: setting is_default moves it', async (t) => {
  const ctx = await buildTestApp(t)
  const { tenantId, key } = await createTenant(ctx)
  const client = api(ctx, key)
  const a = await createScenario(ctx, key, { name: 'A', is_default: true })
  t.equal(a.is_default, true)
  t.equal(await count(ctx, 'select count(*) as n from scenarios where tenant_id = $1', [tenantId]), 1, 'no defaults seeded: A is one')
  const b = await createScenario(ctx, key, { name: 'B', is_default: true })
  const defaults = async () =>
    (await systemQuery<{ scenario_id: string }>(ctx.database, 'select scenario_id from scenarios where tenant_id = $1 and is_default', [tenantId])).map(
      (r) => r.scenario_id,
    )
  t.same(await defaults(), [b.id])
  t.equal((await client.get(`/v1/scenarios/${a.id}`)).json().is_default, false)

  const moved = await client.patch(`/v1/scenarios/${a.id}`, { is_default: true })
  t.equal(moved.json().is_default, true)
  t.same(await defaults(), [a.id])

  const unset = await client.patch(`/v1/scenarios/${a.id}`, { is_default: false })
  t.equal(unset.statusCode, 422)
  t.match(unset.json().errors, [{ path: 'body.is_default' }])
  const archive = await client.post(`/v1/scenarios/${a.id}/archive`)
  t.equal(archive.statusCode, 422, 'the default cannot be archived')
  t.same(await defaults(), [a.id])
  const noop = await client.patch(`/v1/scenarios/${b.id}`, { is_default: false })
  t.equal(noop.statusCode, 200, 'false on a scenario that is not the default changes nothing')

  // Two writers moving the default at once end with one default, not an error.
  const race = await Promise.all([client.patch(`/v1/scenarios/${b.id}`, { is_default: true }), createScenario(ctx, key, { name: 'C', is_default: true })])
  t.equal(race[0].statusCode, 200)
  t.equal((await defaults()).length, 1)
})

t.test('POST /v1/scenarios/defaults seeds the French and English defaults once', async (t) => {
  const ctx = await buildTestApp(t)
  const { tenantId, key } = await createTenant(ctx)
  const client = api(ctx, key)
  const first = await client.post('/v1/scenarios/defaults')
  t.equal(first.statusCode, 200)
  const [fr, en] = first.json().data
  t.match(fr, { preset: 'standard_fr', language: 'fr', is_default: true, version: 1, name: 'Relance standard' })
  t.match(en, { preset: 'standard_en', language: 'en', is_default: false })
  const steps = fr.definition.steps as { key: string; offset_days: number; channels: { channel: string; requires_lre_consent?: boolean }[] }[]
  t.same(steps.map((s) => s.offset_days), [-5, 1, 10, 15, 25, 35, 15])
  t.equal((steps[6] as { anchor?: string }).anchor, 'previous_step', 'litigation: 15 days after the formal notice, +50 when nothing slipped')
  t.same(steps.map((s) => s.channels[0]!.channel), ['email', 'email', 'email', 'call_task', 'letter', 'registered_email', 'litigation_handoff'])
  t.same(steps[5]!.channels.map((c) => [c.channel, c.requires_lre_consent ?? false]), [['registered_email', true], ['registered_letter', false]])

  const again = await client.post('/v1/scenarios/defaults')
  t.same(again.json().data.map((s: { id: string }) => s.id), [fr.id, en.id], 'idempotent')
  await client.post(`/v1/scenarios/${en.id}/archive`)
  const third = (await client.post('/v1/scenarios/defaults')).json().data
  t.equal(third[1].id, en.id, 'an archived default is not seeded again')
  t.ok(third[1].archived_at)
  t.equal(await count(ctx, 'select count(*) as n from scenarios where tenant_id = $1', [tenantId]), 2)

  const edited = await client.patch(`/v1/scenarios/${fr.id}`, {
    definition: { ...fr.definition, steps: steps.map((s) => (s.key === 'call' ? { ...s, offset_days: 18 } : s)) },
  })
  t.equal(edited.json().version, 2, 'every offset is editable')
  t.equal(edited.json().definition.steps[3].offset_days, 18)

  const parallel = await createTenant(ctx, { name: 'Parallel', mode: 'sandbox' })
  const both = await Promise.all([1, 2].map(() => api(ctx, parallel.key).post('/v1/scenarios/defaults')))
  t.same(both.map((r) => r.statusCode), [200, 200])
  t.equal(await count(ctx, 'select count(*) as n from scenarios where tenant_id = $1', [parallel.tenantId]), 2, 'seeded once under a race')
})

t.test('archive: no new case starts on it, its rules must go first, it becomes read-only', async (t) => {
  const ctx = await buildTestApp(t)
  const { key } = await createTenant(ctx)
  const client = api(ctx, key)
  await createScenario(ctx, key, { name: 'Default', is_default: true })
  const old = await createScenario(ctx, key, { name: 'Old' })
  const rule = (await client.post('/v1/scenario-rules', { priority: 1, scenario_id: old.id })).json()

  const refused = await client.post(`/v1/scenarios/${old.id}/archive`)
  t.equal(refused.statusCode, 422)
  t.match(refused.json().detail, rule.id)
  t.equal((await client.delete(`/v1/scenario-rules/${rule.id}`)).statusCode, 200)

  const archived = await client.post(`/v1/scenarios/${old.id}/archive`)
  t.equal(archived.statusCode, 200)
  t.ok(Date.parse(archived.json().archived_at))
  const twice = await client.post(`/v1/scenarios/${old.id}/archive`)
  t.same(twice.json(), archived.json(), 'archiving twice changes nothing')
  t.equal((await client.patch(`/v1/scenarios/${old.id}`, { name: 'x' })).statusCode, 422)
  const assign = await client.post('/v1/scenario-rules', { priority: 1, scenario_id: old.id })
  t.equal(assign.statusCode, 422)
  t.match(assign.json().errors, [{ path: 'body.scenario_id' }])
  t.same((await client.get('/v1/scenarios?archived=true')).json().data.map((s: { id: string }) => s.id), [old.id])
  t.notOk((await client.get('/v1/scenarios?archived=false')).json().data.some((s: { id: string }) => s.id === old.id))
  t.equal((await client.get(`/v1/scenarios/${old.id}/versions/1`)).statusCode, 200, 'its versions stay readable')
})

t.test('GraphQL: create, read, list, update and archive through the same services', async (t) => {
  const ctx = await buildTestApp(t)
  const { key } = await createTenant(ctx)
  const client = api(ctx, key)
  const fields = 'id name language version definition isDefault archivedAt externalRef metadata'
  const created = await client.gql(`mutation($input: CreateScenarioInput!) { createScenario(input: $input) { ${fields} } }`, {
    input: { name: 'GQL', language: 'en', isDefault: true, definition: definition(), externalRef: 'g-1', metadata: { k: 'v' } },
  })
  t.notOk(created.json().errors, 'no GraphQL errors')
  const scenario = created.json().data.createScenario
  t.match(scenario, { name: 'GQL', language: 'en', version: 1, isDefault: true, externalRef: 'g-1', metadata: { k: 'v' } })
  t.equal(scenario.definition.steps[1].channels[0].channel, 'letter')

  const other = (await client.gql(`mutation { createScenario(input: { name: "Other", definition: { steps: [{ key: "a", offset_days: 1, channels: [{ channel: "sms", template: "t" }] }] } }) { id } }`)).json().data.createScenario
  const updated = await client.gql(`mutation($id: ID!, $d: JSON) { updateScenario(id: $id, input: { definition: $d, name: "GQL 2" }) { version name definition } }`, {
    id: scenario.id,
    d: definition([7, 14]),
  })
  t.match(updated.json().data.updateScenario, { version: 2, name: 'GQL 2', definition: { steps: [{ offset_days: 7 }] } })
  const read = await client.gql(`query($id: ID!) { scenario(id: $id) { version } scenarios(first: 1) { edges { cursor node { id } } pageInfo { hasNextPage endCursor } } }`, { id: scenario.id })
  t.equal(read.json().data.scenario.version, 2)
  t.same(read.json().data.scenarios.edges.map((e: { node: { id: string } }) => e.node.id), [other.id])
  t.equal(read.json().data.scenarios.pageInfo.hasNextPage, true)
  const archived = await client.gql(`mutation($id: ID!) { archiveScenario(id: $id) { archivedAt } }`, { id: other.id })
  t.ok(archived.json().data.archiveScenario.archivedAt)
  const rest = (await client.get(`/v1/scenarios/${scenario.id}/versions`)).json()
  t.same(rest.data.map((v: { version: number }) => v.version), [2, 1], 'REST reads what GraphQL wrote')
})
