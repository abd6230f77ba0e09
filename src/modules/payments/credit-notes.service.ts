import type { Tx } from '../../db/client.js'
import { page } from '../../platform/api-schemas.js'
import { requireTenant, type Principal } from '../../platform/auth.js'
import { notFound } from '../../shared/errors.js'
import { newId } from '../../shared/ids.js'
import { uniqueExternalRef } from '../../shared/pg-errors.js'
import { resolveDebtor } from '../debtors/debtor-reference.js'
import { emitEvent } from '../events/events.service.js'
import { applyToInvoices } from './allocation.service.js'
import { toCreditNoteDto } from './payments.mapper.js'
import * as repo from './payments.repository.js'
import type { CreateCreditNoteInput, CreditNoteDto, ListPaymentsQuery } from './payments.schema.js'

async function load(tx: Tx, tenantId: string, creditNoteId: string): Promise<CreditNoteDto> {
  const row = await repo.findCreditNote(tx, tenantId, creditNoteId)
  if (!row) throw notFound('credit note', creditNoteId)
  const allocations = await repo.allocationsOf(tx, tenantId, 'credit_note', [creditNoteId])
  return toCreditNoteDto(row, allocations.get(creditNoteId) ?? [])
}

/** A credit note reduces what invoices owe, exactly like a payment, but counts as credited. */
export async function createCreditNote(tx: Tx, principal: Principal, input: CreateCreditNoteInput): Promise<CreditNoteDto> {
  const tenantId = requireTenant(principal)
  const debtor = await resolveDebtor(tx, tenantId, input)
  const creditNoteId = newId('creditNote')
  await uniqueExternalRef('credit note', input.external_ref, () =>
    repo.insertCreditNote(tx, {
      tenantId,
      creditNoteId,
      debtorId: debtor.debtorId,
      number: input.number,
      amount: input.amount,
      currency: input.currency,
      issueDate: input.issue_date,
      reason: input.reason ?? null,
      externalRef: input.external_ref ?? null,
      metadata: input.metadata ?? {},
    }),
  )
  const source = { kind: 'credit_note' as const, id: creditNoteId, debtorId: debtor.debtorId, currency: input.currency, available: input.amount }
  await applyToInvoices(tx, tenantId, source, input.allocations)
  const dto = await load(tx, tenantId, creditNoteId)
  await emitEvent(tx, tenantId, { type: 'credit_note.created', objectId: creditNoteId, object: dto })
  return dto
}

export function getCreditNote(tx: Tx, principal: Principal, creditNoteId: string) {
  return load(tx, requireTenant(principal), creditNoteId)
}

export async function listCreditNotes(tx: Tx, principal: Principal, query: ListPaymentsQuery) {
  const tenantId = requireTenant(principal)
  const rows = await repo.listCreditNotes(tx, tenantId, {
    limit: query.limit,
    startingAfter: query.starting_after,
    debtorId: query.debtor_id,
    currency: query.currency,
    externalRef: query.external_ref,
  })
  const shown = rows.slice(0, query.limit)
  const allocations = await repo.allocationsOf(tx, tenantId, 'credit_note', shown.map((r) => r.creditNoteId))
  return page(
    rows.map((row) => toCreditNoteDto(row, allocations.get(row.creditNoteId) ?? [])),
    query.limit,
  )
}
