import { bigint, date, foreignKey, integer, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core'
import { objectColumns, tenantIsolation } from '../../db/columns.js'
import { debtors } from '../debtors/debtors.tables.js'

export const PLAN_STATUSES = ['active', 'completed', 'breached', 'cancelled'] as const

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
    breachedAt: timestamp('breached_at', { withTimezone: true }),
    ...objectColumns,
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.planId] }),
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
    status: text('status', { enum: ['pending', 'paid', 'missed'] }).notNull().default('pending'),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.planId, t.sequence] }),
    foreignKey({ columns: [t.tenantId, t.planId], foreignColumns: [paymentPlans.tenantId, paymentPlans.planId] }).onDelete('cascade'),
    tenantIsolation('payment_plan_instalments'),
  ],
)
