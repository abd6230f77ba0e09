import { sql } from 'drizzle-orm'
import { index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core'
import { tenantIsolation } from '../../db/columns.js'
import { CHANNELS } from '../engine/scenario-definition.js'

export const DISPATCH_STATUSES = ['queued', 'sending', 'sent', 'delivered', 'failed', 'cancelled'] as const

/**
 * One message to one debtor through one channel: a step of one or several of its invoices
 * (grouped per debtor by default). The dispatch module sends queued ones.
 */
export const dispatches = pgTable(
  'dispatches',
  {
    tenantId: text('tenant_id').notNull(),
    dispatchId: text('dispatch_id').notNull(),
    debtorId: text('debtor_id').notNull(),
    stepKey: text('step_key').notNull(),
    channel: text('channel', { enum: CHANNELS }).notNull(),
    template: text('template').notNull(),
    language: text('language').notNull(),
    scenarioId: text('scenario_id').notNull(),
    scenarioVersion: integer('scenario_version').notNull(),
    status: text('status', { enum: DISPATCH_STATUSES }).notNull().default('queued'),
    scheduledAt: timestamp('scheduled_at', { withTimezone: true }).notNull(),
    details: jsonb('details').$type<Record<string, unknown>>().notNull().default({}),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.dispatchId] }),
    index('dispatches_tenant_debtor_idx').on(t.tenantId, t.debtorId, t.createdAt),
    index('dispatches_queued_idx').on(t.scheduledAt).where(sql`status = 'queued'`),
    tenantIsolation('dispatches'),
  ],
)

/**
 * Which invoice step a dispatch carries. Unique per case and step: a re-run, a crash or a second
 * worker can never put the same step of the same debt into a second dispatch.
 */
export const dispatchItems = pgTable(
  'dispatch_items',
  {
    tenantId: text('tenant_id').notNull(),
    dispatchId: text('dispatch_id').notNull(),
    invoiceId: text('invoice_id').notNull(),
    caseId: text('case_id').notNull(),
    stepKey: text('step_key').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.dispatchId, t.invoiceId] }),
    uniqueIndex('dispatch_items_case_step_key').on(t.tenantId, t.caseId, t.stepKey),
    tenantIsolation('dispatch_items'),
  ],
)
