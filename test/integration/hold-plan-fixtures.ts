import { addDays, todayUtc } from '../../src/shared/dates.js'
import { newId } from '../../src/shared/ids.js'
import { bearer, systemQuery, type TestApp } from '../helper.js'

// Rows are inserted directly so these tests do not lean on the debtors, invoices and payments APIs.

export const today = todayUtc()
export const inDays = (days: number) => addDays(today, days)

export async function seedDebtor(ctx: TestApp, tenantId: string, name = 'Dupont SARL'): Promise<string> {
  const debtorId = newId('debtor')
  await systemQuery(
    ctx.database,
    `insert into debtors (tenant_id, debtor_id, kind, name, country, language, timezone)
     values ($1, $2, 'business', $3, 'FR', 'fr', 'Europe/Paris')`,
    [tenantId, debtorId, name],
  )
  return debtorId
}

export async function seedInvoice(
  ctx: TestApp,
  tenantId: string,
  debtorId: string,
  fields: { total?: number; paid?: number; credited?: number; currency?: string; status?: string } = {},
): Promise<string> {
  const invoiceId = newId('invoice')
  const total = fields.total ?? 10_000
  await systemQuery(
    ctx.database,
    `insert into invoices (tenant_id, invoice_id, debtor_id, number, currency, amount_total, amount_net,
       amount_paid, amount_credited, issue_date, due_date, status)
     values ($1, $2, $3, $4, $5, $6, $6, $7, $8, $9, $10, $11)`,
    [
      tenantId,
      invoiceId,
      debtorId,
      `F-${invoiceId.slice(-6)}`,
      fields.currency ?? 'EUR',
      total,
      fields.paid ?? 0,
      fields.credited ?? 0,
      addDays(today, -60),
      addDays(today, -30),
      fields.status ?? (fields.paid ? 'partially_paid' : 'open'),
    ],
  )
  return invoiceId
}

export async function seedPayment(
  ctx: TestApp,
  tenantId: string,
  debtorId: string,
  fields: { amount: number; receivedOn: string; currency?: string; reversed?: boolean },
): Promise<void> {
  await systemQuery(
    ctx.database,
    `insert into payments (tenant_id, payment_id, debtor_id, amount, currency, received_on, reversed_at)
     values ($1, $2, $3, $4, $5, $6, $7)`,
    [tenantId, newId('payment'), debtorId, fields.amount, fields.currency ?? 'EUR', fields.receivedOn, fields.reversed ? new Date() : null],
  )
}

/** What the payments side would do: money applied to an invoice. */
export async function applyToInvoice(ctx: TestApp, invoiceId: string, paid: number): Promise<void> {
  await systemQuery(ctx.database, 'update invoices set amount_paid = $2 where invoice_id = $1', [invoiceId, paid])
}

export async function invoiceStatus(ctx: TestApp, invoiceId: string): Promise<string> {
  const [row] = await systemQuery<{ status: string }>(ctx.database, 'select status from invoices where invoice_id = $1', [invoiceId])
  return row!.status
}

export async function eventsFor(ctx: TestApp, objectId: string) {
  return systemQuery<{ tenant_id: string; type: string; data: { object: Record<string, unknown> } }>(
    ctx.database,
    'select tenant_id, type, data from events where object_id = $1 order by created_at, event_id',
    [objectId],
  )
}

export async function count(ctx: TestApp, table: 'holds' | 'payment_plans' | 'payment_plan_instalments' | 'events'): Promise<number> {
  const [row] = await systemQuery<{ n: number }>(ctx.database, `select count(*)::int as n from ${table}`)
  return row!.n
}

export function api(ctx: TestApp, key: string) {
  return {
    post: (url: string, payload?: Record<string, unknown>) =>
      ctx.inject({ method: 'POST', url, headers: bearer(key), ...(payload ? { payload } : {}) }),
    get: (url: string) => ctx.inject({ method: 'GET', url, headers: bearer(key) }),
    graphql: (query: string, variables: Record<string, unknown> = {}) =>
      ctx.inject({ method: 'POST', url: '/graphql', headers: bearer(key), payload: { query, variables } }),
  }
}
