import { bigint, check, date, foreignKey, index, pgTable, primaryKey, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core'
import { sql } from 'drizzle-orm'
import { objectColumns, tenantIsolation } from '../../db/columns.js'
import { debtors } from '../debtors/debtors.tables.js'
import { invoices } from '../invoices/invoices.tables.js'

const money = (name: string) => bigint(name, { mode: 'number' })

/** Money received from a debtor. What no allocation uses is unapplied credit. */
export const payments = pgTable(
  'payments',
  {
    tenantId: text('tenant_id').notNull(),
    paymentId: text('payment_id').notNull(),
    debtorId: text('debtor_id').notNull(),
    amount: money('amount').notNull(),
    amountApplied: money('amount_applied').notNull().default(0),
    currency: text('currency').notNull(),
    receivedOn: date('received_on', { mode: 'string' }).notNull(),
    method: text('method'),
    reference: text('reference'),
    reversedAt: timestamp('reversed_at', { withTimezone: true }),
    reversalReason: text('reversal_reason'),
    ...objectColumns,
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.paymentId] }),
    uniqueIndex('payments_tenant_external_ref_key').on(t.tenantId, t.externalRef),
    index('payments_tenant_debtor_idx').on(t.tenantId, t.debtorId),
    foreignKey({ columns: [t.tenantId, t.debtorId], foreignColumns: [debtors.tenantId, debtors.debtorId] }),
    check('payments_amount_positive', sql`${t.amount} > 0`),
    check('payments_applied_within_amount', sql`${t.amountApplied} between 0 and ${t.amount}`),
    tenantIsolation('payments'),
  ],
)

export const creditNotes = pgTable(
  'credit_notes',
  {
    tenantId: text('tenant_id').notNull(),
    creditNoteId: text('credit_note_id').notNull(),
    debtorId: text('debtor_id').notNull(),
    number: text('number').notNull(),
    amount: money('amount').notNull(),
    amountApplied: money('amount_applied').notNull().default(0),
    currency: text('currency').notNull(),
    issueDate: date('issue_date', { mode: 'string' }).notNull(),
    reason: text('reason'),
    ...objectColumns,
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.creditNoteId] }),
    uniqueIndex('credit_notes_tenant_external_ref_key').on(t.tenantId, t.externalRef),
    index('credit_notes_tenant_debtor_idx').on(t.tenantId, t.debtorId),
    foreignKey({ columns: [t.tenantId, t.debtorId], foreignColumns: [debtors.tenantId, debtors.debtorId] }),
    check('credit_notes_amount_positive', sql`${t.amount} > 0`),
    check('credit_notes_applied_within_amount', sql`${t.amountApplied} between 0 and ${t.amount}`),
    tenantIsolation('credit_notes'),
  ],
)

/** A part of a payment or credit note applied to one invoice. Reversal ends it, never deletes it. */
export const allocations = pgTable(
  'allocations',
  {
    tenantId: text('tenant_id').notNull(),
    allocationId: text('allocation_id').notNull(),
    invoiceId: text('invoice_id').notNull(),
    paymentId: text('payment_id'),
    creditNoteId: text('credit_note_id'),
    amount: money('amount').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    reversedAt: timestamp('reversed_at', { withTimezone: true }),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.allocationId] }),
    index('allocations_tenant_invoice_idx').on(t.tenantId, t.invoiceId),
    index('allocations_tenant_payment_idx').on(t.tenantId, t.paymentId),
    index('allocations_tenant_credit_note_idx').on(t.tenantId, t.creditNoteId),
    foreignKey({ columns: [t.tenantId, t.invoiceId], foreignColumns: [invoices.tenantId, invoices.invoiceId] }),
    foreignKey({ columns: [t.tenantId, t.paymentId], foreignColumns: [payments.tenantId, payments.paymentId] }),
    foreignKey({ columns: [t.tenantId, t.creditNoteId], foreignColumns: [creditNotes.tenantId, creditNotes.creditNoteId] }),
    check('allocations_one_source', sql`(${t.paymentId} is null) <> (${t.creditNoteId} is null)`),
    check('allocations_amount_positive', sql`${t.amount} > 0`),
    tenantIsolation('allocations'),
  ],
)
