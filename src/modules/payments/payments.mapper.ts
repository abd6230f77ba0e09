import { iso } from '../../platform/api-schemas.js'
import type { AllocationRow, CreditNoteRow, PaymentRow } from './payments.repository.js'
import type { CreditNoteDto, PaymentDto } from './payments.schema.js'

function allocationDto(row: AllocationRow) {
  return {
    object: 'allocation' as const,
    id: row.allocationId,
    invoice_id: row.invoiceId,
    amount: row.amount,
    created_at: iso(row.createdAt)!,
    reversed_at: iso(row.reversedAt),
  }
}

export function toPaymentDto(row: PaymentRow, allocations: AllocationRow[]): PaymentDto {
  return {
    object: 'payment',
    id: row.paymentId,
    external_ref: row.externalRef,
    debtor_id: row.debtorId,
    amount: row.amount,
    amount_applied: row.amountApplied,
    amount_unapplied: row.reversedAt ? 0 : row.amount - row.amountApplied,
    currency: row.currency,
    received_on: row.receivedOn,
    method: row.method,
    reference: row.reference,
    reversed_at: iso(row.reversedAt),
    reversal_reason: row.reversalReason,
    allocations: allocations.map(allocationDto),
    metadata: row.metadata,
    created_at: iso(row.createdAt)!,
    updated_at: iso(row.updatedAt)!,
  }
}

export function toCreditNoteDto(row: CreditNoteRow, allocations: AllocationRow[]): CreditNoteDto {
  return {
    object: 'credit_note',
    id: row.creditNoteId,
    external_ref: row.externalRef,
    debtor_id: row.debtorId,
    number: row.number,
    amount: row.amount,
    amount_applied: row.amountApplied,
    amount_unapplied: row.amount - row.amountApplied,
    currency: row.currency,
    issue_date: row.issueDate,
    reason: row.reason,
    allocations: allocations.map(allocationDto),
    metadata: row.metadata,
    created_at: iso(row.createdAt)!,
    updated_at: iso(row.updatedAt)!,
  }
}
