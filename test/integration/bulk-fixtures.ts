import { setTimeout as sleep } from 'node:timers/promises'
import { bearer, systemQuery, type TestApp } from '../helper.js'

export const ndjson = (lines: unknown[]) => lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n') + '\n'

export function postBulk(
  ctx: TestApp,
  key: string,
  kind: 'debtors' | 'invoices' | 'payments',
  body: string,
  headers: Record<string, string> = {},
) {
  return ctx.inject({
    method: 'POST',
    url: `/v1/${kind}/bulk`,
    headers: { ...bearer(key), 'content-type': 'application/x-ndjson', ...headers },
    payload: body,
  })
}

export const debtorLine = (ref: string, fields: Record<string, unknown> = {}) => ({
  kind: 'business',
  name: `Client ${ref}`,
  country: 'FR',
  external_ref: ref,
  ...fields,
})

export const invoiceLine = (ref: string, debtorRef: string, fields: Record<string, unknown> = {}) => ({
  debtor_external_ref: debtorRef,
  number: `F-${ref}`,
  currency: 'EUR',
  amount_total: 12_000,
  issue_date: '2026-01-01',
  due_date: '2026-01-31',
  external_ref: ref,
  ...fields,
})

export async function countEvents(ctx: TestApp, tenantId: string): Promise<Record<string, number>> {
  const rows = await systemQuery<{ type: string; n: number }>(
    ctx.database,
    'select type, count(*)::int as n from events where tenant_id = $1 group by type',
    [tenantId],
  )
  return Object.fromEntries(rows.map((r) => [r.type, r.n]))
}

/** Polls an import until it ends (or the test's patience does). */
export async function waitForImport(ctx: TestApp, key: string, id: string) {
  for (let i = 0; i < 200; i++) {
    const res = await ctx.inject({ method: 'GET', url: `/v1/imports/${id}`, headers: bearer(key) })
    const body = res.json()
    if (body.status === 'succeeded' || body.status === 'failed') return body
    await sleep(25)
  }
  throw new Error(`import ${id} did not finish`)
}
