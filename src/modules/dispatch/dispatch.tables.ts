import { sql } from 'drizzle-orm'
import { index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core'
import { bytea, tenantIsolation } from '../../db/columns.js'
import { DELIVERY_STATUSES } from '../channels/channel-driver.js'
import { CHANNELS } from '../engine/scenario-definition.js'

export const DISPATCH_STATUSES = DELIVERY_STATUSES


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
    // Set by the dispatch loop.
    connectionId: text('connection_id'),
    driver: text('driver'),
    providerRef: text('provider_ref'),
    attempts: integer('attempts').notNull().default(0),
    /** When a send began: a 'sending' row older than the lease is looked up at the provider, never re-sent blind. */
    sendingSince: timestamp('sending_since', { withTimezone: true }),
    sentAt: timestamp('sent_at', { withTimezone: true }),
    /** When `proofs.poll` last asked the provider (letters without callbacks, callbacks missed). */
    polledAt: timestamp('polled_at', { withTimezone: true }),
    failureCode: text('failure_code'),
    failureReason: text('failure_reason'),
    costAmount: integer('cost_amount'),
    costCurrency: text('cost_currency'),
    /** What went out: subject, text, html (for letters, the PDF's sha256 and page count). */
    content: jsonb('content').$type<Record<string, unknown>>(),
    letterSha256: text('letter_sha256'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.dispatchId] }),
    index('dispatches_sending_idx').on(t.sendingSince).where(sql`status = 'sending'`),
    // Partial: a queued dispatch has no provider reference yet, so the engine's inserts skip this index.
    uniqueIndex('dispatches_provider_ref_key').on(t.tenantId, t.driver, t.providerRef).where(sql`provider_ref is not null`),
    index('dispatches_tenant_debtor_idx').on(t.tenantId, t.debtorId, t.createdAt),
    index('dispatches_queued_idx').on(t.scheduledAt).where(sql`status = 'queued'`),
    index('dispatches_sent_poll_idx').on(t.polledAt).where(sql`status = 'sent'`),
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

/** The dispatch's timeline, keeping the provider's raw status next to ours. */
export const dispatchEvents = pgTable(
  'dispatch_events',
  {
    tenantId: text('tenant_id').notNull(),
    eventId: text('event_id').notNull(),
    dispatchId: text('dispatch_id').notNull(),
    status: text('status', { enum: DISPATCH_STATUSES }),
    rawStatus: text('raw_status').notNull(),
    reason: text('reason'),
    occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.eventId] }),
    index('dispatch_events_dispatch_idx').on(t.tenantId, t.dispatchId, t.occurredAt),
    // A callback delivered twice (providers retry) records once.
    uniqueIndex('dispatch_events_once_key').on(t.tenantId, t.dispatchId, t.rawStatus, t.occurredAt),
    tenantIsolation('dispatch_events'),
  ],
)

/** Every proof a provider issues, downloaded and hashed: the evidence file's backbone. */
export const dispatchProofs = pgTable(
  'dispatch_proofs',
  {
    tenantId: text('tenant_id').notNull(),
    proofId: text('proof_id').notNull(),
    dispatchId: text('dispatch_id').notNull(),
    kind: text('kind').notNull(),
    locator: text('locator').notNull(),
    filename: text('filename').notNull(),
    contentType: text('content_type').notNull(),
    sha256: text('sha256').notNull(),
    size: integer('size').notNull(),
    storage: text('storage').notNull().default('postgres'),
    content: bytea('content'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.proofId] }),
    // On a hash: a locator may carry the proof itself (email-smtp's whole message as a data: URL),
    // longer than a btree entry may be (2,704 bytes); an email listing a few invoices already is.
    uniqueIndex('dispatch_proofs_locator_key').on(t.tenantId, t.dispatchId, sql`md5(${t.locator})`),
    tenantIsolation('dispatch_proofs'),
  ],
)
