import t from 'tap'
import { bearer, buildTestApp, countStatements, createTenant, type TestApp } from '../helper.js'

const gql = (ctx: TestApp, key: string, query: string, variables: Record<string, unknown> = {}) =>
  ctx.inject({ method: 'POST', url: '/graphql', headers: bearer(key), payload: { query, variables } })

const NESTED = `{ debtors(first: 20) { edges { node { id name invoices(first: 10) { edges { node {
  id number status amountDue debtor { id name } allocations { amount reversedAt } } } } } } } }`

t.test('GraphQL mutations and nested reads agree with REST, without a query per row', async (t) => {
  const ctx = await buildTestApp(t)
  const { key } = await createTenant(ctx)
  const debtor = (
    await ctx.inject({ method: 'POST', url: '/v1/debtors', headers: bearer(key), payload: { kind: 'business', name: 'Dupont SARL', country: 'FR' } })
  ).json()

  const created = await gql(
    ctx,
    key,
    `mutation($input: CreateInvoiceInput!) { createInvoice(input: $input) { id status amountTotal amountDue warnings { code } } }`,
    { input: { debtorId: debtor.id, number: 'G-1', currency: 'EUR', amountTotal: 10000, issueDate: '2026-01-01', dueDate: '2026-01-31' } },
  )
  t.notOk(created.json().errors, JSON.stringify(created.json().errors))
  const invoiceId = created.json().data.createInvoice.id
  t.match(created.json().data.createInvoice, { status: 'open', amountTotal: 10000, amountDue: 10000, warnings: [] })

  const paid = await gql(
    ctx,
    key,
    `mutation { createPayment(input: { debtorId: "${debtor.id}", amount: 4000, currency: "EUR", receivedOn: "2026-02-01" }) { id amountApplied allocations { invoiceId amount } } }`,
  )
  t.same(paid.json().data.createPayment.allocations, [{ invoiceId, amount: 4000 }])

  const rest = (await ctx.inject({ method: 'GET', url: `/v1/invoices/${invoiceId}`, headers: bearer(key) })).json()
  const viaGraphql = (await gql(ctx, key, `{ invoice(id: "${invoiceId}") { status amountPaid amountDue } }`)).json().data.invoice
  t.same(viaGraphql, { status: rest.status, amountPaid: rest.amount_paid, amountDue: rest.amount_due }, 'REST and GraphQL agree')
  t.equal(rest.status, 'partially_paid')

  const bad = await gql(
    ctx,
    key,
    `mutation { createInvoice(input: { debtorId: "${debtor.id}", number: "G-2", currency: "EUR", amountTotal: 10.5, issueDate: "2026-01-01", dueDate: "2026-01-31" }) { id } }`,
  )
  t.match(bad.json().errors[0].extensions, { code: 'validation_failed', errors: [{ path: 'input.amountTotal' }] })

  const nested = await gql(ctx, key, NESTED)
  t.notOk(nested.json().errors, JSON.stringify(nested.json().errors))
  const node = nested.json().data.debtors.edges[0].node
  t.match(node.invoices.edges[0].node, { number: 'G-1', status: 'partially_paid', amountDue: 6000, debtor: { name: 'Dupont SARL' }, allocations: [{ amount: 4000 }] })

  const small = await countStatements(() => gql(ctx, key, NESTED))
  for (let i = 0; i < 6; i++) {
    const d = (
      await ctx.inject({ method: 'POST', url: '/v1/debtors', headers: bearer(key), payload: { kind: 'consumer', name: `C${i}`, country: 'FR' } })
    ).json()
    for (const n of [1, 2]) {
      await ctx.inject({
        method: 'POST',
        url: '/v1/invoices',
        headers: bearer(key),
        payload: { debtor_id: d.id, number: `C${i}-${n}`, currency: 'EUR', amount_total: 100, issue_date: '2026-01-01', due_date: '2026-01-31' },
      })
    }
  }
  const large = await countStatements(() => gql(ctx, key, NESTED))
  t.equal(large, small, `the same statements for 1 debtor as for 7 (${small})`)
})
