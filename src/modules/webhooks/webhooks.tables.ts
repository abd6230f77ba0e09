import { sql } from 'drizzle-orm'
import { bigserial, boolean, foreignKey, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core'
import { objectColumns, systemOnly, tenantIsolation } from '../../db/columns.js'

export const DELIVERY_STATUSES = ['pending', 'succeeded', 'failed'] as const

/** Where a tenant wants its events. Secrets are sealed (AES-256-GCM under RELANCE_SECRET_KEY). */
export const webhookEndpoints = pgTable(
  'webhook_endpoints',
  {
    tenantId: text('tenant_id').notNull(),
    endpointId: text('endpoint_id').notNull(),
    url: text('url').notNull(),
    description: text('description'),
    // Event types, or '*' for all of them.
    enabledEvents: text('enabled_events').array().notNull(),
    enabled: boolean('enabled').notNull().default(true),
    disabledReason: text('disabled_reason'),
    disabledAt: timestamp('disabled_at', { withTimezone: true }),
    secretSealed: text('secret_sealed').notNull(),
    // During a rotation's overlap the old secret signs too, so receivers can switch without loss.
    previousSecretSealed: text('previous_secret_sealed'),
    previousSecretExpiresAt: timestamp('previous_secret_expires_at', { withTimezone: true }),
    // Start of the current run of failed attempts; a success clears it. Five days of it disables.
    failingSince: timestamp('failing_since', { withTimezone: true }),
    ...objectColumns,
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.endpointId] }),
    uniqueIndex('webhook_endpoints_tenant_external_ref_key').on(t.tenantId, t.externalRef),
    tenantIsolation('webhook_endpoints'),
  ],
)

/**
 * Events waiting for fan-out. A trigger on `events` (migration) adds a row for every event of a
 * tenant that has an enabled endpoint, in the transaction that writes the event; the pump deletes
 * rows with SKIP LOCKED, so two workers never fan out the same event and none is skipped.
 */
export const webhookEventQueue = pgTable(
  'webhook_event_queue',
  {
    tenantId: text('tenant_id').notNull(),
    eventId: text('event_id').notNull(),
    seq: bigserial('seq', { mode: 'number' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.eventId] }), index('webhook_event_queue_seq_idx').on(t.seq), tenantIsolation('webhook_event_queue')],
)

/** One event to one endpoint, through its retries. */
export const webhookDeliveries = pgTable(
  'webhook_deliveries',
  {
    tenantId: text('tenant_id').notNull(),
    deliveryId: text('delivery_id').notNull(),
    endpointId: text('endpoint_id').notNull(),
    eventId: text('event_id').notNull(),
    status: text('status', { enum: DELIVERY_STATUSES }).notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    // Position in the retry schedule; recovering a failed delivery starts it again at 0.
    retryStep: integer('retry_step').notNull().default(0),
    // While an attempt is in flight this is its lease: a crashed worker's delivery comes back then.
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }),
    lastStatusCode: integer('last_status_code'),
    lastError: text('last_error'),
    completedAt: timestamp('completed_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.deliveryId] }),
    index('webhook_deliveries_due_idx').on(t.nextAttemptAt, t.deliveryId).where(sql`${t.status} = 'pending'`),
    index('webhook_deliveries_endpoint_idx').on(t.tenantId, t.endpointId, t.status, t.createdAt),
    index('webhook_deliveries_event_idx').on(t.tenantId, t.eventId),
    foreignKey({ columns: [t.tenantId, t.endpointId], foreignColumns: [webhookEndpoints.tenantId, webhookEndpoints.endpointId] }).onDelete('cascade'),
    tenantIsolation('webhook_deliveries'),
  ],
)

/** The delivery log: every HTTP attempt with what came back (the start of the body only). */
export const webhookAttempts = pgTable(
  'webhook_attempts',
  {
    tenantId: text('tenant_id').notNull(),
    attemptId: text('attempt_id').notNull(),
    deliveryId: text('delivery_id').notNull(),
    endpointId: text('endpoint_id').notNull(),
    eventId: text('event_id').notNull(),
    eventType: text('event_type').notNull(),
    attempt: integer('attempt').notNull(),
    succeeded: boolean('succeeded').notNull(),
    statusCode: integer('status_code'),
    latencyMs: integer('latency_ms').notNull(),
    responseBody: text('response_body'),
    error: text('error'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.attemptId] }),
    index('webhook_attempts_endpoint_idx').on(t.tenantId, t.endpointId, t.attemptId),
    foreignKey({ columns: [t.tenantId, t.endpointId], foreignColumns: [webhookEndpoints.tenantId, webhookEndpoints.endpointId] }).onDelete('cascade'),
    tenantIsolation('webhook_attempts'),
  ],
)

/**
 * Relance's own asymmetric keys for the `relance-signature-jws` header. Not tenant data. Never
 * deleted: a retired public key stays in the JWKS so proofs it signed stay verifiable.
 */
export const webhookSigningKeys = pgTable(
  'webhook_signing_keys',
  {
    kid: text('kid').primaryKey(),
    alg: text('alg').notNull(),
    publicJwk: jsonb('public_jwk').$type<{ kty: string; crv: string; x: string }>().notNull(),
    privateKeySealed: text('private_key_sealed').notNull(),
    // Published at once, used for signing from here: consumers' JWKS caches learn it first.
    signsFrom: timestamp('signs_from', { withTimezone: true }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  () => [systemOnly('webhook_signing_keys')],
)
