import t from 'tap'
import { bearer, buildTestApp, createTenant } from '../helper.js'
import { countRows, createDebtor, michelin, postDebtor } from './debtors-fixtures.js'

const consumer = { kind: 'consumer', name: 'Jeanne Martin', country: 'FR' }
const address = { lines: ['12 rue de la Paix'], postcode: '75002', city: 'Paris', country: 'FR' }

// Each body is refused with a 400 naming the field; [body, path, message pattern].
const invalid: [string, Record<string, unknown>, string, RegExp][] = [
  ['SIREN check digit', { ...michelin, siret: undefined, vat_number: undefined, siren: '732829321' }, 'body.siren', /SIREN/],
  ['SIREN length', { ...consumer, siren: '73282932' }, 'body.siren', /9 digits/],
  ['SIRET check digit', { ...michelin, siret: '73282932000079' }, 'body.siret', /SIRET/],
  ['SIRET of La Poste not a multiple of 5', { ...consumer, siret: '35600000049838' }, 'body.siret', /SIRET/],
  ['VAT key', { ...michelin, vat_number: 'FR45732829320' }, 'body.vat_number', /key/],
  ['VAT outside the EU', { ...consumer, vat_number: 'US123456789' }, 'body.vat_number', /prefix/],
  ['VAT format', { ...consumer, vat_number: 'DE12345' }, 'body.vat_number', /format/],
  ['VAT of another company than the SIREN', { ...michelin, siret: undefined, vat_number: 'FR40303265045' }, 'body.vat_number', /732829320/],
  ['SIRET of another company than the SIREN', { ...michelin, vat_number: undefined, siret: '33243395200022' }, 'body.siret', /732829320/],
  ['SIRET of another company than the VAT number', { ...consumer, vat_number: 'FR44732829320', siret: '33243395200022' }, 'body.siret', /FR44732829320/],
  ['phone not E.164', { ...consumer, contacts: [{ phone: '06 12 34 56 78' }] }, 'body.contacts.0.phone', /E\.164/],
  ['email', { ...consumer, contacts: [{ name: 'ok' }, { email: 'not-an-email' }] }, 'body.contacts.1.email', /email/i],
  ['empty contact', { ...consumer, contacts: [{}] }, 'body.contacts.0', /at least one/],
  ['21 contacts', { ...consumer, contacts: Array.from({ length: 21 }, () => ({ name: 'x' })) }, 'body.contacts', /20/],
  ['unknown contact field', { ...consumer, contacts: [{ name: 'x', fax: '123' }] }, 'body.contacts.0.fax', /Unknown field/],
  ['time zone', { ...consumer, timezone: 'Europe/Atlantis' }, 'body.timezone', /time zone/],
  ['time zone offset', { ...consumer, timezone: '+01:00' }, 'body.timezone', /time zone/],
  ['country unknown', { ...consumer, country: 'ZZ' }, 'body.country', /Unknown/],
  ['country not a country', { ...consumer, country: 'EU' }, 'body.country', /Unknown/],
  ['country lower case', { ...consumer, country: 'fr' }, 'body.country', /capitals/],
  ['address country', { ...consumer, address: { ...address, country: 'XX' } }, 'body.address.country', /Unknown/],
  ['7 address lines', { ...consumer, address: { ...address, lines: ['1', '2', '3', '4', '5', '6', '7'] } }, 'body.address.lines', /6 lines/],
  ['address line of 39 characters', { ...consumer, address: { ...address, lines: ['x'.repeat(39)] } }, 'body.address.lines.0', /38/],
  ['address without lines', { ...consumer, address: { ...address, lines: [] } }, 'body.address.lines', /.+/],
  ['language', { ...consumer, language: 'xx' }, 'body.language', /ISO 639-1/],
  ['language of three letters', { ...consumer, language: 'fra' }, 'body.language', /two/],
  ['kind', { ...consumer, kind: 'robot' }, 'body.kind', /.+/],
  ['segment too long', { ...consumer, segment: 's'.repeat(51) }, 'body.segment', /.+/],
  ['consent date', { ...consumer, lre_consent: { on: '2026-02-30', means: 'x' } }, 'body.lre_consent.on', /calendar date/],
  ['consent without means', { ...consumer, lre_consent: { on: '2026-02-01' } }, 'body.lre_consent.means', /.+/],
  ['unknown field', { ...consumer, colour: 'blue' }, 'body.colour', /Unknown field/],
  ['missing name', { kind: 'consumer', country: 'FR' }, 'body.name', /.+/],
  ['missing country', { kind: 'consumer', name: 'x' }, 'body.country', /.+/],
  ['metadata value not a string', { ...consumer, metadata: { n: 1 } }, 'body.metadata.n', /.+/],
]

t.test('every invalid field is a 400 naming it, and nothing is stored', async (t) => {
  const ctx = await buildTestApp(t)
  const { key } = await createTenant(ctx)
  for (const [what, body, path, message] of invalid) {
    const res = await postDebtor(ctx, key, body)
    t.equal(res.statusCode, 400, what)
    t.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8', what)
    const problem = res.json()
    t.equal(problem.code, 'validation_failed', what)
    const error = problem.errors?.find((e: { path: string }) => e.path === path)
    t.ok(error, `${what}: an error names ${path} (got ${JSON.stringify(problem.errors)})`)
    if (error) t.match(error.message, message, what)
  }
  t.equal(await countRows(ctx, 'select count(*) as n from debtors'), 0, 'no debtor stored')
  t.equal(await countRows(ctx, `select count(*) as n from events where type like 'debtor.%'`), 0, 'no event written')
})

t.test('valid edge cases are accepted', async (t) => {
  const ctx = await buildTestApp(t)
  const { key } = await createTenant(ctx)
  const ok = [
    { ...consumer, siret: '35600000000048' },
    { ...consumer, siret: '35600000049837' },
    { ...consumer, vat_number: 'DE136695976', country: 'DE', timezone: 'Asia/Kolkata' },
    { ...consumer, address: { ...address, lines: ['1', '2', '3', '4', '5', 'x'.repeat(38)] }, timezone: 'UTC' },
    { ...consumer, contacts: Array.from({ length: 20 }, (_, i) => ({ phone: `+3361234567${i % 10}` })) },
  ]
  for (const body of ok) {
    const res = await postDebtor(ctx, key, body)
    t.equal(res.statusCode, 201, res.body)
  }
})

t.test('external_ref is unique per tenant: 409 on create and on update', async (t) => {
  const ctx = await buildTestApp(t)
  const { key } = await createTenant(ctx)
  const first = await createDebtor(ctx, key, { ...consumer, external_ref: 'crm-1' })
  const dup = await postDebtor(ctx, key, { ...consumer, name: 'Other', external_ref: 'crm-1' })
  t.equal(dup.statusCode, 409)
  t.match(dup.json(), { code: 'conflict', errors: [{ path: 'body.external_ref' }] })

  const second = await createDebtor(ctx, key, { ...consumer, external_ref: 'crm-2' })
  const patch = await ctx.inject({ method: 'PATCH', url: `/v1/debtors/${second.id}`, headers: bearer(key), payload: { external_ref: 'crm-1' } })
  t.equal(patch.statusCode, 409)
  t.equal((await ctx.inject({ method: 'GET', url: `/v1/debtors/${second.id}`, headers: bearer(key) })).json().external_ref, 'crm-2')
  t.equal(await countRows(ctx, 'select count(*) as n from debtors'), 2)
  t.equal(await countRows(ctx, `select count(*) as n from events where type = 'debtor.updated'`), 0)

  const other = await createTenant(ctx, { name: 'Other SAS', mode: 'sandbox' })
  const elsewhere = await postDebtor(ctx, other.key, { ...consumer, external_ref: 'crm-1' })
  t.equal(elsewhere.statusCode, 201, 'another tenant may use the same external_ref')
  t.ok(first.id)
})

t.test('PATCH: validation, identifiers that disagree with the stored ones, unknown debtor', async (t) => {
  const ctx = await buildTestApp(t)
  const { key } = await createTenant(ctx)
  const debtor = await createDebtor(ctx, key)
  const patch = (payload: Record<string, unknown>) =>
    ctx.inject({ method: 'PATCH', url: `/v1/debtors/${debtor.id}`, headers: bearer(key), payload })

  const conflicting = await patch({ siren: '303265045' })
  t.equal(conflicting.statusCode, 400)
  t.match(conflicting.json().errors, [{ path: 'body.vat_number', message: /303265045/ }], 'the stored VAT number names another company')
  const consistent = await patch({ siren: '303265045', siret: null, vat_number: 'FR40303265045' })
  t.equal(consistent.statusCode, 200, 'changing all of them together is fine')

  for (const [payload, path] of [
    [{ name: null }, 'body.name'],
    [{ kind: null }, 'body.kind'],
    [{ timezone: 'Mars/Olympus' }, 'body.timezone'],
    [{ address: { ...address, lines: Array(7).fill('x') } }, 'body.address.lines'],
    [{ id: 'dbt_x' }, 'body.id'],
    [{ balances: [] }, 'body.balances'],
  ] as const) {
    const res = await patch(payload)
    t.equal(res.statusCode, 400, path)
    t.match(res.json().errors, [{ path }], path)
  }
  const after = (await ctx.inject({ method: 'GET', url: `/v1/debtors/${debtor.id}`, headers: bearer(key) })).json()
  t.match(after, { siren: '303265045', vat_number: 'FR40303265045', siret: null, timezone: 'Europe/Paris' }, 'only the valid change applied')

  const missing = await ctx.inject({ method: 'PATCH', url: '/v1/debtors/dbt_nope', headers: bearer(key), payload: { name: 'x' } })
  t.equal(missing.statusCode, 404)
  t.equal(missing.json().code, 'not_found')
})

t.test('bad query parameters are 400s naming them', async (t) => {
  const ctx = await buildTestApp(t)
  const { key } = await createTenant(ctx)
  const debtor = await createDebtor(ctx, key)
  for (const [url, path] of [
    ['/v1/debtors?kind=robot', 'querystring.kind'],
    ['/v1/debtors?country=ZZ', 'querystring.country'],
    ['/v1/debtors?limit=101', 'querystring.limit'],
    ['/v1/debtors?colour=blue', 'querystring.colour'],
    [`/v1/debtors/${debtor.id}/statement?as_of=2026-02-30`, 'querystring.as_of'],
    [`/v1/debtors/${debtor.id}/statement?as_of=31/03/2026`, 'querystring.as_of'],
  ] as const) {
    const res = await ctx.inject({ method: 'GET', url, headers: bearer(key) })
    t.equal(res.statusCode, 400, url)
    t.match(res.json().errors, [{ path }], url)
  }
  const missing = await ctx.inject({ method: 'GET', url: '/v1/debtors/dbt_nope/statement', headers: bearer(key) })
  t.equal(missing.statusCode, 404)
})

t.test('GraphQL: the same checks, with paths in GraphQL names', async (t) => {
  const ctx = await buildTestApp(t)
  const { key } = await createTenant(ctx)
  const gql = (query: string, variables: Record<string, unknown>) =>
    ctx.inject({ method: 'POST', url: '/graphql', headers: bearer(key), payload: { query, variables } })
  const create = `mutation($input: CreateDebtorInput!) { createDebtor(input: $input) { id } }`
  const bad = await gql(create, {
    input: { kind: 'business', name: 'M', country: 'FR', siren: '732829320', vatNumber: 'FR45732829320', contacts: [{ phone: '0612' }] },
  })
  const error = bad.json().errors[0]
  t.equal(error.extensions.code, 'validation_failed')
  t.match(error.extensions.errors, [
    { path: 'input.vatNumber', message: /key/ },
    { path: 'input.contacts.0.phone', message: /E\.164/ },
  ])
  t.equal(await countRows(ctx, 'select count(*) as n from debtors'), 0)

  const created = (await gql(create, { input: { kind: 'business', name: 'M', country: 'FR', siren: '732829320' } })).json()
  const id = created.data.createDebtor.id
  const update = `mutation($id: ID!, $input: UpdateDebtorInput!) { updateDebtor(id: $id, input: $input) { id } }`
  const conflicting = (await gql(update, { id, input: { vatNumber: 'FR40303265045' } })).json()
  t.match(conflicting.errors[0].extensions, { code: 'validation_failed', errors: [{ path: 'input.vatNumber' }] }, 'service errors too')
  const unknownField = (await gql(update, { id, input: { colour: 'blue' } })).json()
  t.equal(unknownField.errors[0].extensions.code, 'validation_failed', 'GraphQL itself refuses unknown input fields')
})
