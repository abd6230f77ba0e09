import { date, index, jsonb, pgTable, primaryKey, text, uniqueIndex } from 'drizzle-orm/pg-core'
import { objectColumns, tenantIsolation } from '../../db/columns.js'

export interface DebtorContact {
  name?: string
  role?: string
  email?: string
  phone?: string
}

/** French postal norm (NF Z10-011): up to 6 lines before postcode and city. */
export interface PostalAddress {
  lines: string[]
  postcode: string
  city: string
  country: string
}

export const debtors = pgTable(
  'debtors',
  {
    tenantId: text('tenant_id').notNull(),
    debtorId: text('debtor_id').notNull(),
    kind: text('kind', { enum: ['business', 'consumer', 'public_body'] }).notNull(),
    name: text('name').notNull(),
    siren: text('siren'),
    siret: text('siret'),
    vatNumber: text('vat_number'),
    country: text('country').notNull(),
    language: text('language').notNull(),
    timezone: text('timezone').notNull(),
    segment: text('segment'),
    contacts: jsonb('contacts').$type<DebtorContact[]>().notNull().default([]),
    address: jsonb('address').$type<PostalAddress | null>(),
    // Electronic registered mail consent (art. L100 CPCE): required before an LRE goes to a consumer.
    lreConsentOn: date('lre_consent_on', { mode: 'string' }),
    lreConsentMeans: text('lre_consent_means'),
    scenarioId: text('scenario_id'),
    ...objectColumns,
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.debtorId] }),
    uniqueIndex('debtors_tenant_external_ref_key').on(t.tenantId, t.externalRef),
    index('debtors_tenant_segment_idx').on(t.tenantId, t.segment),
    tenantIsolation('debtors'),
  ],
)
