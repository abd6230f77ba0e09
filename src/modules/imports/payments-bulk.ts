import { and, eq, sql } from 'drizzle-orm'
import type { Tx } from '../../db/client.js'
import { AppError, type FieldError } from '../../shared/errors.js'
import { debtors } from '../debtors/debtors.tables.js'
import type { PaymentRow } from '../payments/payments.repository.js'
import { createPaymentBody, type CreatePaymentInput } from '../payments/payments.schema.js'
import { createPayment } from '../payments/payments.service.js'
import { payments } from '../payments/payments.tables.js'
import { rejected, type BulkKind, type LineResult } from './bulk-types.js'

type Existing = PaymentRow & { debtorRef: string | null }

async function existingPayments(tx: Tx, tenantId: string, refs: string[]): Promise<Map<string, Existing>> {
  const rows = await tx
    .select({ payment: payments, debtorRef: debtors.externalRef })
    .from(payments)
    .innerJoin(debtors, and(eq(debtors.tenantId, payments.tenantId), eq(debtors.debtorId, payments.debtorId)))
    .innerJoin(sql`unnest(${sql.param(refs)}::text[]) as r(ref)`, sql`${payments.externalRef} = r.ref`)
    .where(eq(payments.tenantId, tenantId))
  return new Map(rows.map((r) => [r.payment.externalRef!, { ...r.payment, debtorRef: r.debtorRef }]))
}

const canonical = (metadata: Record<string, string>) => JSON.stringify(Object.entries(metadata).sort(([a], [b]) => (a < b ? -1 : 1)))

/** Allocations are left out: money applied since (by hand or oldest-first) does not make a line differ. */
function sameAs(existing: Existing, input: CreatePaymentInput): boolean {
  const debtor = input.debtor_id ? existing.debtorId === input.debtor_id : existing.debtorRef === input.debtor_external_ref
  return (
    debtor &&
    existing.amount === input.amount &&
    existing.currency === input.currency &&
    existing.receivedOn === input.received_on &&
    existing.method === (input.method ?? null) &&
    existing.reference === (input.reference ?? null) &&
    canonical(existing.metadata) === canonical(input.metadata ?? {})
  )
}

/** The single endpoint's errors name `body.x`; in a bulk answer paths are relative to the line. */
function lineErrors(error: AppError): FieldError[] {
  if (!error.errors.length) return [{ path: 'line', message: error.detail }]
  return error.errors.map((e) => ({ path: e.path.replace(/^body\./, ''), message: e.message }))
}

/**
 * Payments are immutable and each one is allocated oldest-first against invoices that earlier lines
 * may have just paid, so they go one by one through the payments service, each in a savepoint: a
 * refused line leaves nothing behind and the chunk goes on.
 */
export const paymentsBulk: BulkKind<CreatePaymentInput> = {
  name: 'payments',
  schema: createPaymentBody,
  async store(tx, { tenantId, principal }, lines): Promise<LineResult[]> {
    const existing = await existingPayments(tx, tenantId, lines.map((l) => l.ref))
    const results: LineResult[] = []
    for (const line of lines) {
      const found = existing.get(line.ref)
      if (found) {
        results.push(
          sameAs(found, line.input)
            ? { line: line.line, external_ref: line.ref, status: 'unchanged', id: found.paymentId }
            : rejected(line.line, line.ref, [
                { path: 'external_ref', message: `Payment ${found.paymentId} has this external_ref with other values; payments cannot be changed (reverse it instead)` },
              ]),
        )
        continue
      }
      try {
        const payment = await tx.transaction((savepoint) => createPayment(savepoint, principal, line.input))
        results.push({ line: line.line, external_ref: line.ref, status: 'created', id: payment.id })
      } catch (error) {
        if (!(error instanceof AppError) || error.status >= 500) throw error
        results.push(rejected(line.line, line.ref, lineErrors(error)))
      }
    }
    return results
  },
}
