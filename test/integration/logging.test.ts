import t from 'tap'
import { insertDebtor } from '../factories.js'
import { bearer, buildTestApp, createTenant, systemQuery } from '../helper.js'

t.test('logs are JSON lines with request and tenant ids, and never hold a key or personal data', async (t) => {
  const lines: string[] = []
  const logStream = { write: (line: string) => void lines.push(line) }
  const ctx = await buildTestApp(t, { LOG_LEVEL: 'trace' }, { logStream })
  const { tenantId, key } = await createTenant(ctx)
  const debtorId = await insertDebtor(ctx, tenantId)

  await ctx.inject({ method: 'GET', url: '/v1/api-keys', headers: bearer(key) })
  // Make a query fail while it carries a personal value as a bind parameter.
  await systemQuery(ctx.database, 'alter table invoices add constraint no_secret_numbers check (number <> $$jean.dupont@example.fr$$)')
  const failed = await ctx.inject({
    method: 'POST',
    url: '/v1/invoices',
    headers: bearer(key),
    payload: { debtor_id: debtorId, number: 'jean.dupont@example.fr', currency: 'EUR', amount_total: 100, issue_date: '2026-01-01', due_date: '2026-01-02' },
  })
  t.equal(failed.statusCode, 500)

  const all = lines.join('')
  const parsed = lines.map((line) => JSON.parse(line) as Record<string, unknown>)
  t.ok(parsed.length > 3, 'one JSON object per line')
  t.notOk(all.includes(key), 'the API key never appears')
  t.notOk(all.includes(ctx.platformKey), 'nor the platform key')
  const errorLine = parsed.find((line) => line.level === 50)
  t.ok(errorLine, 'the failure is logged')
  t.equal(errorLine!.request_id, failed.json().request_id, 'with the request id the client got')
  t.equal(errorLine!.tenant_id, tenantId, 'and the tenant id')
  t.notOk(all.includes('jean.dupont'), 'the personal value in the failed query is not logged')
  t.match(JSON.stringify(errorLine), /params redacted/)
})
