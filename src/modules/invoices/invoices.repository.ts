import { and, desc, eq, gt, inArray, lt, sql, type SQL } from 'drizzle-orm'
import type { Tx } from '../../db/client.js'
import { debtors } from '../debtors/debtors.tables.js'
import { tenants } from '../tenants/tenants.tables.js'
import { invoiceDocuments, invoices, type InvoiceStatus } from './invoices.tables.js'

export type InvoiceRecord = typeof invoices.$inferSelect
export type InvoiceRow = InvoiceRecord & {
  debtorKind: string
  /** The tenant's country: the law the invoice's warnings and prescription date come from. */
  lawCountry: string
  document: { sha256: string; filename: string; contentType: string; size: number } | null
}

const columns = {
  invoice: invoices,
  debtorKind: debtors.kind,
  lawCountry: tenants.country,
  docSha256: invoiceDocuments.sha256,
  docFilename: invoiceDocuments.filename,
  docContentType: invoiceDocuments.contentType,
  docSize: invoiceDocuments.size,
}

type Joined = {
  invoice: InvoiceRecord
  debtorKind: string
  lawCountry: string
  docSha256: string | null
  docFilename: string | null
  docContentType: string | null
  docSize: number | null
}

function flatten(row: Joined): InvoiceRow {
  return {
    ...row.invoice,
    debtorKind: row.debtorKind,
    lawCountry: row.lawCountry,
    document: row.docSha256
      ? { sha256: row.docSha256, filename: row.docFilename!, contentType: row.docContentType!, size: row.docSize! }
      : null,
  }
}

function joined(tx: Tx) {
  return tx
    .select(columns)
    .from(invoices)
    .innerJoin(debtors, and(eq(debtors.tenantId, invoices.tenantId), eq(debtors.debtorId, invoices.debtorId)))
    .innerJoin(tenants, eq(tenants.tenantId, invoices.tenantId))
    .leftJoin(
      invoiceDocuments,
      and(eq(invoiceDocuments.tenantId, invoices.tenantId), eq(invoiceDocuments.invoiceId, invoices.invoiceId)),
    )
}

export async function findInvoices(tx: Tx, tenantId: string, invoiceIds: string[]): Promise<InvoiceRow[]> {
  if (!invoiceIds.length) return []
  const rows = await joined(tx).where(and(eq(invoices.tenantId, tenantId), inArray(invoices.invoiceId, invoiceIds)))
  return rows.map(flatten)
}

export async function findInvoice(tx: Tx, tenantId: string, invoiceId: string): Promise<InvoiceRow | undefined> {
  return (await findInvoices(tx, tenantId, [invoiceId]))[0]
}

/** Locks the rows a balance change is about to touch, in id order so two writers cannot deadlock. */
export async function lockInvoices(tx: Tx, tenantId: string, invoiceIds: string[]): Promise<InvoiceRecord[]> {
  if (!invoiceIds.length) return []
  return tx
    .select()
    .from(invoices)
    .where(and(eq(invoices.tenantId, tenantId), inArray(invoices.invoiceId, invoiceIds)))
    .orderBy(invoices.invoiceId)
    .for('update')
}

export interface InvoiceFilter {
  limit: number
  startingAfter?: string
  status?: InvoiceStatus[]
  debtorId?: string
  currency?: string
  dueBefore?: string
  dueAfter?: string
  overdueOn?: { date: string; overdue: boolean }
  externalRef?: string
}

export async function listInvoices(tx: Tx, tenantId: string, filter: InvoiceFilter): Promise<InvoiceRow[]> {
  const where: SQL[] = [eq(invoices.tenantId, tenantId)]
  if (filter.startingAfter) where.push(lt(invoices.invoiceId, filter.startingAfter))
  if (filter.status?.length) where.push(inArray(invoices.status, filter.status))
  if (filter.debtorId) where.push(eq(invoices.debtorId, filter.debtorId))
  if (filter.currency) where.push(eq(invoices.currency, filter.currency))
  if (filter.dueBefore) where.push(lt(invoices.dueDate, filter.dueBefore))
  if (filter.dueAfter) where.push(gt(invoices.dueDate, filter.dueAfter))
  if (filter.externalRef) where.push(eq(invoices.externalRef, filter.externalRef))
  if (filter.overdueOn) {
    const overdue = sql`(${invoices.dueDate} < ${filter.overdueOn.date} and ${invoices.status} in ('open', 'partially_paid', 'disputed'))`
    where.push(filter.overdueOn.overdue ? overdue : sql`not ${overdue}`)
  }
  const rows = await joined(tx)
    .where(and(...where))
    .orderBy(desc(invoices.invoiceId))
    .limit(filter.limit + 1)
  return rows.map(flatten)
}

export async function insertInvoice(tx: Tx, row: typeof invoices.$inferInsert): Promise<void> {
  await tx.insert(invoices).values(row)
}

export async function updateInvoice(
  tx: Tx,
  tenantId: string,
  invoiceId: string,
  changes: Partial<typeof invoices.$inferInsert>,
): Promise<void> {
  await tx
    .update(invoices)
    .set({ ...changes, updatedAt: new Date() })
    .where(and(eq(invoices.tenantId, tenantId), eq(invoices.invoiceId, invoiceId)))
}

export async function upsertDocument(tx: Tx, row: typeof invoiceDocuments.$inferInsert): Promise<void> {
  await tx
    .insert(invoiceDocuments)
    .values(row)
    .onConflictDoUpdate({
      target: [invoiceDocuments.tenantId, invoiceDocuments.invoiceId],
      set: { content: row.content, sha256: row.sha256, contentType: row.contentType, filename: row.filename, size: row.size, createdAt: new Date() },
    })
}

export async function findDocument(tx: Tx, tenantId: string, invoiceId: string) {
  const [row] = await tx
    .select()
    .from(invoiceDocuments)
    .where(and(eq(invoiceDocuments.tenantId, tenantId), eq(invoiceDocuments.invoiceId, invoiceId)))
  return row
}

/** The newest `limit` invoices of each of many debtors in one query (GraphQL Debtor.invoices). */
export async function listInvoicesForDebtors(
  tx: Tx,
  tenantId: string,
  debtorIds: string[],
  filter: { limit: number; status?: InvoiceStatus[] },
): Promise<InvoiceRow[]> {
  if (!debtorIds.length) return []
  const ranked = tx
    .select({
      invoiceId: invoices.invoiceId,
      rank: sql<number>`row_number() over (partition by ${invoices.debtorId} order by ${invoices.invoiceId} desc)`.as('rank'),
    })
    .from(invoices)
    .where(
      and(
        eq(invoices.tenantId, tenantId),
        inArray(invoices.debtorId, debtorIds),
        filter.status?.length ? inArray(invoices.status, filter.status) : undefined,
      ),
    )
    .as('ranked')
  const ids = await tx
    .select({ invoiceId: ranked.invoiceId })
    .from(ranked)
    .where(sql`${ranked.rank} <= ${filter.limit + 1}`)
  const rows = await findInvoices(tx, tenantId, ids.map((r) => r.invoiceId))
  return rows.sort((a, b) => (a.invoiceId < b.invoiceId ? 1 : -1))
}

/**
 * Ended holds (released, expired, broken promises) wake the invoices they covered: the engine looks
 * at them at its next tick and resumes their scenario where it stood. One statement for any number.
 */
export async function wakeInvoicesOfHolds(tx: Tx, holds: { tenantId: string; debtorId: string; invoiceId: string | null }[]) {
  if (!holds.length) return
  await tx.execute(sql`
    update invoices i set next_action_at = 'epoch'
    from (select unnest(${sql.param(holds.map((h) => h.tenantId))}::text[]) as tenant_id,
                 unnest(${sql.param(holds.map((h) => h.debtorId))}::text[]) as debtor_id,
                 unnest(${sql.param(holds.map((h) => h.invoiceId))}::text[]) as invoice_id) h
    where i.tenant_id = h.tenant_id and i.debtor_id = h.debtor_id
      and (h.invoice_id is null or i.invoice_id = h.invoice_id)
      and i.status in ('open', 'partially_paid')`)
}
