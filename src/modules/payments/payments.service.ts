import type { Tx } from '../../db/client.js'
import { page } from '../../platform/api-schemas.js'
import { requireTenant, type Principal } from '../../platform/auth.js'
import { AppError, notFound } from '../../shared/errors.js'
import { newId } from '../../shared/ids.js'
import { uniqueExternalRef } from '../../shared/pg-errors.js'
import { resolveDebtor } from '../debtors/debtor-reference.js'
import { emitEvent } from '../events/events.service.js'
import { applyToInvoices, reverseAllocations } from './allocation.service.js'
import { toPaymentDto } from './payments.mapper.js'
import * as repo from './payments.repository.js'
import type { AllocationInput, CreatePaymentInput, ListPaymentsQuery, PaymentDto } from './payments.schema.js'

async function load(tx: Tx, tenantId: string, paymentId: string): Promise<PaymentDto> {
  const row = await repo.findPayment(tx, tenantId, paymentId)
  if (!row) throw notFound('payment', paymentId)
  const allocations = await repo.allocationsOf(tx, tenantId, 'payment', [paymentId])
  return toPaymentDto(row, allocations.get(paymentId) ?? [])
}

/** Records money received and applies it; whatever no invoice needs stays as unapplied credit. */
export async function createPayment(tx: Tx, principal: Principal, input: CreatePaymentInput): Promise<PaymentDto> {
  const tenantId = requireTenant(principal)
  const debtor = await resolveDebtor(tx, tenantId, input)
  const paymentId = newId('payment')
  await uniqueExternalRef('payment', input.external_ref, () =>
    repo.insertPayment(tx, {
      tenantId,
      paymentId,
      debtorId: debtor.debtorId,
      amount: input.amount,
      currency: input.currency,
      receivedOn: input.received_on,
      method: input.method ?? null,
      reference: input.reference ?? null,
      externalRef: input.external_ref ?? null,
      metadata: input.metadata ?? {},
    }),
  )
  const source = { kind: 'payment' as const, id: paymentId, debtorId: debtor.debtorId, currency: input.currency, available: input.amount }
  await applyToInvoices(tx, tenantId, source, input.allocations)
  const dto = await load(tx, tenantId, paymentId)
  await emitEvent(tx, tenantId, { type: 'payment.created', objectId: paymentId, object: dto })
  return dto
}

/** Applies a payment's unapplied credit, e.g. once the invoice it was meant for has arrived. */
export async function allocatePayment(
  tx: Tx,
  principal: Principal,
  paymentId: string,
  explicit: AllocationInput[] | undefined,
): Promise<PaymentDto> {
  const tenantId = requireTenant(principal)
  const payment = await repo.findPayment(tx, tenantId, paymentId, true)
  if (!payment) throw notFound('payment', paymentId)
  if (payment.reversedAt) throw new AppError('unprocessable', `Payment ${paymentId} was reversed.`)
  const available = payment.amount - payment.amountApplied
  if (available <= 0) throw new AppError('unprocessable', `Payment ${paymentId} is fully applied.`)
  const source = { kind: 'payment' as const, id: paymentId, debtorId: payment.debtorId, currency: payment.currency, available }
  await applyToInvoices(tx, tenantId, source, explicit)
  return load(tx, tenantId, paymentId)
}

/** A bounced transfer or a chargeback: the money never arrived, so every invoice it paid reopens. */
export async function reversePayment(
  tx: Tx,
  principal: Principal,
  paymentId: string,
  input: { reason: string; note?: string },
): Promise<PaymentDto> {
  const tenantId = requireTenant(principal)
  const payment = await repo.findPayment(tx, tenantId, paymentId, true)
  if (!payment) throw notFound('payment', paymentId)
  if (payment.reversedAt) throw new AppError('unprocessable', `Payment ${paymentId} is already reversed.`)
  await reverseAllocations(tx, tenantId, paymentId)
  await repo.markReversed(tx, tenantId, paymentId, input.note ? `${input.reason}: ${input.note}` : input.reason)
  const dto = await load(tx, tenantId, paymentId)
  await emitEvent(tx, tenantId, { type: 'payment.reversed', objectId: paymentId, object: dto })
  return dto
}

export function getPayment(tx: Tx, principal: Principal, paymentId: string) {
  return load(tx, requireTenant(principal), paymentId)
}

export async function listPayments(tx: Tx, principal: Principal, query: ListPaymentsQuery) {
  const tenantId = requireTenant(principal)
  const rows = await repo.listPayments(tx, tenantId, {
    limit: query.limit,
    startingAfter: query.starting_after,
    debtorId: query.debtor_id,
    currency: query.currency,
    externalRef: query.external_ref,
  })
  const shown = rows.slice(0, query.limit)
  const allocations = await repo.allocationsOf(tx, tenantId, 'payment', shown.map((r) => r.paymentId))
  return page(
    rows.map((row) => toPaymentDto(row, allocations.get(row.paymentId) ?? [])),
    query.limit,
  )
}
