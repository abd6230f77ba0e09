import t from 'tap'
import { bearer, buildTestApp, createTenant, systemQuery } from '../helper.js'
import { insertInvoice } from './debtors-fixtures.js'

const fields = `id kind name siren siret vatNumber country language timezone segment contacts { name email phone }
  address { lines postcode city country } lreConsent { on means } scenarioId balances { currency outstanding overdue }
  averageDaysLate lastContactAt externalRef metadata createdAt updatedAt`

t.test('GraphQL: create, read, list and update debtors through the same service as REST', async (t) => {
  const ctx = await buildTestApp(t)
  const { tenantId, key } = await createTenant(ctx)
  const gql = async (query: string, variables: Record<string, unknown> = {}) => {
    const res = await ctx.inject({ method: 'POST', url: '/graphql', headers: bearer(key), payload: { query, variables } })
    const body = res.json()
    t.notOk(body.errors, JSON.stringify(body.errors))
    return body.data
  }

  const { createDebtor: created } = await gql(
    `mutation($input: CreateDebtorInput!) { createDebtor(input: $input) { ${fields} } }`,
    {
      input: {
        kind: 'business',
        name: 'Michelin',
        country: 'FR',
        siren: '732 829 320',
        vatNumber: 'FR44732829320',
        segment: null,
        contacts: [{ name: 'Compta', email: 'compta@example.fr', phone: null }],
        address: { lines: ['23 place des Carmes-Déchaux'], postcode: '63000', city: 'Clermont-Ferrand', country: 'FR' },
        lreConsent: { on: '2026-01-15', means: 'terms' },
        externalRef: 'crm-1',
        metadata: { erp_code: 'C-1' },
      },
    },
  )
  t.match(created, {
    kind: 'business',
    siren: '732829320',
    vatNumber: 'FR44732829320',
    segment: null,
    language: 'fr',
    timezone: 'Europe/Paris',
    contacts: [{ name: 'Compta', email: 'compta@example.fr', phone: null }],
    lreConsent: { on: '2026-01-15', means: 'terms' },
    balances: [],
    averageDaysLate: null,
    lastContactAt: null,
    metadata: { erp_code: 'C-1' },
  })
  const rest = await ctx.inject({ method: 'GET', url: `/v1/debtors/${created.id}`, headers: bearer(key) })
  t.equal(rest.json().external_ref, 'crm-1', 'REST reads what GraphQL wrote')
  t.same(rest.json().metadata, { erp_code: 'C-1' }, 'metadata keys keep their spelling')
  const [event] = await systemQuery(ctx.database, `select type from events where object_id = $1`, [created.id])
  t.same(event, { type: 'debtor.created' }, 'GraphQL writes emit the same events')

  await insertInvoice(ctx, tenantId, created.id, { total: 5_000_000_000, issue: '2026-01-01', due: '2026-01-31' })
  const { debtor } = await gql(`query($id: ID!) { debtor(id: $id) { balances { currency outstanding overdue } } }`, { id: created.id })
  t.same(debtor.balances, [{ currency: 'EUR', outstanding: 5_000_000_000, overdue: 5_000_000_000 }], 'amounts beyond 32 bits')

  for (const name of ['C1', 'C2']) {
    await gql(`mutation($input: CreateDebtorInput!) { createDebtor(input: $input) { id } }`, {
      input: { kind: 'consumer', name, country: 'FR', segment: 'retail' },
    })
  }
  const page1 = (await gql(`{ debtors(first: 2) { edges { cursor node { name } } pageInfo { hasNextPage endCursor } } }`)).debtors
  t.same(page1.edges.map((e: { node: { name: string } }) => e.node.name), ['C2', 'C1'])
  t.equal(page1.pageInfo.hasNextPage, true)
  const page2 = (await gql(`query($after: String) { debtors(first: 2, after: $after) { edges { node { name } } pageInfo { hasNextPage } } }`, {
    after: page1.pageInfo.endCursor,
  })).debtors
  t.same(page2, { edges: [{ node: { name: 'Michelin' } }], pageInfo: { hasNextPage: false } })
  const business = (await gql(`{ debtors(kind: business) { edges { node { name } } } }`)).debtors
  t.same(business.edges, [{ node: { name: 'Michelin' } }])
  const retail = (await gql(`{ debtors(segment: "retail") { edges { node { name } } } }`)).debtors
  t.equal(retail.edges.length, 2)

  const { updateDebtor: updated } = await gql(
    `mutation($id: ID!, $input: UpdateDebtorInput!) { updateDebtor(id: $id, input: $input) { ${fields} } }`,
    { id: created.id, input: { name: 'Michelin SCA', vatNumber: null, lreConsent: null, language: 'en' } },
  )
  t.match(updated, { name: 'Michelin SCA', vatNumber: null, lreConsent: null, language: 'en', siren: '732829320', externalRef: 'crm-1' })
  t.equal(updated.balances.length, 1, 'an update answers the balances too')
})
