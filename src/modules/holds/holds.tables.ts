import { sql } from 'drizzle-orm'
import { bigint, date, foreignKey, index, pgTable, primaryKey, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core'
import { objectColumns, tenantIsolation } from '../../db/columns.js'
import { debtors } from '../debtors/debtors.tables.js'

export const HOLD_KINDS = ['dispute', 'promise_to_pay', 'manual', 'legal'] as const
export const HOLD_STATUSES = ['active', 'released', 'expired', 'broken', 'kept'] as const
export const DISPUTE_REASONS = [
  'amount_incorrect',
  'goods_not_received',
  'service_not_rendered',
  'duplicate',
  'quality',
  'other',
] as const

/**
 * Stops dunning for one invoice (invoice_id set) or a whole debtor. Never deleted: ending a hold
 * sets status, ended_at and end_reason, so the history stays for the evidence file.
 */
export const holds = pgTable(
  'holds',
  {
    tenantId: text('tenant_id').notNull(),
    holdId: text('hold_id').notNull(),
    kind: text('kind', { enum: HOLD_KINDS }).notNull(),
    debtorId: text('debtor_id').notNull(),
    invoiceId: text('invoice_id'),
    status: text('status', { enum: HOLD_STATUSES }).notNull().default('active'),
    reasonCode: text('reason_code', { enum: DISPUTE_REASONS }),
    note: text('note'),
    promisedAmount: bigint('promised_amount', { mode: 'number' }),
    promisedCurrency: text('promised_currency'),
    promisedDate: date('promised_date', { mode: 'string' }),
    // The tenant's day the hold was made (test clocks included): a promise counts payments from it.
    startsOn: date('starts_on', { mode: 'string' }),
    expiresOn: date('expires_on', { mode: 'string' }),
    endedAt: timestamp('ended_at', { withTimezone: true }),
    endReason: text('end_reason'),
    ...objectColumns,
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.holdId] }),
    uniqueIndex('holds_tenant_external_ref_key').on(t.tenantId, t.externalRef),
    index('holds_tenant_debtor_idx').on(t.tenantId, t.debtorId, t.status),
    index('holds_tenant_invoice_idx').on(t.tenantId, t.invoiceId),
    // The expiry job's scan across tenants: only active holds with a date that can run out.
    index('holds_active_end_idx')
      .on(sql`coalesce(${t.expiresOn}, ${t.promisedDate})`)
      .where(sql`${t.status} = 'active'`),
    foreignKey({ columns: [t.tenantId, t.debtorId], foreignColumns: [debtors.tenantId, debtors.debtorId] }),
    tenantIsolation('holds'),
  ],
)
