import { and, asc, eq, inArray, isNull, sql } from 'drizzle-orm'
import type { Tx } from '../../db/client.js'
import { AppError, type FieldError } from '../../shared/errors.js'
import { newId } from '../../shared/ids.js'
import { refreshInvoiceStatus } from '../invoices/invoice-status.js'
import { lockInvoices, type InvoiceRecord } from '../invoices/invoices.repository.js'
import { refreshPaymentPlans } from '../payment-plans/plan-progress.service.js'
import { invoices } from '../invoices/invoices.tables.js'
import type { AllocationInput } from './payments.schema.js'
import { addApplied } from './payments.repository.js'
import { allocations } from './payments.tables.js'

export interface AllocationSource {
  kind: 'payment' | 'credit_note'
  id: string
  debtorId: string
  currency: string
  /** What is left of the payment or credit note to apply. */
  available: number
}

const due = (invoice: InvoiceRecord) => invoice.amountTotal - invoice.amountPaid - invoice.amountCredited
const COLLECTABLE = ['open', 'partially_paid'] as const

/** Oldest-first: what a debtor most likely meant to pay, and what dunning would chase first. */
async function oldestFirst(tx: Tx, tenantId: string, source: AllocationSource): Promise<string[]> {
  const rows = await tx
    .select({ id: invoices.invoiceId })
    .from(invoices)
    .where(
      and(
        eq(invoices.tenantId, tenantId),
        eq(invoices.debtorId, source.debtorId),
        eq(invoices.currency, source.currency),
        inArray(invoices.status, [...COLLECTABLE]),
      ),
    )
    .orderBy(asc(invoices.dueDate), asc(invoices.issueDate), asc(invoices.invoiceId))
  return rows.map((r) => r.id)
}

function checkExplicit(source: AllocationSource, wanted: AllocationInput[], locked: Map<string, InvoiceRecord>) {
  const errors: FieldError[] = []
  const seen = new Set<string>()
  wanted.forEach((line, i) => {
    const path = `body.allocations.${i}`
    const invoice = locked.get(line.invoice_id)
    if (seen.has(line.invoice_id)) errors.push({ path: `${path}.invoice_id`, message: 'Listed twice' })
    seen.add(line.invoice_id)
    if (!invoice || invoice.debtorId !== source.debtorId) {
      throw new AppError('not_found', `No invoice ${line.invoice_id} for this debtor`, [{ path: `${path}.invoice_id`, message: 'No such invoice for this debtor' }])
    }
    if (invoice.currency !== source.currency) {
      errors.push({ path: `${path}.invoice_id`, message: `Invoice is in ${invoice.currency}, not ${source.currency}` })
    } else if (invoice.cancelledAt || invoice.writtenOffAt) {
      errors.push({ path: `${path}.invoice_id`, message: `Invoice is ${invoice.status.replace('_', ' ')}` })
    } else if (line.amount > due(invoice)) {
      errors.push({ path: `${path}.amount`, message: `Exceeds the ${due(invoice)} left to pay on this invoice` })
    }
  })
  const total = wanted.reduce((sum, line) => sum + line.amount, 0)
  if (total > source.available) {
    errors.push({ path: 'body.allocations', message: `Total ${total} exceeds the ${source.available} available` })
  }
  if (errors.length) throw new AppError('unprocessable', errors.map((e) => `${e.path}: ${e.message}`).join('; '), errors)
}

/**
 * Applies a payment or credit note to invoices, explicitly or oldest-first, in the caller's
 * transaction: allocation rows, invoice balances (one statement), statuses and their events.
 * Returns the amount applied; the rest stays unapplied credit.
 */
async function allocate(
  tx: Tx,
  tenantId: string,
  source: AllocationSource,
  explicit: AllocationInput[] | undefined,
): Promise<number> {
  const ids = explicit ? explicit.map((line) => line.invoice_id) : await oldestFirst(tx, tenantId, source)
  const locked = new Map((await lockInvoices(tx, tenantId, ids)).map((inv) => [inv.invoiceId, inv]))
  let plan: { invoiceId: string; amount: number }[]
  if (explicit) {
    checkExplicit(source, explicit, locked)
    plan = explicit.map((line) => ({ invoiceId: line.invoice_id, amount: line.amount }))
  } else {
    plan = []
    let left = source.available
    for (const id of ids) {
      const invoice = locked.get(id)
      if (!invoice || left <= 0 || !COLLECTABLE.includes(invoice.status as (typeof COLLECTABLE)[number])) continue
      const amount = Math.min(left, due(invoice))
      if (amount > 0) plan.push({ invoiceId: id, amount })
      left -= amount
    }
  }
  if (!plan.length) return 0
  const now = Date.now()
  await tx.insert(allocations).values(
    plan.map((p) => ({
      tenantId,
      allocationId: newId('allocation', now),
      invoiceId: p.invoiceId,
      paymentId: source.kind === 'payment' ? source.id : null,
      creditNoteId: source.kind === 'credit_note' ? source.id : null,
      amount: p.amount,
    })),
  )
  await shiftInvoiceBalances(tx, tenantId, source.kind, plan)
  await afterBalanceChange(tx, tenantId, plan.map((p) => p.invoiceId))
  return plan.reduce((sum, p) => sum + p.amount, 0)
}

/** Applies a payment or credit note and records on it how much was applied. */
export async function applyToInvoices(tx: Tx, tenantId: string, source: AllocationSource, explicit: AllocationInput[] | undefined) {
  const applied = await allocate(tx, tenantId, source, explicit)
  if (applied) await addApplied(tx, tenantId, source.kind, source.id, applied)
}

/** Adds (or with negative amounts removes) applied money on many invoices in one statement. */
export async function shiftInvoiceBalances(
  tx: Tx,
  tenantId: string,
  kind: 'payment' | 'credit_note',
  changes: { invoiceId: string; amount: number }[],
) {
  const column = kind === 'payment' ? sql.raw('amount_paid') : sql.raw('amount_credited')
  await tx.execute(sql`
    update invoices i set ${column} = i.${column} + v.amount, updated_at = now()
    from (select unnest(${sql.param(changes.map((c) => c.invoiceId))}::text[]) as invoice_id,
                 unnest(${sql.param(changes.map((c) => c.amount))}::bigint[]) as amount) v
    where i.tenant_id = ${tenantId} and i.invoice_id = v.invoice_id`)
}

/** Ends every live allocation of a payment (bounced, charged back): the invoices owe it again. */
export async function reverseAllocations(tx: Tx, tenantId: string, paymentId: string): Promise<void> {
  const ended = await tx
    .update(allocations)
    .set({ reversedAt: new Date() })
    .where(and(eq(allocations.tenantId, tenantId), eq(allocations.paymentId, paymentId), isNull(allocations.reversedAt)))
    .returning({ invoiceId: allocations.invoiceId, amount: allocations.amount })
  if (!ended.length) return
  await lockInvoices(tx, tenantId, ended.map((a) => a.invoiceId))
  await shiftInvoiceBalances(tx, tenantId, 'payment', ended.map((a) => ({ invoiceId: a.invoiceId, amount: -a.amount })))
  await afterBalanceChange(tx, tenantId, [...new Set(ended.map((a) => a.invoiceId))])
}

/** What follows any change of what invoices owe, in the same transaction: status, then plans. */
async function afterBalanceChange(tx: Tx, tenantId: string, invoiceIds: string[]) {
  await refreshInvoiceStatus(tx, tenantId, invoiceIds)
  await refreshPaymentPlans(tx, tenantId, invoiceIds)
}
