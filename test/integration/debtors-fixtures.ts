import { randomBytes } from 'node:crypto'
import { bearer, systemQuery, type TestApp } from '../helper.js'

/** A real company: Michelin (SIREN 732829320), its head office SIRET and VAT number. */
export const michelin = {
  kind: 'business',
  name: 'Manufacture Française des Pneumatiques Michelin',
  siren: '732829320',
  siret: '73282932000074',
  vat_number: 'FR44732829320',
  country: 'FR',
}

export async function postDebtor(ctx: TestApp, key: string, body: Record<string, unknown>) {
  return ctx.inject({ method: 'POST', url: '/v1/debtors', headers: bearer(key), payload: body })
}

export async function createDebtor(ctx: TestApp, key: string, body: Record<string, unknown> = michelin): Promise<{ id: string }> {
  const res = await postDebtor(ctx, key, body)
  if (res.statusCode !== 201) throw new Error(`debtor creation failed: ${res.body}`)
  return res.json()
}

const id = (prefix: string) => `${prefix}_${randomBytes(13).toString('hex')}`

export interface InvoiceFixture {
  currency?: string
  total: number
  paid?: number
  issue: string
  due: string
  status?: 'open' | 'partially_paid' | 'paid' | 'disputed' | 'cancelled' | 'written_off'
  paidAt?: string | null
  cancelledAt?: string | null
  number?: string
}

/** Writes an invoice straight to the table, to pin dates the API would not let a test choose. */
export async function insertInvoice(ctx: TestApp, tenantId: string, debtorId: string, inv: InvoiceFixture): Promise<string> {
  const invoiceId = id('inv')
  await systemQuery(
    ctx.database,
    `insert into invoices (tenant_id, invoice_id, debtor_id, number, currency, amount_total, amount_net, amount_paid,
       issue_date, due_date, status, paid_at, cancelled_at)
     values ($1, $2, $3, $4, $5, $6, $6, $7, $8, $9, $10, $11, $12)`,
    [
      tenantId,
      invoiceId,
      debtorId,
      inv.number ?? invoiceId,
      inv.currency ?? 'EUR',
      inv.total,
      inv.paid ?? 0,
      inv.issue,
      inv.due,
      inv.status ?? ((inv.paid ?? 0) > 0 ? 'partially_paid' : 'open'),
      inv.paidAt ?? null,
      inv.cancelledAt ?? null,
    ],
  )
  return invoiceId
}

/** A payment received on `receivedOn`, applied to one invoice (optionally reversed later). */
export async function insertPayment(
  ctx: TestApp,
  tenantId: string,
  debtorId: string,
  p: { invoiceId: string; amount: number; currency?: string; receivedOn: string; reversedAt?: string },
) {
  const paymentId = id('pay')
  await systemQuery(
    ctx.database,
    `insert into payments (tenant_id, payment_id, debtor_id, amount, amount_applied, currency, received_on)
     values ($1, $2, $3, $4, $4, $5, $6)`,
    [tenantId, paymentId, debtorId, p.amount, p.currency ?? 'EUR', p.receivedOn],
  )
  await systemQuery(
    ctx.database,
    `insert into allocations (tenant_id, allocation_id, invoice_id, payment_id, amount, reversed_at) values ($1, $2, $3, $4, $5, $6)`,
    [tenantId, id('alc'), p.invoiceId, paymentId, p.amount, p.reversedAt ?? null],
  )
}

export async function countRows(ctx: TestApp, sql: string, params: unknown[] = []): Promise<number> {
  const [row] = await systemQuery<{ n: string }>(ctx.database, sql, params)
  return Number(row?.n ?? 0)
}
