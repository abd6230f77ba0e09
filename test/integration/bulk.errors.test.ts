import t from 'tap'
import { bearer, buildTestApp, createTenant, systemQuery } from '../helper.js'
import { debtorLine, ndjson, postBulk } from './bulk-fixtures.js'

t.test('malformed lines are rejected one by one; the others are stored', async (t) => {
  const ctx = await buildTestApp(t)
  const { tenantId, key } = await createTenant(ctx)
  const long = JSON.stringify(debtorLine('LONG', { name: 'x'.repeat(70_000) }))
  const body = [JSON.stringify(debtorLine('D-1')), '{"kind": "business", "name": ', '42', '[1, 2]', long, '\r', JSON.stringify(debtorLine('D-2'))].join('\r\n')
  const res = await postBulk(ctx, key, 'debtors', body)
  t.equal(res.statusCode, 200)
  t.match(res.json(), { created: 2, rejected: 4 })
  t.match(res.json().results, [
    { line: 1, status: 'created' },
    { line: 2, status: 'rejected', external_ref: null, errors: [{ path: 'line', message: /Not valid JSON/ }] },
    { line: 3, status: 'rejected', errors: [{ path: 'line' }] },
    { line: 4, status: 'rejected', errors: [{ path: 'line' }] },
    { line: 5, status: 'rejected', errors: [{ path: 'line', message: /Longer than/ }] },
    { line: 7, status: 'created', external_ref: 'D-2' },
  ])
  const rows = await systemQuery<{ external_ref: string }>(ctx.database, 'select external_ref from debtors where tenant_id = $1 order by 1', [tenantId])
  t.same(rows.map((r) => r.external_ref), ['D-1', 'D-2'])
})

t.test('bodies that are not a list of lines are refused as a whole', async (t) => {
  const ctx = await buildTestApp(t)
  const { key } = await createTenant(ctx)
  const post = (payload: string, type: string) =>
    ctx.inject({ method: 'POST', url: '/v1/invoices/bulk', headers: { ...bearer(key), 'content-type': type }, payload })

  const object = await post('{"number": "F-1"}', 'application/json')
  t.equal(object.statusCode, 400)
  t.equal(object.headers['content-type'], 'application/problem+json; charset=utf-8')
  t.match(object.json(), { code: 'validation_failed', errors: [{ path: 'body', message: 'Must be an array' }] })

  const broken = await post('[{"number": ', 'application/json')
  t.equal(broken.statusCode, 400)
  t.equal(broken.json().code, 'malformed_json')

  const csv = await post('number,amount\nF-1,100\n', 'text/csv')
  t.equal(csv.statusCode, 415)
  t.equal(csv.json().code, 'unsupported_media_type')

  const empty = await post('', 'application/x-ndjson')
  t.match(empty.json(), { object: 'bulk_result', created: 0, rejected: 0, results: [] }, 'an empty file is an empty result')
})

t.test('a platform key must name its tenant; no key, no import', async (t) => {
  const ctx = await buildTestApp(t)
  const noTenant = await postBulk(ctx, ctx.platformKey, 'debtors', ndjson([debtorLine('D-1')]))
  t.equal(noTenant.statusCode, 400)
  t.equal(noTenant.json().errors[0].path, 'headers.relance-tenant')
  const anonymous = await ctx.inject({ method: 'POST', url: '/v1/debtors/bulk', headers: { 'content-type': 'application/x-ndjson' }, payload: '{}\n' })
  t.equal(anonymous.statusCode, 401)
  const unknown = await ctx.inject({ method: 'GET', url: '/v1/imports/imp_nope', headers: bearer(ctx.platformKey) })
  t.equal(unknown.statusCode, 400, 'a platform key without a tenant cannot read imports either')
})
