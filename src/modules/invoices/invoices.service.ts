import type { Tx } from '../../db/client.js'
import { page } from '../../platform/api-schemas.js'
import { requireTenant, type Principal } from '../../platform/auth.js'
import { assertIfMatch } from '../../platform/etag.js'
import { todayUtc } from '../../shared/dates.js'
import { AppError, notFound } from '../../shared/errors.js'
import { newId } from '../../shared/ids.js'
import { uniqueExternalRef } from '../../shared/pg-errors.js'
import { resolveDebtor } from '../debtors/debtor-reference.js'
import { emitEvent } from '../events/events.service.js'
import { refreshInvoiceStatus } from './invoice-status.js'
import { toInvoiceDto } from './invoices.mapper.js'
import { assertAssignable } from '../scenarios/scenario-rules.service.js'
import * as repo from './invoices.repository.js'
import type { CreateInvoiceInput, InvoiceDto, ListInvoicesQuery, UpdateInvoiceInput } from './invoices.schema.js'

async function load(tx: Tx, tenantId: string, invoiceId: string): Promise<InvoiceDto> {
  const row = await repo.findInvoice(tx, tenantId, invoiceId)
  if (!row) throw notFound('invoice', invoiceId)
  return toInvoiceDto(row)
}

export async function createInvoice(tx: Tx, principal: Principal, input: CreateInvoiceInput): Promise<InvoiceDto> {
  const tenantId = requireTenant(principal)
  const debtor = await resolveDebtor(tx, tenantId, input)
  if (input.scenario_id) await assertAssignable(tx, tenantId, input.scenario_id)
  const invoiceId = newId('invoice')
  const tax = input.amount_tax ?? 0
  await uniqueExternalRef('invoice', input.external_ref, () =>
    repo.insertInvoice(tx, {
      tenantId,
      invoiceId,
      debtorId: debtor.debtorId,
      number: input.number,
      currency: input.currency,
      amountTotal: input.amount_total,
      amountTax: tax,
      amountNet: input.amount_net ?? input.amount_total - tax,
      issueDate: input.issue_date,
      dueDate: input.due_date,
      paymentTermsDays: input.payment_terms_days ?? null,
      paymentLink: input.payment_link ?? null,
      scenarioId: input.scenario_id ?? null,
      // A zero-amount invoice has nothing to collect from the start.
      status: input.amount_total === 0 ? 'paid' : 'open',
      paidAt: input.amount_total === 0 ? new Date() : null,
      // Epoch: the engine plans it at its next pass, whatever the tenant's (test) clock says.
      nextActionAt: input.amount_total === 0 ? null : new Date(0),
      externalRef: input.external_ref ?? null,
      metadata: input.metadata ?? {},
    }),
  )
  const dto = await load(tx, tenantId, invoiceId)
  await emitEvent(tx, tenantId, { type: 'invoice.created', objectId: invoiceId, object: dto })
  return dto
}

export function getInvoice(tx: Tx, principal: Principal, invoiceId: string): Promise<InvoiceDto> {
  return load(tx, requireTenant(principal), invoiceId)
}

export async function listInvoices(tx: Tx, principal: Principal, query: ListInvoicesQuery) {
  const rows = await repo.listInvoices(tx, requireTenant(principal), {
    limit: query.limit,
    startingAfter: query.starting_after,
    status: query.status,
    debtorId: query.debtor_id,
    currency: query.currency,
    dueBefore: query.due_before,
    dueAfter: query.due_after,
    externalRef: query.external_ref,
    overdueOn: query.overdue === undefined ? undefined : { date: todayUtc(), overdue: query.overdue },
  })
  return page(rows.map(toInvoiceDto), query.limit)
}

export async function updateInvoice(
  tx: Tx,
  principal: Principal,
  invoiceId: string,
  input: UpdateInvoiceInput,
  ifMatch?: string,
): Promise<InvoiceDto> {
  const tenantId = requireTenant(principal)
  const [locked] = await repo.lockInvoices(tx, tenantId, [invoiceId])
  if (!locked) throw notFound('invoice', invoiceId)
  assertIfMatch(ifMatch, await load(tx, tenantId, invoiceId))
  if (input.scenario_id && input.scenario_id !== locked.scenarioId) await assertAssignable(tx, tenantId, input.scenario_id)
  const total = input.amount_total ?? locked.amountTotal
  const tax = input.amount_tax ?? locked.amountTax
  const net = input.amount_net ?? (input.amount_total !== undefined || input.amount_tax !== undefined ? total - tax : locked.amountNet)
  if (net + tax !== total) {
    throw new AppError('validation_failed', 'amount_net + amount_tax must equal amount_total', [
      { path: 'body.amount_net', message: 'amount_net + amount_tax must equal amount_total' },
    ])
  }
  if (total < locked.amountPaid + locked.amountCredited) {
    throw new AppError('unprocessable', 'amount_total cannot be lower than what was already paid and credited.', [
      { path: 'body.amount_total', message: `At least ${locked.amountPaid + locked.amountCredited} is already settled` },
    ])
  }
  const issueDate = input.issue_date ?? locked.issueDate
  const dueDate = input.due_date ?? locked.dueDate
  if (dueDate < issueDate) {
    throw new AppError('validation_failed', 'due_date cannot be before issue_date', [
      { path: 'body.due_date', message: 'Cannot be before issue_date' },
    ])
  }
  await uniqueExternalRef('invoice', input.external_ref, () =>
    repo.updateInvoice(tx, tenantId, invoiceId, {
      ...(input.number !== undefined && { number: input.number }),
      amountTotal: total,
      amountTax: tax,
      amountNet: net,
      issueDate,
      dueDate,
      ...(input.payment_terms_days !== undefined && { paymentTermsDays: input.payment_terms_days }),
      ...(input.payment_link !== undefined && { paymentLink: input.payment_link }),
      // Moving scenario is explicit: the case drops its pinned version and is planned again.
      ...(input.scenario_id !== undefined && { scenarioId: input.scenario_id, dunningScenarioId: null, dunningVersion: null, nextActionAt: new Date(0) }),
      ...(input.external_ref !== undefined && { externalRef: input.external_ref }),
      ...(input.metadata !== undefined && { metadata: input.metadata }),
    }),
  )
  await refreshInvoiceStatus(tx, tenantId, [invoiceId])
  const dto = await load(tx, tenantId, invoiceId)
  await emitEvent(tx, tenantId, { type: 'invoice.updated', objectId: invoiceId, object: dto })
  return dto
}

/**
 * Cancelling is for an invoice issued by mistake; one that was partly settled needs a credit note.
 * Writing off keeps the debt on record but stops collecting it.
 */
export async function closeInvoice(
  tx: Tx,
  principal: Principal,
  invoiceId: string,
  how: 'cancel' | 'write_off',
): Promise<InvoiceDto> {
  const tenantId = requireTenant(principal)
  const [locked] = await repo.lockInvoices(tx, tenantId, [invoiceId])
  if (!locked) throw notFound('invoice', invoiceId)
  if (locked.cancelledAt || locked.writtenOffAt) {
    throw new AppError('unprocessable', `Invoice ${invoiceId} is already ${locked.status.replace('_', ' ')}.`)
  }
  if (locked.status === 'paid') throw new AppError('unprocessable', `Invoice ${invoiceId} is paid.`)
  if (how === 'cancel' && locked.amountPaid + locked.amountCredited > 0) {
    throw new AppError('unprocessable', 'Payments or credit notes are applied to this invoice: issue a credit note instead.')
  }
  const now = new Date()
  await repo.updateInvoice(tx, tenantId, invoiceId, how === 'cancel' ? { cancelledAt: now } : { writtenOffAt: now })
  await refreshInvoiceStatus(tx, tenantId, [invoiceId])
  return load(tx, tenantId, invoiceId)
}
