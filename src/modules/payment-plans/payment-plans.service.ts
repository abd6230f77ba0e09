import { tenantNow } from '../test-clocks/test-clocks.service.js'
import type { Tx } from '../../db/client.js'
import { iso, page } from '../../platform/api-schemas.js'
import { requireTenant, type Principal } from '../../platform/auth.js'
import { AppError, notFound, type FieldError } from '../../shared/errors.js'
import { newId } from '../../shared/ids.js'
import { uniqueExternalRef } from '../../shared/pg-errors.js'
import { findDebtor } from '../debtors/debtors.repository.js'
import { emitEvent } from '../events/events.service.js'
import { lockInvoices, type InvoiceRecord } from '../invoices/invoices.repository.js'
import * as repo from './payment-plans.repository.js'
import type { CreatePaymentPlanInput, ListPaymentPlansQuery, PaymentPlanDto } from './payment-plans.schema.js'

export function toPlanDto(row: repo.PlanRow): PaymentPlanDto {
  const sum = (pick: (i: repo.InstalmentRow) => number) => row.instalments.reduce((total, i) => total + pick(i), 0)
  return {
    object: 'payment_plan',
    id: row.planId,
    debtor_id: row.debtorId,
    invoice_ids: row.invoiceIds,
    currency: row.currency,
    status: row.status,
    amount_total: sum((i) => i.amount),
    amount_paid: sum((i) => i.amountPaid),
    instalments: row.instalments.map((i) => ({
      sequence: i.sequence,
      due_date: i.dueDate,
      amount: i.amount,
      amount_paid: i.amountPaid,
      status: i.status,
    })),
    breached_at: iso(row.breachedAt),
    external_ref: row.externalRef,
    metadata: row.metadata,
    created_at: iso(row.createdAt)!,
    updated_at: iso(row.updatedAt)!,
  }
}

const settled = (invoice: InvoiceRecord) => invoice.amountPaid + invoice.amountCredited
const due = (invoice: InvoiceRecord) =>
  invoice.cancelledAt || invoice.writtenOffAt ? 0 : Math.max(0, invoice.amountTotal - settled(invoice))

function unprocessable(detail: string, errors: FieldError[]) {
  return new AppError('unprocessable', detail, errors)
}

/** The invoices a plan may take, locked so no payment or other plan moves them meanwhile. */
async function planInvoices(tx: Tx, tenantId: string, debtorId: string, ids: string[]): Promise<InvoiceRecord[]> {
  const byId = new Map((await lockInvoices(tx, tenantId, ids)).map((invoice) => [invoice.invoiceId, invoice]))
  const missing = ids.findIndex((id) => !byId.has(id))
  if (missing >= 0) {
    throw new AppError('not_found', `No invoice with id ${ids[missing]}`, [{ path: `body.invoice_ids.${missing}`, message: 'No such invoice' }])
  }
  const invoices = ids.map((id) => byId.get(id)!)
  const currency = invoices[0]!.currency
  const errors: FieldError[] = []
  invoices.forEach((invoice, i) => {
    const path = `body.invoice_ids.${i}`
    if (invoice.debtorId !== debtorId) errors.push({ path, message: `Not an invoice of debtor ${debtorId}` })
    else if (invoice.currency !== currency) errors.push({ path, message: `In ${invoice.currency}; the first invoice is in ${currency}` })
    else if (due(invoice) === 0) errors.push({ path, message: `Has nothing left to pay (${invoice.status})` })
  })
  if (errors.length) throw unprocessable('Some invoices cannot go into this payment plan.', errors)
  const taken = await repo.activePlansCovering(tx, tenantId, ids)
  if (taken.length) {
    throw new AppError(
      'conflict',
      `Some invoices are already in an active payment plan (${taken.map((p) => p.planId).join(', ')}).`,
      ids.flatMap((id, i) => {
        const plan = taken.find((p) => p.invoiceIds.includes(id))
        return plan ? [{ path: `body.invoice_ids.${i}`, message: `Already in active payment plan ${plan.planId}` }] : []
      }),
    )
  }
  return invoices
}

export async function createPaymentPlan(tx: Tx, principal: Principal, input: CreatePaymentPlanInput): Promise<PaymentPlanDto> {
  const tenantId = requireTenant(principal)
  const today = (await tenantNow(tx, tenantId)).toISOString().slice(0, 10)
  if (input.instalments[0]!.due_date < today) {
    const issue = { path: 'body.instalments.0.due_date', message: `Cannot be in the past (today is ${today})` }
    throw new AppError('validation_failed', `${issue.path}: ${issue.message}`, [issue])
  }
  const debtor = await findDebtor(tx, tenantId, input.debtor_id)
  if (!debtor) {
    throw new AppError('not_found', `No debtor with id ${input.debtor_id}`, [{ path: 'body.debtor_id', message: 'No such debtor' }])
  }
  const invoices = await planInvoices(tx, tenantId, debtor.debtorId, input.invoice_ids)
  const totalDue = invoices.reduce((total, invoice) => total + due(invoice), 0)
  const planned = input.instalments.reduce((total, instalment) => total + instalment.amount, 0)
  if (planned !== totalDue) {
    throw unprocessable(`The instalments add up to ${planned}; the invoices have ${totalDue} due.`, [
      { path: 'body.instalments', message: `Amounts must add up to ${totalDue}, the invoices' amount due (they add up to ${planned})` },
    ])
  }
  const planId = newId('paymentPlan')
  await uniqueExternalRef('payment plan', input.external_ref, () =>
    repo.insertPlan(
      tx,
      {
        tenantId,
        planId,
        debtorId: debtor.debtorId,
        currency: invoices[0]!.currency,
        invoiceIds: input.invoice_ids,
        settledAtStart: invoices.reduce((total, invoice) => total + settled(invoice), 0),
        externalRef: input.external_ref ?? null,
        metadata: input.metadata ?? {},
      },
      input.instalments.map((instalment, i) => ({
        tenantId,
        planId,
        sequence: i + 1,
        dueDate: instalment.due_date,
        amount: instalment.amount,
      })),
    ),
  )
  const dto = toPlanDto((await repo.findPlan(tx, tenantId, planId))!)
  await emitEvent(tx, tenantId, { type: 'payment_plan.created', objectId: planId, object: dto })
  return dto
}

export async function getPaymentPlan(tx: Tx, principal: Principal, planId: string): Promise<PaymentPlanDto> {
  const row = await repo.findPlan(tx, requireTenant(principal), planId)
  if (!row) throw notFound('payment plan', planId)
  return toPlanDto(row)
}

export async function listPaymentPlans(tx: Tx, principal: Principal, query: ListPaymentPlansQuery) {
  const rows = await repo.listPlans(tx, requireTenant(principal), {
    limit: query.limit,
    startingAfter: query.starting_after,
    status: query.status,
    debtorId: query.debtor_id,
  })
  return page(rows.map(toPlanDto), query.limit)
}

/** Ends an active plan by agreement; its invoices go back to their own due dates. */
export async function cancelPaymentPlan(tx: Tx, principal: Principal, planId: string): Promise<PaymentPlanDto> {
  const tenantId = requireTenant(principal)
  const current = await repo.findPlan(tx, tenantId, planId, true)
  if (!current) throw notFound('payment plan', planId)
  if (current.status !== 'active') {
    throw new AppError('unprocessable', `Payment plan ${planId} is ${current.status}; only an active plan can be cancelled.`)
  }
  await repo.setPlanStatus(tx, tenantId, planId, 'cancelled')
  const dto = toPlanDto((await repo.findPlan(tx, tenantId, planId))!)
  await emitEvent(tx, tenantId, { type: 'payment_plan.cancelled', objectId: planId, object: dto })
  return dto
}
