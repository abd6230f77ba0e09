import { sql } from 'drizzle-orm'
import { bigint, date, foreignKey, index, integer, pgTable, primaryKey, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core'
import { objectColumns, tenantIsolation } from '../../db/columns.js'
import { debtors } from '../debtors/debtors.tables.js'

export const PLAN_STATUSES = ['active', 'completed', 'breached', 'cancelled'] as const
export const INSTALMENT_STATUSES = ['pending', 'paid', 'missed'] as const

/** Instalments that replace the due schedule of one or more invoices of a debtor. */
export const paymentPlans = pgTable(
  'payment_plans',
  {
    tenantId: text('tenant_id').notNull(),
    planId: text('plan_id').notNull(),
    debtorId: text('debtor_id').notNull(),
    currency: text('currency').notNull(),
    status: text('status', { enum: PLAN_STATUSES }).notNull().default('active'),
    invoiceIds: text('invoice_ids').array().notNull(),
    // Paid + credited on the plan's invoices when the plan began: progress is the growth since.
    settledAtStart: bigint('settled_at_start', { mode: 'number' }).notNull().default(0),
    breachedAt: timestamp('breached_at', { withTimezone: true }),
    ...objectColumns,
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.planId] }),
    uniqueIndex('payment_plans_tenant_external_ref_key').on(t.tenantId, t.externalRef),
    index('payment_plans_tenant_debtor_idx').on(t.tenantId, t.debtorId),
    // "Is this invoice already in an active plan?" and the progress refresh after a payment.
    index('payment_plans_active_invoices_idx').using('gin', t.invoiceIds).where(sql`${t.status} = 'active'`),
    foreignKey({ columns: [t.tenantId, t.debtorId], foreignColumns: [debtors.tenantId, debtors.debtorId] }),
    tenantIsolation('payment_plans'),
  ],
)

export const paymentPlanInstalments = pgTable(
  'payment_plan_instalments',
  {
    tenantId: text('tenant_id').notNull(),
    planId: text('plan_id').notNull(),
    sequence: integer('sequence').notNull(),
    dueDate: date('due_date', { mode: 'string' }).notNull(),
    amount: bigint('amount', { mode: 'number' }).notNull(),
    amountPaid: bigint('amount_paid', { mode: 'number' }).notNull().default(0),
    status: text('status', { enum: INSTALMENT_STATUSES }).notNull().default('pending'),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.planId, t.sequence] }),
    // The breach check's scan across tenants: instalments still waiting, by due date.
    index('payment_plan_instalments_pending_due_idx').on(t.dueDate).where(sql`${t.status} = 'pending'`),
    foreignKey({ columns: [t.tenantId, t.planId], foreignColumns: [paymentPlans.tenantId, paymentPlans.planId] }).onDelete('cascade'),
    tenantIsolation('payment_plan_instalments'),
  ],
)
