import t from 'tap'
import { buildTestApp, createTenant } from '../helper.js'
import { api, count, createScenario, scenarioBody } from './scenario-fixtures.js'

const step = (fields: Record<string, unknown> = {}) => ({ key: 'a', offset_days: 1, channels: [{ channel: 'email', template: 't' }], ...fields })
const withDefinition = (d: Record<string, unknown>) => scenarioBody({ definition: d })

// [what, body, path named in errors[], message pattern]
const invalid: [string, Record<string, unknown>, string, RegExp][] = [
  ['duplicate step keys', withDefinition({ steps: [step(), step({ offset_days: 5 })] }), 'body.definition.steps', /unique/],
  ['bad channel', withDefinition({ steps: [step({ channels: [{ channel: 'pigeon', template: 't' }] })] }), 'body.definition.steps.0.channels.0.channel', /.+/],
  ['window time 25:00', withDefinition({ steps: [step()], send_policy: { window_start: '25:00' } }), 'body.definition.send_policy.window_start', /HH:MM/],
  ['window ending before it starts', withDefinition({ steps: [step()], send_policy: { window_start: '18:00', window_end: '09:00' } }), 'body.definition.send_policy.window_end', /after/],
  ['business days only on weekends only', withDefinition({ steps: [step()], send_policy: { weekdays: [6, 7] } }), 'body.definition.send_policy.weekdays', /weekday/],
  ['unknown field in a step', withDefinition({ steps: [step({ colour: 'red' })] }), 'body.definition.steps.0.colour', /Unknown field/],
  ['unknown field in the definition', withDefinition({ steps: [step()], retries: 3 }), 'body.definition.retries', /Unknown field/],
  ['unknown field in the body', scenarioBody({ colour: 'blue' }), 'body.colour', /Unknown field/],
  ['no steps', withDefinition({ steps: [] }), 'body.definition.steps', /.+/],
  ['decimal offset', withDefinition({ steps: [step({ offset_days: 1.5 })] }), 'body.definition.steps.0.offset_days', /.+/],
  ['step key with capitals', withDefinition({ steps: [step({ key: 'Call' })] }), 'body.definition.steps.0.key', /lowercase/],
  ['unknown debtor kind in a channel', withDefinition({ steps: [step({ channels: [{ channel: 'sms', template: 't', debtor_kinds: ['robot'] }] })] }), 'body.definition.steps.0.channels.0.debtor_kinds.0', /.+/],
  ['no definition', { name: 'x', language: 'fr' }, 'body.definition', /.+/],
  ['language', scenarioBody({ language: 'xx' }), 'body.language', /ISO 639-1/],
  ['empty name', scenarioBody({ name: ' ' }), 'body.name', /.+/],
]

t.test('invalid scenarios are a 400 naming the field, and nothing is stored', async (t) => {
  const ctx = await buildTestApp(t)
  const { key } = await createTenant(ctx)
  const client = api(ctx, key)
  for (const [what, body, path, message] of invalid) {
    const res = await client.post('/v1/scenarios', body)
    t.equal(res.statusCode, 400, what)
    t.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8', what)
    t.equal(res.json().code, 'validation_failed', what)
    const error = res.json().errors?.find((e: { path: string }) => e.path === path)
    t.ok(error, `${what}: an error names ${path} (got ${JSON.stringify(res.json().errors)})`)
    if (error) t.match(error.message, message, what)
  }
  t.equal(await count(ctx, 'select count(*) as n from scenarios'), 0, 'no scenario stored')
  t.equal(await count(ctx, 'select count(*) as n from scenario_versions'), 0, 'no version stored')
})

t.test('an invalid edit changes nothing: no version, same ETag', async (t) => {
  const ctx = await buildTestApp(t)
  const { key } = await createTenant(ctx)
  const client = api(ctx, key)
  const s = await createScenario(ctx, key, { is_default: true })
  const before = await client.get(`/v1/scenarios/${s.id}`)
  const res = await client.patch(`/v1/scenarios/${s.id}`, { name: 'Renamed', definition: { steps: [step({ channels: [] })] } })
  t.equal(res.statusCode, 400)
  t.match(res.json().errors, [{ path: 'body.definition.steps.0.channels' }])
  const after = await client.get(`/v1/scenarios/${s.id}`)
  t.same(after.json(), before.json())
  t.equal(after.headers.etag, before.headers.etag)
  t.equal(await count(ctx, 'select count(*) as n from scenario_versions'), 1)
})

t.test('invalid assignment rules are a 400 naming the field', async (t) => {
  const ctx = await buildTestApp(t)
  const { key } = await createTenant(ctx)
  const client = api(ctx, key)
  const s = await createScenario(ctx, key, { is_default: true })
  const cases: [string, Record<string, unknown>, string][] = [
    ['amount without currency', { min_amount: 100 }, 'body.conditions.currency'],
    ['min above max', { currency: 'EUR', min_amount: 200, max_amount: 100 }, 'body.conditions.max_amount'],
    ['decimal amount', { currency: 'EUR', min_amount: 1.5 }, 'body.conditions.min_amount'],
    ['unknown currency', { currency: 'XYZ' }, 'body.conditions.currency'],
    ['unknown kind', { debtor_kinds: ['robot'] }, 'body.conditions.debtor_kinds.0'],
    ['empty segments', { segments: [] }, 'body.conditions.segments'],
    ['unknown condition', { language: 'fr' }, 'body.conditions.language'],
  ]
  for (const [what, conditions, path] of cases) {
    const res = await client.post('/v1/scenario-rules', { priority: 1, scenario_id: s.id, conditions })
    t.equal(res.statusCode, 400, what)
    t.ok(res.json().errors?.some((e: { path: string }) => e.path === path), `${what}: names ${path} (got ${JSON.stringify(res.json().errors)})`)
  }
  const negative = await client.post('/v1/scenario-rules', { priority: -1, scenario_id: s.id })
  t.match(negative.json().errors, [{ path: 'body.priority' }])
  const missing = await client.post('/v1/scenario-rules', { priority: 1, scenario_id: 'scn_01m83wyam72rkkh7t5va87ex39' })
  t.equal(missing.statusCode, 404)
  t.match(missing.json().errors, [{ path: 'body.scenario_id', message: 'No such scenario' }])
  t.equal(await count(ctx, 'select count(*) as n from scenario_assignment_rules'), 0)
})

t.test('unknown ids, bad version numbers, duplicate external_ref, GraphQL input paths', async (t) => {
  const ctx = await buildTestApp(t)
  const { key } = await createTenant(ctx)
  const client = api(ctx, key)
  const s = await createScenario(ctx, key, { is_default: true, external_ref: 'same' })
  for (const url of ['/v1/scenarios/scn_nope', '/v1/scenarios/scn_nope/versions', '/v1/scenarios/scn_nope/versions/1', `/v1/scenarios/${s.id}/versions/2`]) {
    const res = await client.get(url)
    t.equal(res.statusCode, 404, url)
    t.equal(res.json().code, 'not_found', url)
  }
  const bad = await client.get(`/v1/scenarios/${s.id}/versions/first`)
  t.equal(bad.statusCode, 400)
  t.match(bad.json().errors, [{ path: /^params\.version/ }])
  t.equal((await client.post('/v1/scenarios/scn_nope/archive')).statusCode, 404)

  const dup = await client.post('/v1/scenarios', scenarioBody({ external_ref: 'same' }))
  t.equal(dup.statusCode, 409)
  t.match(dup.json().errors, [{ path: 'body.external_ref' }])
  t.equal(await count(ctx, 'select count(*) as n from scenario_versions'), 1, 'the refused one left no version behind')

  const gql = await client.gql(`mutation($input: CreateScenarioInput!) { createScenario(input: $input) { id } }`, {
    input: { name: 'x', definition: { steps: [{ key: 'a', offset_days: 1, channels: [{ channel: 'fax', template: 't' }] }] } },
  })
  const [error] = gql.json().errors
  t.equal(error.extensions.code, 'validation_failed')
  t.match(error.extensions.errors, [{ path: 'input.definition.steps.0.channels.0.channel' }])
  const gqlMissing = await client.gql(`mutation { archiveScenario(id: "scn_nope") { id } }`)
  t.equal(gqlMissing.json().errors[0].extensions.code, 'not_found')
  t.same((await client.get('/v1/scenarios')).json().data.map((x: { id: string }) => x.id), [s.id])
})
