import { bigint, index, pgTable, primaryKey, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core'
import { tenantIsolation } from '../../db/columns.js'

/**
 * The tenant's audit chain: one entry per state change (every outbox event but webhook test pings),
 * appended by a commit-time trigger (migrations: audit_chain) and never changed afterwards. Each
 * entry's `hash` covers its fields and the previous entry's hash (audit-hash.ts spells the bytes),
 * so an edited, removed or re-ordered row breaks the chain at that row.
 * The snapshot is kept as the exact text that was hashed, not jsonb, so verifying never depends on
 * how a server version prints JSON.
 */
export const auditLog = pgTable(
  'audit_log',
  {
    tenantId: text('tenant_id').notNull(),
    sequence: bigint('sequence', { mode: 'number' }).notNull(),
    occurredAt: timestamp('occurred_at', { withTimezone: true, precision: 3 }).notNull(),
    actor: text('actor').notNull(),
    action: text('action').notNull(),
    objectType: text('object_type').notNull(),
    objectId: text('object_id').notNull(),
    /** The debtor the change concerns, when there is one: what a case's dossier selects on. */
    debtorId: text('debtor_id'),
    eventId: text('event_id').notNull(),
    snapshot: text('snapshot').notNull(),
    snapshotSha256: text('snapshot_sha256').notNull(),
    prevHash: text('prev_hash').notNull(),
    hash: text('hash').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.sequence] }),
    uniqueIndex('audit_log_event_key').on(t.tenantId, t.eventId),
    index('audit_log_object_idx').on(t.tenantId, t.objectId, t.sequence),
    index('audit_log_debtor_idx').on(t.tenantId, t.debtorId, t.sequence),
    tenantIsolation('audit_log'),
  ],
)

/**
 * Events written by the current transaction and not chained yet. Rows live only inside their
 * transaction: the commit-time trigger chains them and deletes them before the commit.
 */
export const auditPending = pgTable(
  'audit_pending',
  {
    tenantId: text('tenant_id').notNull(),
    eventId: text('event_id').notNull(),
    actor: text('actor').notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.eventId] }), tenantIsolation('audit_pending')],
)

/**
 * One row per tenant and transaction that staged audit entries: its deferred constraint trigger
 * runs the chaining once, at commit, so the per-tenant lock is held for the commit only.
 */
export const auditCommitMarks = pgTable(
  'audit_commit_marks',
  {
    tenantId: text('tenant_id').notNull(),
    xactId: text('xact_id').notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.xactId] }), tenantIsolation('audit_commit_marks')],
)
