import { bigint, date, foreignKey, index, integer, pgTable, primaryKey, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core'
import { sql } from 'drizzle-orm'
import { bytea, objectColumns, tenantIsolation } from '../../db/columns.js'
import { debtors } from '../debtors/debtors.tables.js'

const money = (name: string) => bigint(name, { mode: 'number' })

export const INVOICE_STATUSES = ['open', 'partially_paid', 'paid', 'disputed', 'cancelled', 'written_off'] as const
export type InvoiceStatus = (typeof INVOICE_STATUSES)[number]

/**
 * Amounts in integer minor units of `currency`. `amount_paid` and `amount_credited` are the sums of
 * live allocations, kept on the row (updated in the allocation's transaction) so that balances,
 * status and the engine's due-row scan never aggregate.
 */
export const invoices = pgTable(
  'invoices',
  {
    tenantId: text('tenant_id').notNull(),
    invoiceId: text('invoice_id').notNull(),
    debtorId: text('debtor_id').notNull(),
    number: text('number').notNull(),
    currency: text('currency').notNull(),
    amountTotal: money('amount_total').notNull(),
    amountTax: money('amount_tax').notNull().default(0),
    amountNet: money('amount_net').notNull(),
    amountPaid: money('amount_paid').notNull().default(0),
    amountCredited: money('amount_credited').notNull().default(0),
    issueDate: date('issue_date', { mode: 'string' }).notNull(),
    dueDate: date('due_date', { mode: 'string' }).notNull(),
    paymentTermsDays: integer('payment_terms_days'),
    paymentLink: text('payment_link'),
    // The invoice's own scenario override, over the debtor's and the rules'.
    scenarioId: text('scenario_id'),
    status: text('status', { enum: INVOICE_STATUSES }).notNull().default('open'),
    paidAt: timestamp('paid_at', { withTimezone: true }),
    cancelledAt: timestamp('cancelled_at', { withTimezone: true }),
    writtenOffAt: timestamp('written_off_at', { withTimezone: true }),
    pdfSha256: text('pdf_sha256'),
    // Set once invoice.prescription_approaching has gone out, so it goes out once.
    prescriptionAlertedAt: timestamp('prescription_alerted_at', { withTimezone: true }),
    // Dunning state (DESIGN.md: the engine keeps it on the row). `next_action_at` is when the
    // engine must look at the invoice again; any change that may alter the plan sets it to the
    // epoch ("at the next pass"), which is in the past of every clock, test clocks included.
    nextActionAt: timestamp('next_action_at', { withTimezone: true }),
    dunningScenarioId: text('dunning_scenario_id'),
    dunningVersion: integer('dunning_version'),
    dunningStep: integer('dunning_step').notNull().default(-1),
    dunningStepAt: timestamp('dunning_step_at', { withTimezone: true }),
    dunningOutcome: text('dunning_outcome', { enum: ['delivered', 'not_delivered'] }),
    caseId: text('case_id'),
    ...objectColumns,
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.invoiceId] }),
    uniqueIndex('invoices_tenant_external_ref_key').on(t.tenantId, t.externalRef),
    index('invoices_tenant_debtor_idx').on(t.tenantId, t.debtorId, t.dueDate),
    index('invoices_tenant_status_due_idx').on(t.tenantId, t.status, t.dueDate),
    // The engine's claim scans only rows it has to look at, whatever the number of invoices, in the
    // order it claims them (a debtor's due invoices together): no sort of every due row per chunk.
    index('invoices_next_action_idx').on(t.nextActionAt, t.tenantId, t.debtorId).where(sql`next_action_at is not null`),
    foreignKey({ columns: [t.tenantId, t.debtorId], foreignColumns: [debtors.tenantId, debtors.debtorId] }),
    tenantIsolation('invoices'),
  ],
)

/** The invoice PDF as uploaded, attached later to letters; its sha256 goes in the evidence file. */
export const invoiceDocuments = pgTable(
  'invoice_documents',
  {
    tenantId: text('tenant_id').notNull(),
    invoiceId: text('invoice_id').notNull(),
    content: bytea('content').notNull(),
    sha256: text('sha256').notNull(),
    contentType: text('content_type').notNull(),
    filename: text('filename').notNull(),
    size: integer('size').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.invoiceId] }),
    foreignKey({ columns: [t.tenantId, t.invoiceId], foreignColumns: [invoices.tenantId, invoices.invoiceId] }).onDelete('cascade'),
    tenantIsolation('invoice_documents'),
  ],
)
