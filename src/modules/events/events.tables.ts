import { index, jsonb, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core'
import { tenantIsolation } from '../../db/columns.js'

/**
 * The transactional outbox: every change that matters to an integrator writes its event here in
 * the transaction that makes the change. The webhooks module delivers them.
 */
export const events = pgTable(
  'events',
  {
    tenantId: text('tenant_id').notNull(),
    eventId: text('event_id').notNull(),
    type: text('type').notNull(),
    objectId: text('object_id').notNull(),
    data: jsonb('data').$type<Record<string, unknown>>().notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.eventId] }),
    index('events_created_idx').on(t.createdAt, t.eventId),
    index('events_tenant_object_idx').on(t.tenantId, t.objectId),
    tenantIsolation('events'),
  ],
)
