import { sql } from 'drizzle-orm'
import { date, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core'
import { tenantIsolation } from '../../db/columns.js'

export const TASK_OUTCOMES = ['reached', 'promise', 'dispute', 'wrong_number', 'no_answer'] as const
export type TaskOutcome = (typeof TASK_OUTCOMES)[number]

/** Work for a person: a call to make, with its script; completing it records what came of it. */
export const tasks = pgTable(
  'tasks',
  {
    tenantId: text('tenant_id').notNull(),
    taskId: text('task_id').notNull(),
    kind: text('kind', { enum: ['call'] }).notNull(),
    status: text('status', { enum: ['open', 'completed'] }).notNull().default('open'),
    dispatchId: text('dispatch_id').notNull(),
    debtorId: text('debtor_id').notNull(),
    invoiceIds: text('invoice_ids').array().notNull(),
    script: text('script').notNull(),
    phone: text('phone'),
    outcome: text('outcome', { enum: TASK_OUTCOMES }),
    note: text('note'),
    promisedAmount: integer('promised_amount'),
    promisedDate: date('promised_date', { mode: 'string' }),
    holdId: text('hold_id'),
    completedAt: timestamp('completed_at', { withTimezone: true }),
    metadata: jsonb('metadata').$type<Record<string, string>>().notNull().default({}),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.taskId] }),
    uniqueIndex('tasks_dispatch_key').on(t.tenantId, t.dispatchId),
    index('tasks_open_idx').on(t.tenantId, t.createdAt).where(sql`status = 'open'`),
    tenantIsolation('tasks'),
  ],
)
