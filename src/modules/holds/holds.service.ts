import type { Tx } from '../../db/client.js'
import { iso, page } from '../../platform/api-schemas.js'
import { requireTenant, type Principal } from '../../platform/auth.js'
import { AppError, notFound } from '../../shared/errors.js'
import { newId } from '../../shared/ids.js'
import { uniqueExternalRef } from '../../shared/pg-errors.js'
import { findDebtor } from '../debtors/debtors.repository.js'
import { emitEvent } from '../events/events.service.js'
import { refreshInvoiceStatus } from '../invoices/invoice-status.js'
import { wakeInvoicesOfHolds } from '../invoices/invoices.repository.js'
import { lockInvoices } from '../invoices/invoices.repository.js'
import * as repo from './holds.repository.js'
import { queueEventSteps } from '../engine/event-steps.js'
import { tenantNow } from '../test-clocks/test-clocks.service.js'
import { pastDateIssues, type CreateHoldInput, type HoldDto, type ListHoldsQuery, type ReleaseHoldInput } from './holds.schema.js'

export function toHoldDto(row: repo.HoldRow): HoldDto {
  return {
    object: 'hold',
    id: row.holdId,
    kind: row.kind,
    status: row.status,
    active: row.status === 'active',
    debtor_id: row.debtorId,
    invoice_id: row.invoiceId,
    reason_code: row.reasonCode,
    note: row.note,
    promised_amount: row.promisedAmount,
    promised_currency: row.promisedCurrency,
    promised_date: row.promisedDate,
    expires_on: row.expiresOn,
    ended_at: iso(row.endedAt),
    end_reason: row.endReason,
    external_ref: row.externalRef,
    metadata: row.metadata,
    created_at: iso(row.createdAt)!,
    updated_at: iso(row.updatedAt)!,
  }
}

// Another tenant's debtor or invoice named in a body is a 404 too, naming the field.
const missing = (what: string, id: string, path: string) =>
  new AppError('not_found', `No ${what} with id ${id}`, [{ path, message: `No such ${what}` }])

async function checkScope(tx: Tx, tenantId: string, input: CreateHoldInput): Promise<void> {
  const debtor = await findDebtor(tx, tenantId, input.debtor_id)
  if (!debtor) throw missing('debtor', input.debtor_id, 'body.debtor_id')
  if (!input.invoice_id) return
  // Locked so the invoice's status cannot move under a dispute being opened on it.
  const [invoice] = await lockInvoices(tx, tenantId, [input.invoice_id])
  if (!invoice) throw missing('invoice', input.invoice_id, 'body.invoice_id')
  if (invoice.debtorId !== debtor.debtorId) {
    throw new AppError('unprocessable', `Invoice ${invoice.invoiceId} belongs to another debtor.`, [
      { path: 'body.invoice_id', message: `Not an invoice of debtor ${debtor.debtorId}` },
    ])
  }
  if (input.promised_currency && input.promised_currency !== invoice.currency) {
    throw new AppError('unprocessable', `Invoice ${invoice.invoiceId} is in ${invoice.currency}.`, [
      { path: 'body.promised_currency', message: `Must be the invoice's currency, ${invoice.currency}` },
    ])
  }
}

export async function createHold(tx: Tx, principal: Principal, input: CreateHoldInput): Promise<HoldDto> {
  const tenantId = requireTenant(principal)
  const now = await tenantNow(tx, tenantId)
  const past = pastDateIssues(input, now.toISOString().slice(0, 10))
  if (past.length) throw new AppError('validation_failed', past.map((i) => `${i.path}: ${i.message}`).join('; '), past)
  await checkScope(tx, tenantId, input)
  const row = await uniqueExternalRef('hold', input.external_ref, () =>
    repo.insertHold(tx, {
      tenantId,
      holdId: newId('hold'),
      kind: input.kind,
      debtorId: input.debtor_id,
      invoiceId: input.invoice_id ?? null,
      reasonCode: input.reason_code ?? null,
      note: input.note ?? null,
      promisedAmount: input.promised_amount ?? null,
      promisedCurrency: input.promised_currency ?? null,
      promisedDate: input.promised_date ?? null,
      expiresOn: input.expires_on ?? null,
      startsOn: now.toISOString().slice(0, 10),
      externalRef: input.external_ref ?? null,
      metadata: input.metadata ?? {},
    }),
  )
  const dto = toHoldDto(row)
  await emitEvent(tx, tenantId, { type: 'hold.created', objectId: dto.id, object: dto })
  if (row.kind === 'dispute' && row.invoiceId) await refreshInvoiceStatus(tx, tenantId, [row.invoiceId])
  if (row.kind === 'promise_to_pay') {
    await queueEventSteps(tx, [
      {
        tenantId,
        debtorId: row.debtorId,
        trigger: 'promise_confirmed',
        sourceId: row.holdId,
        invoiceIds: row.invoiceId ? [row.invoiceId] : 'open',
        now,
      },
    ])
  }
  return dto
}

export async function getHold(tx: Tx, principal: Principal, holdId: string): Promise<HoldDto> {
  const row = await repo.findHold(tx, requireTenant(principal), holdId)
  if (!row) throw notFound('hold', holdId)
  return toHoldDto(row)
}

export async function listHolds(tx: Tx, principal: Principal, query: ListHoldsQuery) {
  const rows = await repo.listHolds(tx, requireTenant(principal), {
    limit: query.limit,
    startingAfter: query.starting_after,
    status: query.status,
    kind: query.kind,
    debtorId: query.debtor_id,
    invoiceId: query.invoice_id,
  })
  return page(rows.map(toHoldDto), query.limit)
}

/** Ends an active hold by hand. An ended hold stays as it ended: history is not rewritten. */
export async function releaseHold(tx: Tx, principal: Principal, holdId: string, input?: ReleaseHoldInput | null): Promise<HoldDto> {
  const tenantId = requireTenant(principal)
  const current = await repo.findHold(tx, tenantId, holdId, true)
  if (!current) throw notFound('hold', holdId)
  const row = await repo.endHold(tx, tenantId, holdId, { status: 'released', reason: input?.reason ?? 'released' })
  if (!row) throw new AppError('unprocessable', `Hold ${holdId} already ended (${current.status}); only an active hold can be released.`)
  const dto = toHoldDto(row)
  await emitEvent(tx, tenantId, { type: 'hold.released', objectId: dto.id, object: dto })
  if (row.kind === 'dispute' && row.invoiceId) await refreshInvoiceStatus(tx, tenantId, [row.invoiceId])
  await wakeInvoicesOfHolds(tx, [row])
  return dto
}
