import type { FieldError } from '../../shared/errors.js'
import { newId } from '../../shared/ids.js'
import { emitEventBatch } from '../events/events.service.js'
import { refreshInvoiceStatus } from '../invoices/invoice-status.js'
import { invoiceDtosByIds, toInvoiceDto } from '../invoices/invoices.mapper.js'
import type { InvoiceRow } from '../invoices/invoices.repository.js'
import { createInvoiceBody, type CreateInvoiceInput } from '../invoices/invoices.schema.js'
import { activeScenarioIds } from '../scenarios/assignable-scenarios.js'
import { rejected, yieldToEventLoop, type BulkKind, type LineResult } from './bulk-types.js'
import { debtorLookup, debtorPath, type DebtorRef } from './debtor-lookup.js'
import { readChunkContext, upsertInvoices, type CreatedEvent, type ExistingInvoice, type PlannedInvoice } from './invoices-bulk.sql.js'

/** What the single endpoints refuse on an existing invoice: another debtor, currency, or less than settled. */
function conflicts(input: CreateInvoiceInput, debtor: DebtorRef, existing: ExistingInvoice | undefined): FieldError[] {
  if (!existing) return []
  const errors: FieldError[] = []
  if (existing.debtor_id !== debtor.debtor_id) errors.push({ path: debtorPath(input), message: 'An existing invoice keeps its debtor' })
  if (existing.currency !== input.currency) errors.push({ path: 'currency', message: `An existing invoice keeps its currency (${existing.currency})` })
  const settled = existing.amount_paid + existing.amount_credited
  if (input.amount_total < settled) errors.push({ path: 'amount_total', message: `At least ${settled} is already settled` })
  return errors
}

/** The row the upsert inserts for a new line, so its event payload is the mapper's, without reading it back. */
function newRow(tenantId: string, p: PlannedInvoice, debtorKind: string, lawCountry: string, now: Date): InvoiceRow {
  const { input } = p
  const tax = input.amount_tax ?? 0
  const free = input.amount_total === 0
  return {
    tenantId,
    invoiceId: p.invoiceId,
    debtorId: p.debtorId,
    number: input.number,
    currency: input.currency,
    amountTotal: input.amount_total,
    amountTax: tax,
    amountNet: input.amount_net ?? input.amount_total - tax,
    amountPaid: 0,
    amountCredited: 0,
    issueDate: input.issue_date,
    dueDate: input.due_date,
    paymentTermsDays: input.payment_terms_days ?? null,
    paymentLink: input.payment_link ?? null,
    scenarioId: input.scenario_id ?? null,
    status: free ? 'paid' : 'open',
    paidAt: free ? now : null,
    cancelledAt: null,
    writtenOffAt: null,
    pdfSha256: null,
    prescriptionAlertedAt: null,
    nextActionAt: free ? null : new Date(0),
    dunningScenarioId: null,
    dunningVersion: null,
    dunningStep: -1,
    dunningStepAt: null,
    dunningOutcome: null,
    caseId: null,
    externalRef: p.ref,
    metadata: input.metadata ?? {},
    createdAt: now,
    updatedAt: now,
    debtorKind,
    lawCountry,
    document: null,
  }
}

export const invoicesBulk: BulkKind<CreateInvoiceInput> = {
  name: 'invoices',
  schema: createInvoiceBody,
  async store(tx, { tenantId }, lines): Promise<LineResult[]> {
    const context = await readChunkContext(tx, tenantId, lines.map((l) => l.ref), lines.map((l) => l.input))
    const debtors = debtorLookup(context.debtors)
    const existing = new Map(context.existing.map((e) => [e.external_ref, e]))
    const scenarios = await activeScenarioIds(tx, tenantId, lines.map((l) => l.input.scenario_id))
    const results: LineResult[] = []
    const planned: (PlannedInvoice & { line: number; kind: string })[] = []
    for (const l of lines) {
      const debtor = debtors.find(l.input)
      const errors = 'path' in debtor ? [debtor] : conflicts(l.input, debtor, existing.get(l.ref))
      if (l.input.scenario_id && !scenarios.has(l.input.scenario_id)) errors.push({ path: 'scenario_id', message: `No active scenario with id ${l.input.scenario_id}` })
      if ('path' in debtor || errors.length) results.push(rejected(l.line, l.ref, errors))
      else planned.push({ line: l.line, invoiceId: newId('invoice'), ref: l.ref, debtorId: debtor.debtor_id, input: l.input, kind: debtor.kind })
    }
    if (!planned.length) return results
    const now = new Date()
    const created: CreatedEvent[] = []
    for (const p of planned) {
      if (existing.has(p.ref)) continue
      if (created.length % 250 === 249) await yieldToEventLoop()
      created.push({ ref: p.ref, id: newId('event', now.getTime()), data: { object: toInvoiceDto(newRow(tenantId, p, p.kind, context.country, now)) } })
    }
    const written = new Map((await upsertInvoices(tx, tenantId, planned, now, created)).map((r) => [r.external_ref, r]))
    // Updated rows (and any a concurrent import inserted first): status derived again when the
    // total moved, then the invoice as it now reads goes in its invoice.updated event.
    const updated = planned.filter((p) => written.get(p.ref)?.inserted === false)
    const moved = updated.filter((p) => existing.get(p.ref)?.amount_total !== p.input.amount_total)
    await refreshInvoiceStatus(tx, tenantId, moved.map((p) => written.get(p.ref)!.invoice_id))
    const ids = updated.map((p) => written.get(p.ref)!.invoice_id)
    const dtos = await invoiceDtosByIds(tx, tenantId, ids)
    await emitEventBatch(tx, tenantId, ids.map((id) => ({ type: 'invoice.updated', objectId: id, object: dtos.get(id)! })))
    for (const p of planned) {
      const row = written.get(p.ref)
      const status = !row ? 'unchanged' : row.inserted ? 'created' : 'updated'
      results.push({ line: p.line, external_ref: p.ref, status, id: row?.invoice_id ?? existing.get(p.ref)?.invoice_id })
    }
    return results.sort((a, b) => a.line - b.line)
  },
}
