import { integer, jsonb, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core'
import { tenantIsolation, timestamps } from '../../db/columns.js'

export interface ImportLineError {
  line: number
  external_ref: string | null
  errors: { path: string; message: string }[]
}

/** A bulk import run as a job: progress and the first errors, readable at GET /v1/imports/{id}. */
export const imports = pgTable(
  'imports',
  {
    tenantId: text('tenant_id').notNull(),
    importId: text('import_id').notNull(),
    kind: text('kind', { enum: ['debtors', 'invoices', 'payments'] }).notNull(),
    status: text('status', { enum: ['queued', 'running', 'succeeded', 'failed'] }).notNull().default('queued'),
    linesTotal: integer('lines_total').notNull().default(0),
    linesDone: integer('lines_done').notNull().default(0),
    created: integer('created').notNull().default(0),
    updated: integer('updated').notNull().default(0),
    unchanged: integer('unchanged').notNull().default(0),
    rejected: integer('rejected').notNull().default(0),
    errors: jsonb('errors').$type<ImportLineError[]>().notNull().default([]),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
    ...timestamps,
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.importId] }), tenantIsolation('imports')],
)
