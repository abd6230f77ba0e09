import { newId } from '../src/shared/ids.js'
import { startAr24Simulator } from '../src/sandbox/ar24-simulator.js'
import { startPrintMailSimulator } from '../src/sandbox/print-mail-simulator.js'
import { bearer, buildTestApp, systemQuery, type TestApp } from './helper.js'

/** A debtor row for tests of other modules (the debtors API has its own tests). */
export async function insertDebtor(
  ctx: TestApp,
  tenantId: string,
  fields: { kind?: 'business' | 'consumer' | 'public_body'; name?: string; externalRef?: string } = {},
): Promise<string> {
  const debtorId = newId('debtor')
  await systemQuery(
    ctx.database,
    `insert into debtors (tenant_id, debtor_id, kind, name, country, language, timezone, external_ref)
     values ($1, $2, $3, $4, 'FR', 'fr', 'Europe/Paris', $5)`,
    [tenantId, debtorId, fields.kind ?? 'business', fields.name ?? 'Dupont SARL', fields.externalRef ?? null],
  )
  return debtorId
}

export async function postInvoice(ctx: TestApp, key: string, body: Record<string, unknown>) {
  const res = await ctx.inject({
    method: 'POST',
    url: '/v1/invoices',
    headers: bearer(key),
    payload: { currency: 'EUR', issue_date: '2026-01-01', due_date: '2026-01-31', ...body },
  })
  if (res.statusCode !== 201) throw new Error(`invoice creation failed: ${res.body}`)
  return res.json<{ id: string; status: string; amount_due: number }>()
}

export async function getInvoice(ctx: TestApp, key: string, id: string) {
  return (await ctx.inject({ method: 'GET', url: `/v1/invoices/${id}`, headers: bearer(key) })).json()
}

export async function eventsOf(ctx: TestApp, tenantId: string): Promise<{ type: string; object_id: string }[]> {
  return systemQuery(ctx.database, 'select type, object_id from events where tenant_id = $1 order by event_id', [tenantId])
}

/** POSTs JSON as the tenant's key and returns the body; any answer but a success throws with it. */
export function poster(ctx: TestApp, key: string) {
  return async (url: string, payload: Record<string, unknown>) => {
    const res = await ctx.inject({ method: 'POST', url, headers: bearer(key), payload })
    if (res.statusCode >= 300) throw new Error(`${url}: ${res.body}`)
    return res.json()
  }
}

/** A test app whose sandbox tenants send registered mail to the AR24 and print-mail simulators (their clocks frozen). */
export async function appWithSimulators(t: Parameters<typeof buildTestApp>[0], overrides: Record<string, string> = {}) {
  const ar24 = await startAr24Simulator({ timeScale: 0 })
  const printMail = await startPrintMailSimulator({ timeScale: 0 })
  t.teardown(() => Promise.all([ar24.close(), printMail.close()]))
  const ctx = await buildTestApp(t, {
    RELANCE_SANDBOX_AR24_URL: ar24.apiUrl,
    RELANCE_SANDBOX_PRINT_MAIL_API_URL: printMail.apiUrl,
    RELANCE_SANDBOX_PRINT_MAIL_AUTH_URL: printMail.authUrl,
    ...overrides,
  })
  return { ctx, ar24, printMail }
}
