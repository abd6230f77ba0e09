import { boolean, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core'
import { tenantIsolation } from '../../db/columns.js'
import type { SenderIdentity } from './channel-driver.js'

/**
 * A tenant's account at a channel provider: which driver, for which channels, its credentials
 * (sealed with AES-256-GCM under RELANCE_SECRET_KEY, never returned), settings and sender.
 */
export const channelConnections = pgTable(
  'channel_connections',
  {
    tenantId: text('tenant_id').notNull(),
    connectionId: text('connection_id').notNull(),
    name: text('name').notNull(),
    driver: text('driver').notNull(),
    channels: text('channels').array().notNull(),
    mode: text('mode', { enum: ['sandbox', 'live'] }).notNull(),
    credentialsSealed: text('credentials_sealed').notNull(),
    /** Each credential's last four characters, so a person can tell which one is set. */
    credentialHints: jsonb('credential_hints').$type<Record<string, string>>().notNull(),
    settings: jsonb('settings').$type<Record<string, unknown>>().notNull(),
    sender: jsonb('sender').$type<SenderIdentity>().notNull(),
    enabled: boolean('enabled').notNull().default(true),
    externalRef: text('external_ref'),
    metadata: jsonb('metadata').$type<Record<string, string>>().notNull().default({}),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.connectionId] }),
    uniqueIndex('channel_connections_external_ref_key').on(t.tenantId, t.externalRef),
    tenantIsolation('channel_connections'),
  ],
)
