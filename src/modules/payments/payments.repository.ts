import { and, desc, eq, inArray, lt, sql, type SQL } from 'drizzle-orm'
import type { Tx } from '../../db/client.js'
import { allocations, creditNotes, payments } from './payments.tables.js'

export type PaymentRow = typeof payments.$inferSelect
export type CreditNoteRow = typeof creditNotes.$inferSelect
export type AllocationRow = typeof allocations.$inferSelect

export interface SourceFilter {
  limit: number
  startingAfter?: string
  debtorId?: string
  currency?: string
  externalRef?: string
}

export async function listPayments(tx: Tx, tenantId: string, filter: SourceFilter): Promise<PaymentRow[]> {
  const where: SQL[] = [eq(payments.tenantId, tenantId)]
  if (filter.startingAfter) where.push(lt(payments.paymentId, filter.startingAfter))
  if (filter.debtorId) where.push(eq(payments.debtorId, filter.debtorId))
  if (filter.currency) where.push(eq(payments.currency, filter.currency))
  if (filter.externalRef) where.push(eq(payments.externalRef, filter.externalRef))
  return tx.select().from(payments).where(and(...where)).orderBy(desc(payments.paymentId)).limit(filter.limit + 1)
}

export async function listCreditNotes(tx: Tx, tenantId: string, filter: SourceFilter): Promise<CreditNoteRow[]> {
  const where: SQL[] = [eq(creditNotes.tenantId, tenantId)]
  if (filter.startingAfter) where.push(lt(creditNotes.creditNoteId, filter.startingAfter))
  if (filter.debtorId) where.push(eq(creditNotes.debtorId, filter.debtorId))
  if (filter.currency) where.push(eq(creditNotes.currency, filter.currency))
  if (filter.externalRef) where.push(eq(creditNotes.externalRef, filter.externalRef))
  return tx.select().from(creditNotes).where(and(...where)).orderBy(desc(creditNotes.creditNoteId)).limit(filter.limit + 1)
}

export async function findPayment(tx: Tx, tenantId: string, paymentId: string, forUpdate = false) {
  const query = tx.select().from(payments).where(and(eq(payments.tenantId, tenantId), eq(payments.paymentId, paymentId)))
  const [row] = forUpdate ? await query.for('update') : await query
  return row
}

export async function findCreditNote(tx: Tx, tenantId: string, creditNoteId: string, forUpdate = false) {
  const query = tx
    .select()
    .from(creditNotes)
    .where(and(eq(creditNotes.tenantId, tenantId), eq(creditNotes.creditNoteId, creditNoteId)))
  const [row] = forUpdate ? await query.for('update') : await query
  return row
}

/** Allocations of many payments or credit notes in one query (lists never query per row). */
export async function allocationsOf(tx: Tx, tenantId: string, kind: 'payment' | 'credit_note', ids: string[]) {
  if (!ids.length) return new Map<string, AllocationRow[]>()
  const column = kind === 'payment' ? allocations.paymentId : allocations.creditNoteId
  const rows = await tx
    .select()
    .from(allocations)
    .where(and(eq(allocations.tenantId, tenantId), inArray(column, ids)))
    .orderBy(allocations.allocationId)
  const byId = new Map<string, AllocationRow[]>()
  for (const row of rows) {
    const key = (kind === 'payment' ? row.paymentId : row.creditNoteId)!
    byId.set(key, [...(byId.get(key) ?? []), row])
  }
  return byId
}

export async function insertPayment(tx: Tx, row: typeof payments.$inferInsert) {
  await tx.insert(payments).values(row)
}

export async function insertCreditNote(tx: Tx, row: typeof creditNotes.$inferInsert) {
  await tx.insert(creditNotes).values(row)
}

export async function addApplied(tx: Tx, tenantId: string, kind: 'payment' | 'credit_note', id: string, amount: number) {
  if (kind === 'payment') {
    await tx
      .update(payments)
      .set({ amountApplied: sql`${payments.amountApplied} + ${amount}`, updatedAt: new Date() })
      .where(and(eq(payments.tenantId, tenantId), eq(payments.paymentId, id)))
  } else {
    await tx
      .update(creditNotes)
      .set({ amountApplied: sql`${creditNotes.amountApplied} + ${amount}`, updatedAt: new Date() })
      .where(and(eq(creditNotes.tenantId, tenantId), eq(creditNotes.creditNoteId, id)))
  }
}

export async function markReversed(tx: Tx, tenantId: string, paymentId: string, reason: string) {
  const now = new Date()
  await tx
    .update(payments)
    .set({ reversedAt: now, reversalReason: reason, amountApplied: 0, updatedAt: now })
    .where(and(eq(payments.tenantId, tenantId), eq(payments.paymentId, paymentId)))
}

/** Live and reversed allocations of many invoices in one query (GraphQL Invoice.allocations). */
export async function allocationsOfInvoices(tx: Tx, tenantId: string, invoiceIds: string[]) {
  if (!invoiceIds.length) return []
  return tx
    .select()
    .from(allocations)
    .where(and(eq(allocations.tenantId, tenantId), inArray(allocations.invoiceId, invoiceIds)))
    .orderBy(allocations.allocationId)
}
