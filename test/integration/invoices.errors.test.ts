import t from 'tap'
import { insertDebtor } from '../factories.js'
import { bearer, buildTestApp, createTenant } from '../helper.js'

t.test('bad invoices are refused with the field named, and nothing is stored', async (t) => {
  const ctx = await buildTestApp(t)
  const { tenantId, key } = await createTenant(ctx)
  const debtorId = await insertDebtor(ctx, tenantId)
  const base = { debtor_id: debtorId, number: 'E-1', currency: 'EUR', amount_total: 1_000, issue_date: '2026-01-01', due_date: '2026-01-31' }
  const cases: [Record<string, unknown>, string, number][] = [
    [{ amount_total: 10.5 }, 'body.amount_total', 400],
    [{ amount_total: -1 }, 'body.amount_total', 400],
    [{ amount_total: 2 ** 60 }, 'body.amount_total', 400],
    [{ amount_total: '1000' }, 'body.amount_total', 400],
    [{ currency: 'EURO' }, 'body.currency', 400],
    [{ currency: 'XYZ' }, 'body.currency', 400],
    [{ issue_date: '2026-02-30' }, 'body.issue_date', 400],
    [{ due_date: '31/01/2026' }, 'body.due_date', 400],
    [{ due_date: '2025-12-31' }, 'body.due_date', 400],
    [{ amount_tax: 200, amount_net: 900 }, 'body.amount_net', 400],
    [{ payment_link: 'javascript:alert(1)' }, 'body.payment_link', 400],
    [{ colour: 'red' }, 'body.colour', 400],
    [{ debtor_id: undefined }, 'body.debtor_id', 400],
    [{ debtor_id: 'dbt_unknown' }, 'body.debtor_id', 404],
  ]
  for (const [change, path, status] of cases) {
    const res = await ctx.inject({ method: 'POST', url: '/v1/invoices', headers: bearer(key), payload: { ...base, ...change } })
    t.equal(res.statusCode, status, `${JSON.stringify(change)} -> ${status}`)
    t.ok(
      res.json().errors?.some((e: { path: string }) => e.path === path),
      `${JSON.stringify(change)} names ${path}: ${res.body}`,
    )
  }
  const list = await ctx.inject({ method: 'GET', url: '/v1/invoices', headers: bearer(key) })
  t.same(list.json().data, [], 'nothing was stored')
  const dup1 = await ctx.inject({ method: 'POST', url: '/v1/invoices', headers: bearer(key), payload: { ...base, external_ref: 'x' } })
  t.equal(dup1.statusCode, 201)
  const dup2 = await ctx.inject({ method: 'POST', url: '/v1/invoices', headers: bearer(key), payload: { ...base, external_ref: 'x' } })
  t.equal(dup2.statusCode, 409)
})
